// Executor overhead: N ocf:pacemaker:Dummy monitor actions through the
// executor with a concurrency limit, against a bare posix_spawn + waitpid of
// the same script with the same argv and environment at the same
// concurrency. Prints ops/s for both and the executor's overhead per action.
//
//   bench_executor_overhead [N=1000] [CONCURRENCY=8]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "agents/executor.h"

namespace {

using paceline::agents::ActionRequest;
using Clock = std::chrono::steady_clock;

ActionRequest Monitor(int i, const std::string& dir) {
  ActionRequest r;
  r.resource_id = "bench" + std::to_string(i);
  r.agent = {"ocf", "pacemaker", "Dummy"};
  r.action = "monitor";
  r.params.Set("state", dir + "/" + r.resource_id + ".state");
  r.timeout_ms = 20000;
  return r;
}

double RunExecutor(int n, int conc, const paceline::agents::NodeContext& node,
                   const std::string& dir, int* failures) {
  boost::asio::io_context io;
  paceline::agents::ExecutorOptions opt;
  opt.max_concurrent = size_t(conc);
  paceline::agents::Executor ex(io, node, opt);
  int done = 0;
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    ex.Submit(Monitor(i, dir), [&](paceline::agents::ActionResult r) {
      if (r.rc != 7) ++*failures;
      ++done;
    });
  }
  while (done < n) io.run_one();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

pid_t SpawnBare(paceline::agents::Invocation& inv) {
  std::vector<char*> argv, envp;
  for (auto& a : inv.argv) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : inv.env) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  posix_spawn(&pid, inv.path.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

double RunBare(int n, int conc, const paceline::agents::NodeContext& node,
               const std::string& dir, int* failures) {
  std::vector<paceline::agents::Invocation> invs;
  for (int i = 0; i < n; ++i) {
    auto inv = paceline::agents::BuildInvocation(Monitor(i, dir), node);
    if (!inv.ok()) return -1;
    invs.push_back(std::move(inv).value());
  }
  auto t0 = Clock::now();
  int started = 0, running = 0;
  while (started < n || running > 0) {
    while (running < conc && started < n) {
      if (SpawnBare(invs[size_t(started++)]) > 0) ++running;
    }
    int st = 0;
    if (waitpid(-1, &st, 0) > 0) {
      --running;
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 7) ++*failures;
    }
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  int conc = argc > 2 ? std::atoi(argv[2]) : 8;
  if (n <= 0 || conc <= 0) {
    std::fprintf(stderr, "usage: %s [N] [CONCURRENCY]\n", argv[0]);
    return 2;
  }
  char tmpl[] = "/tmp/paceline-bench-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  paceline::agents::NodeContext node;
  node.ha_rsctmp = dir;
  node.ha_varrun = dir + "/";
  int exec_fail = 0, bare_fail = 0;
  double bare = RunBare(n, conc, node, dir, &bare_fail);
  double exec = RunExecutor(n, conc, node, dir, &exec_fail);
  std::filesystem::remove_all(dir);
  std::printf("Dummy monitor x%d, concurrency %d\n", n, conc);
  std::printf("  bare posix_spawn+waitpid: %.2f s, %.0f ops/s (%d bad rc)\n",
              bare, n / bare, bare_fail);
  std::printf("  executor:                 %.2f s, %.0f ops/s (%d bad rc)\n",
              exec, n / exec, exec_fail);
  std::printf("  overhead: %+.0f us of wall time per action (%+.1f%%)\n",
              (exec - bare) / n * 1e6, (exec / bare - 1) * 100);
  return exec_fail || bare_fail ? 1 : 0;
}
