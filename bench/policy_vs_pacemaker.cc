// Paceline's scheduler and Pacemaker's, side by side, on the same clusters
// (bench/scale_config.h: the shapes policy_scale measures), as processes:
//
//   crm_simulate -x FILE -R -Q -t NOW              (Pacemaker 2.1.5)
//   paceline simulate --pacemaker-xml FILE --output-as=json
//
// Both read the same Pacemaker CIB XML (our export of the generated cluster,
// with Pacemaker's op-digests, so crm_simulate restarts nothing), unpack it,
// schedule the transition and print it: the whole job of a scheduler run,
// startup included. Per scale and variant (cold: everything stopped;
// running: converged, then the busiest node lost) it prints the wall time
// (median of --runs) and peak resident memory of each, from wait4() on that
// one child (getrusage(RUSAGE_CHILDREN) would report the largest child so
// far), and the ratios Pacemaker / Paceline. Issue 4's target: >= 100x
// faster and <= 1/10 of the memory at 32x1000 and above.
//
//   build/bench/bench_policy_vs_pacemaker [--runs N] [--timeout SECONDS]
//                                         [--keep DIR] [NODESxPRIMITIVES ...]
//
// --keep writes the CIBs there (else a temporary directory, removed).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/scale_config.h"
#include "cib/pacemaker_xml.h"

namespace {

namespace fs = std::filesystem;
namespace cib = paceline::cib;
namespace policy = paceline::policy;
using paceline::bench::ColdStatus;
using paceline::bench::ConfigBuilder;
using paceline::bench::RunningStatus;
using paceline::bench::Scale;
using Clock = std::chrono::steady_clock;

// The bench's kNow (2026-11-25T10:00:00Z) for crm_simulate -t.
constexpr const char* kNowIso = "2026-11-25 10:00:00Z";

const Scale kScales[] = {
    {8, 100}, {16, 500}, {32, 1000}, {32, 2000}, {32, 5000}};

struct Run {
  bool ok = false;
  bool timed_out = false;
  double ms = 0;
  double mb = 0;
};

// One child, stdout and stderr to /dev/null; killed (only it) past the
// deadline.
Run RunOnce(const std::vector<std::string>& argv, int timeout_s) {
  Run r;
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid < 0) return r;
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    if (null < 0) _exit(126);
    dup2(null, 0), dup2(null, 1), dup2(null, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  auto deadline = start + std::chrono::seconds(timeout_s);
  int status = 0;
  rusage ru{};
  // Woken the moment the child exits (its pidfd becomes readable), not by
  // polling: a 1 ms poll adds up to a millisecond to a 50 ms run.
  int pidfd = int(syscall(SYS_pidfd_open, pid, 0));
  while (wait4(pid, &status, WNOHANG, &ru) != pid) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, &ru);
      r.timed_out = true;
      if (pidfd >= 0) close(pidfd);
      return r;
    }
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      poll(&p, 1, int(std::min<long long>(left.count() + 1, 1000)));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  auto end = Clock::now();
  if (pidfd >= 0) close(pidfd);
  r.ms = std::chrono::duration<double, std::milli>(end - start).count();
  r.mb = double(ru.ru_maxrss) / 1024.0;
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return r;
}

// Children are started by a launcher forked before any cluster is built:
// Linux keeps a process's peak RSS across fork and exec, so a child forked
// from this process once it holds a 32x1000 cluster would report that
// cluster's memory as its own.
class Launcher {
 public:
  bool Start() {
    int to[2], from[2];
    if (pipe(to) != 0 || pipe(from) != 0) return false;
    pid_ = fork();
    if (pid_ < 0) return false;
    if (pid_ == 0) {
      close(to[1]), close(from[0]);
      Serve(to[0], from[1]);
      _exit(0);
    }
    close(to[0]), close(from[1]);
    to_ = to[1], from_ = from[0];
    return true;
  }
  ~Launcher() {
    if (pid_ <= 0) return;
    close(to_), close(from_);
    waitpid(pid_, nullptr, 0);
  }
  Run Launch(const std::vector<std::string>& argv, int timeout_s) {
    Run r;
    std::string request = std::to_string(timeout_s);
    for (const auto& a : argv) request += '\0' + a;
    size_t size = request.size();
    if (!WriteAll(to_, &size, sizeof size) ||
        !WriteAll(to_, request.data(), size) || !ReadAll(from_, &r, sizeof r)) {
      return Run{};
    }
    return r;
  }

 private:
  static bool WriteAll(int fd, const void* p, size_t n) {
    for (auto* c = static_cast<const char*>(p); n > 0;) {
      ssize_t k = write(fd, c, n);
      if (k <= 0) return false;
      c += k, n -= size_t(k);
    }
    return true;
  }
  static bool ReadAll(int fd, void* p, size_t n) {
    for (auto* c = static_cast<char*>(p); n > 0;) {
      ssize_t k = read(fd, c, n);
      if (k <= 0) return false;
      c += k, n -= size_t(k);
    }
    return true;
  }
  static void Serve(int in, int out) {
    size_t size = 0;
    while (ReadAll(in, &size, sizeof size)) {
      std::string request(size, '\0');
      if (!ReadAll(in, request.data(), size)) return;
      std::vector<std::string> parts;
      for (size_t at = 0;;) {
        size_t end = request.find('\0', at);
        parts.push_back(request.substr(at, end - at));
        if (end == std::string::npos) break;
        at = end + 1;
      }
      int timeout_s = std::atoi(parts[0].c_str());
      parts.erase(parts.begin());
      Run r = RunOnce(parts, timeout_s);
      if (!WriteAll(out, &r, sizeof r)) return;
    }
  }
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
};

Launcher* g_launcher = nullptr;

// The runs of one command: the median and the fastest wall time, and the
// largest peak among them.
struct Runs {
  std::vector<Run> all;
  Run Summary(bool fastest) const {
    Run out;
    std::vector<double> ms;
    for (const Run& r : all) {
      if (!r.ok) return r;
      ms.push_back(r.ms);
      out.mb = std::max(out.mb, r.mb);
    }
    if (ms.empty()) return out;
    std::sort(ms.begin(), ms.end());
    out.ok = true;
    out.ms = fastest ? ms.front() : ms[ms.size() / 2];
    return out;
  }
};

// One command, `runs` times in a row, stopping at its first failure. Not
// alternated with the other command: on the VMs this runs on, the memory a
// 500 MB crm_simulate gives back at exit goes back to the host, and the
// next process pays to fault it in again (measured: paceline's median 51
// -> 87 ms when alternated).
Runs Measure(const std::vector<std::string>& argv, int runs, int timeout_s) {
  Runs out;
  for (int i = 0; i < runs; ++i) {
    out.all.push_back(g_launcher->Launch(argv, timeout_s));
    if (!out.all.back().ok) break;
  }
  return out;
}

std::string Cell(const Run& r, bool memory) {
  char buf[32];
  if (!r.ok) return r.timed_out ? "timeout" : "failed";
  std::snprintf(buf, sizeof buf, memory ? "%.1f" : "%.0f",
                memory ? r.mb : r.ms);
  return buf;
}

std::string Ratio(const Run& a, const Run& b, bool memory) {
  char buf[32];
  if (!a.ok || !b.ok) return "-";
  double x = memory ? a.mb / b.mb : a.ms / b.ms;
  std::snprintf(buf, sizeof buf, "%.1fx", x);
  return buf;
}

void Compare(const Scale& s, const char* variant, const cib::Document& doc,
             const fs::path& dir, int runs, int timeout_s) {
  fs::path file = dir / (s.Name() + "-" + variant + ".xml");
  std::ofstream(file) << cib::ExportPacemakerXml(doc);
  Runs pl_runs = Measure({PACELINE_BIN, "simulate", "--pacemaker-xml",
                          file.string(), "--output-as=json"},
                         runs, timeout_s);
  Runs pm_runs =
      Measure({"crm_simulate", "-x", file.string(), "-R", "-Q", "-t", kNowIso},
              runs, timeout_s);
  Run pl = pl_runs.Summary(false), pm = pm_runs.Summary(false);
  Run pl_min = pl_runs.Summary(true), pm_min = pm_runs.Summary(true);
  // Schedule() alone, in this process: what the daemon will pay per
  // transition (the import is paid once per CIB change, not per run).
  policy::Snapshot snap{.config = doc.config, .status = doc.status};
  auto t0 = Clock::now();
  auto graph = policy::Schedule(snap, {}, paceline::bench::kNow);
  double sched_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  char sched[32];
  std::snprintf(sched, sizeof sched, graph.ok() ? "%.1f" : "failed", sched_ms);
  Run only{.ok = graph.ok(), .ms = sched_ms};
  std::printf("%-9s %-8s %12s %10s %12s %10s %9s %9s %9s %11s %9s\n",
              s.Name().c_str(), variant, Cell(pm, false).c_str(),
              Cell(pm, true).c_str(), Cell(pl, false).c_str(),
              Cell(pl, true).c_str(), Ratio(pm, pl, false).c_str(),
              Ratio(pm_min, pl_min, false).c_str(), Ratio(pm, pl, true).c_str(),
              sched, Ratio(pm, only, false).c_str());
  std::fflush(stdout);
}

void RunScale(const Scale& s, const fs::path& dir, int runs, int timeout_s) {
  ConfigBuilder builder(s);
  policy::Snapshot cold;
  cold.config = builder.Make();
  cold.status = ColdStatus(cold.config, builder.promotable_primitives());
  Compare(s, "cold", {.config = cold.config, .status = cold.status}, dir, runs,
          timeout_s);
  int leftover = 0;
  auto running = RunningStatus(cold, &leftover);
  if (!running.ok()) {
    std::printf("%-9s running  %s\n", s.Name().c_str(),
                running.status().message().c_str());
    return;
  }
  Compare(s, "running", {.config = cold.config, .status = *running}, dir, runs,
          timeout_s);
}

bool ParseScale(const char* text, Scale* out) {
  int n = 0, p = 0;
  char tail = 0;
  if (std::sscanf(text, "%dx%d%c", &n, &p, &tail) != 2 || n < 1 || p < 10) {
    return false;
  }
  *out = {n, p};
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3, timeout_s = 900;
  std::string keep;
  std::vector<Scale> scales;
  for (int i = 1; i < argc; ++i) {
    Scale s;
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
      timeout_s = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--keep") == 0 && i + 1 < argc) {
      keep = argv[++i];
    } else if (ParseScale(argv[i], &s)) {
      scales.push_back(s);
    } else {
      std::fprintf(stderr,
                   "usage: %s [--runs N] [--timeout SECONDS] [--keep DIR] "
                   "[NODESxPRIMITIVES ...]\n",
                   argv[0]);
      return 2;
    }
  }
  if (scales.empty()) scales.assign(std::begin(kScales), std::end(kScales));
  Launcher launcher;
  if (!launcher.Start()) {
    std::fprintf(stderr, "ERROR: cannot start the launcher process\n");
    return 1;
  }
  g_launcher = &launcher;
  fs::path dir = keep;
  if (keep.empty()) {
    char tmpl[] = "/tmp/paceline-bench.XXXXXX";
    if (!mkdtemp(tmpl)) {
      std::fprintf(stderr, "ERROR: cannot create a temporary directory\n");
      return 1;
    }
    dir = tmpl;
  } else {
    fs::create_directories(dir);
  }
  std::printf(
      "Pacemaker 2.1.5 (crm_simulate -R) vs Paceline (paceline simulate "
      "--pacemaker-xml), same CIB XML,\nwhole process: wall ms (median of %d "
      "runs in a row) and peak RSS MB (wait4);\nratios are Pacemaker / "
      "Paceline, \"fastest x\" that of the fastest runs.\n\n",
      runs);
  std::printf("%-9s %-8s %12s %10s %12s %10s %9s %9s %9s %11s %9s\n", "scale",
              "variant", "pacemaker ms", "pcmk MB", "paceline ms", "pcl MB",
              "time x", "fastest x", "memory x", "Schedule ms", "vs pcmk");
  for (const Scale& s : scales) RunScale(s, dir, runs, timeout_s);
  if (keep.empty()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return 0;
}
