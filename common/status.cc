#include "common/status.h"

namespace paceline {

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

Status Status::WithContext(const std::string& prefix) const {
  if (ok()) return *this;
  return Status(state_->code, prefix + ": " + state_->message);
}

int Status::ExitCode() const {
  switch (code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kSyntax:
      return 2;
    default:
      return 1;
  }
}

}  // namespace paceline
