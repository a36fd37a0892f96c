// Runs the two schedulers on one CIB file and compares them.
//
//   crm_simulate -x FILE -S -t kNowIso --output-as=xml
//   paceline simulate --pacemaker-xml FILE --output-as=json
//
// Each runs as a child process with a deadline; its output goes to files in
// a private temporary directory that is removed afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/differential/outcome.h"

namespace paceline::differential {

struct ProcessResult {
  int exit_code = -1;  // -1: did not exit normally (killed, timed out)
  bool timed_out = false;
  std::string out, err;
  double wall_ms = 0;
  long max_rss_kb = 0;  // the child's own peak (wait4)
};

// Runs argv[0] (a path, or a name looked up in PATH) with stdout/stderr
// captured; kills it (and only it) after timeout_s.
ProcessResult RunProcess(const std::vector<std::string>& argv, int timeout_s);

struct Verdict {
  enum Kind {
    kAgree,
    kDisagree,         // both ran; differences lists how
    kPacemakerFailed,  // crm_simulate refused or crashed (detail says how)
    kPacelineFailed,   // paceline refused or crashed
  } kind = kAgree;
  std::vector<std::string> differences;
  std::string detail;
};

struct Runner {
  std::string paceline_bin;
  std::string crm_simulate = "crm_simulate";
  int timeout_s = 60;

  // Compares the schedulers on the CIB file at path.
  Verdict RunFile(const std::string& path) const;
  // Writes xml to a temporary file and runs RunFile on it.
  Verdict RunXml(const std::string& xml) const;
};

std::string KindName(Verdict::Kind k);

}  // namespace paceline::differential
