#include "agents/result.h"

#include <algorithm>

namespace paceline::agents {

std::string OcfRcMeaning(int rc) {
  switch (rc) {
    case kOcfSuccess:
      return "ok";
    case kOcfErrGeneric:
      return "generic error";
    case kOcfErrArgs:
      return "invalid parameter";
    case kOcfErrUnimplemented:
      return "unimplemented feature";
    case kOcfErrPerm:
      return "insufficient privileges";
    case kOcfErrInstalled:
      return "not installed";
    case kOcfErrConfigured:
      return "not configured";
    case kOcfNotRunning:
      return "not running";
    case kOcfRunningPromoted:
      return "running promoted";
    case kOcfFailedPromoted:
      return "failed promoted";
    default:
      return "unknown rc " + std::to_string(rc);
  }
}

int MapExitCode(AgentClass cls, std::string_view action, int raw_rc) {
  if (cls != AgentClass::kLsb) return raw_rc;
  if (action == "monitor" || action == "status") {
    // As Pacemaker maps LSB status: "dead but the pid/lock file exists"
    // (1, 2) is not running, like 3; 151/152 are the LSB application codes
    // for "not installed" and "insufficient privileges"; 4 (unknown) and
    // anything else is an error.
    switch (raw_rc) {
      case 0:
        return kOcfSuccess;
      case 1:
      case 2:
      case 3:
        return kOcfNotRunning;
      case 151:
        return kOcfErrInstalled;
      case 152:
        return kOcfErrPerm;
      default:
        return kOcfErrGeneric;
    }
  }
  return raw_rc >= 0 && raw_rc <= 7 ? raw_rc : kOcfErrGeneric;
}

std::string_view ExecStatusName(ExecStatus s) {
  switch (s) {
    case ExecStatus::kDone:
      return "done";
    case ExecStatus::kTimedOut:
      return "timed out";
    case ExecStatus::kNotInstalled:
      return "not installed";
    case ExecStatus::kError:
      return "error";
  }
  return "error";
}

BoundedOutput::BoundedOutput(size_t head_limit, size_t tail_limit)
    : head_limit_(head_limit), tail_limit_(tail_limit) {}

void BoundedOutput::Append(std::string_view data) {
  total_ += data.size();
  size_t to_head = std::min(data.size(), head_limit_ - head_.size());
  head_.append(data.substr(0, to_head));
  data.remove_prefix(to_head);
  if (data.empty() || tail_limit_ == 0) return;
  if (data.size() >= tail_limit_) {
    tail_.assign(data.substr(data.size() - tail_limit_));
    return;
  }
  size_t overflow = tail_.size() + data.size();
  if (overflow > tail_limit_) tail_.erase(0, overflow - tail_limit_);
  tail_.append(data);
}

size_t BoundedOutput::omitted_bytes() const {
  return total_ - head_.size() - tail_.size();
}

std::string BoundedOutput::Text() const {
  if (omitted_bytes() == 0) return head_ + tail_;
  return head_ + "\n[... " + std::to_string(omitted_bytes()) +
         " bytes omitted ...]\n" + tail_;
}

std::string BoundedOutput::LastLine() const {
  const std::string& s = tail_.empty() ? head_ : tail_;
  size_t end = s.find_last_not_of("\r\n");
  if (end == std::string::npos) return "";
  size_t start = s.find_last_of('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return s.substr(start, end - start + 1);
}

std::string BoundedOutput::ExitReason() const {
  static constexpr std::string_view kMarker = "ocf-exit-reason:";
  std::string text = head_ + "\n" + tail_;
  size_t at = text.rfind(kMarker);
  if (at == std::string::npos) return "";
  size_t end = text.find('\n', at);
  return text.substr(at + kMarker.size(), end == std::string::npos
                                              ? std::string::npos
                                              : end - at - kMarker.size());
}

std::string Describe(const ActionResult& r) {
  std::string s = "rc=" + std::to_string(r.rc) + " (";
  s += r.status == ExecStatus::kDone ? OcfRcMeaning(r.rc)
                                     : std::string(ExecStatusName(r.status));
  return s + ")";
}

}  // namespace paceline::agents
