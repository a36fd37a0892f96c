// Status and Result<T>: the one error currency at module boundaries.
//
// A Status is cheap when OK (no allocation) and carries a code plus a
// one-line, user-facing message otherwise. Messages name the offending
// token or id and say what was expected; callers add context by prefixing.
// Nothing in Paceline lets an exception escape a module: functions that can
// fail return Status or Result<T>, marked [[nodiscard]].
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace paceline {

enum class StatusCode {
  kOk = 0,
  kSyntax,      // the input could not be parsed (usage error, exit 2)
  kInvalid,     // parsed, but the change is refused (exit 1)
  kNotFound,    // a named object does not exist (exit 1)
  kConflict,    // duplicate id, object in use, already as requested (exit 1)
  kIo,          // the file system or a socket failed (exit 1)
  kCorrupt,     // stored data could not be read back (exit 1)
  kUnavailable  // a peer (daemon) cannot be reached (exit 1)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Syntax(std::string msg) {
    return {StatusCode::kSyntax, std::move(msg)};
  }
  static Status Invalid(std::string msg) {
    return {StatusCode::kInvalid, std::move(msg)};
  }
  static Status NotFound(std::string msg) {
    return {StatusCode::kNotFound, std::move(msg)};
  }
  static Status Conflict(std::string msg) {
    return {StatusCode::kConflict, std::move(msg)};
  }
  static Status Io(std::string msg) { return {StatusCode::kIo, std::move(msg)}; }
  static Status Corrupt(std::string msg) {
    return {StatusCode::kCorrupt, std::move(msg)};
  }
  static Status Unavailable(std::string msg) {
    return {StatusCode::kUnavailable, std::move(msg)};
  }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  const std::string& message() const;

  // Returns a copy whose message is "prefix: message"; OK stays OK.
  Status WithContext(const std::string& prefix) const;

  // The process exit code a CLI command ends with for this status:
  // 0 OK, 2 syntax/usage, 1 anything refused or failed.
  int ExitCode() const;

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  Status(StatusCode code, std::string msg)
      : state_(std::make_shared<const State>(State{code, std::move(msg)})) {}
  std::shared_ptr<const State> state_;
};

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace paceline

// Early-return helpers; they keep error chains flat.
#define PL_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::paceline::Status pl_status_ = (expr); \
    if (!pl_status_.ok()) return pl_status_; \
  } while (0)

#define PL_CONCAT_INNER(a, b) a##b
#define PL_CONCAT(a, b) PL_CONCAT_INNER(a, b)
#define PL_ASSIGN_OR_RETURN(lhs, expr) \
  PL_ASSIGN_OR_RETURN_IMPL(PL_CONCAT(pl_result_, __LINE__), lhs, expr)
#define PL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
