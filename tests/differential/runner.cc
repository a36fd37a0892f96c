#include "tests/differential/runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/differential/cib_generator.h"

namespace paceline::differential {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A private directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (fs::temp_directory_path() / "paceline-diff.XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string FirstLines(const std::string& text, size_t n) {
  std::istringstream in(text);
  std::string line, out;
  for (size_t i = 0; i < n && std::getline(in, line); ++i) {
    out += (out.empty() ? "" : " | ") + line;
  }
  return out;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, int timeout_s) {
  ProcessResult r;
  TempDir dir;
  if (dir.path().empty()) {
    r.err = "cannot create a temporary directory";
    return r;
  }
  fs::path out = dir.path() / "out", err = dir.path() / "err";
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid < 0) {
    r.err = "fork failed";
    return r;
  }
  if (pid == 0) {
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int n = open("/dev/null", O_RDONLY);
    if (o < 0 || e < 0 || n < 0) _exit(126);
    dup2(n, 0);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  auto deadline = start + std::chrono::seconds(timeout_s);
  int status = 0;
  rusage ru{};
  while (true) {
    pid_t w = wait4(pid, &status, WNOHANG, &ru);
    if (w == pid) break;
    if (w < 0) return r;
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, &ru);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  r.wall_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  r.max_rss_kb = ru.ru_maxrss;
  if (!r.timed_out && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  return r;
}

std::string KindName(Verdict::Kind k) {
  switch (k) {
    case Verdict::kAgree:
      return "agree";
    case Verdict::kDisagree:
      return "disagree";
    case Verdict::kPacemakerFailed:
      return "pacemaker-failed";
    case Verdict::kPacelineFailed:
      return "paceline-failed";
  }
  return "?";
}

Verdict Runner::RunFile(const std::string& path) const {
  Verdict v;
  ProcessResult pm = RunProcess(
      {crm_simulate, "-x", path, "-S", "-t", kNowIso, "--output-as=xml"},
      timeout_s);
  auto pacemaker = ParsePacemakerResult(pm.out);
  if (pm.exit_code != 0 || !pacemaker.ok()) {
    v.kind = Verdict::kPacemakerFailed;
    v.detail = "exit " + std::to_string(pm.exit_code) + ": " +
               (pacemaker.ok() ? "" : pacemaker.status().message() + "; ") +
               FirstLines(pm.err, 3);
    return v;
  }
  // Both read the partition's quorum from the file (<cib have-quorum>).
  ProcessResult pl = RunProcess(
      {paceline_bin, "simulate", "--pacemaker-xml", path, "--output-as=json"},
      timeout_s);
  auto paceline = ParsePacelineSimulate(pl.out);
  if (pl.exit_code != 0 || !paceline.ok()) {
    v.kind = Verdict::kPacelineFailed;
    v.detail = "exit " + std::to_string(pl.exit_code) + ": " +
               (paceline.ok() ? "" : paceline.status().message() + "; ") +
               FirstLines(pl.err, 3);
    return v;
  }
  v.differences = Compare(*pacemaker, *paceline);
  v.kind = v.differences.empty() ? Verdict::kAgree : Verdict::kDisagree;
  return v;
}

Verdict Runner::RunXml(const std::string& xml) const {
  TempDir dir;
  if (dir.path().empty()) {
    return {
        Verdict::kPacemakerFailed, {}, "cannot create a temporary directory"};
  }
  fs::path file = dir.path() / "cib.xml";
  std::ofstream(file) << xml;
  return RunFile(file.string());
}

}  // namespace paceline::differential
