// What one agent action came to: exit code and its OCF meaning, how it ended
// (done, timed out, not installed, could not run), how long it took, and a
// bounded copy of its output for logs and `crm status` failures.
//
// Pure value types and functions; the executor fills them in.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "agents/agent_env.h"

namespace paceline::agents {

// OCF exit codes (the OCF resource agent API, 1.1).
enum OcfRc : int {
  kOcfSuccess = 0,
  kOcfErrGeneric = 1,
  kOcfErrArgs = 2,
  kOcfErrUnimplemented = 3,
  kOcfErrPerm = 4,
  kOcfErrInstalled = 5,
  kOcfErrConfigured = 6,
  kOcfNotRunning = 7,
  kOcfRunningPromoted = 8,
  kOcfFailedPromoted = 9,
};

// "ok", "generic error", ..., "running promoted"; "unknown rc N" beyond 9.
std::string OcfRcMeaning(int rc);

// The OCF code for an agent's raw exit code. OCF codes pass through. LSB
// `status` (monitor): 0 running -> 0, 3 stopped -> 7, 1/2 (dead, pid or lock
// file left) and 4 (unknown) -> 1 generic error; other LSB actions: 0..7
// pass through (LSB init-script codes share OCF's meanings there), anything
// else -> 1.
int MapExitCode(AgentClass cls, std::string_view action, int raw_rc);

enum class ExecStatus {
  kDone,          // the agent ran and exited; rc is its (mapped) code
  kTimedOut,      // killed at the timeout; rc is 1
  kNotInstalled,  // missing or not executable; rc is 5
  kError,         // could not be run, or died from a signal; rc is 1
};
std::string_view ExecStatusName(ExecStatus s);  // done|timed out|...

// Keeps the first head_limit and the last tail_limit bytes of a stream, and
// counts what was dropped in between, so an agent printing megabytes costs a
// fixed amount of memory.
class BoundedOutput {
 public:
  explicit BoundedOutput(size_t head_limit = 64 * 1024,
                         size_t tail_limit = 64 * 1024);
  void Append(std::string_view data);
  // Head, then "\n[... N bytes omitted ...]\n" if anything was dropped, then
  // tail.
  std::string Text() const;
  size_t total_bytes() const { return total_; }
  size_t omitted_bytes() const;
  // The last non-empty line (without its newline), "" if none.
  std::string LastLine() const;
  // The text after the last "ocf-exit-reason:" marker agents print through
  // ocf_exit_reason, "" if none was printed (or it was omitted).
  std::string ExitReason() const;

 private:
  size_t head_limit_;
  size_t tail_limit_;
  size_t total_ = 0;
  std::string head_;
  std::string tail_;  // a sliding window of the last tail_limit_ bytes
};

struct ActionResult {
  int rc = kOcfErrGeneric;  // OCF code after MapExitCode
  int raw_rc = -1;          // the exit code as the agent gave it, -1 if none
  ExecStatus status = ExecStatus::kError;
  std::string reason;  // why, for anything but a clean exit
  std::chrono::milliseconds duration{0};
  BoundedOutput output;
  int pid = -1;  // the agent's pid, also its process group id
};

// "rc=7 (not running)" or "rc=1 (timed out)": for logs and the CLI.
std::string Describe(const ActionResult& r);

}  // namespace paceline::agents
