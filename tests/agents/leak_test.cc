// Every awkward agent the issue lists, in one executor, with the leak checks
// after them: no fd of ours left open, no child or zombie left, and a
// daemon the agent started (in its own session, so outside the agent's
// process group) is left running while it lives and reaped when it exits.
#include <gtest/gtest.h>

#include "tests/agents/executor_fixture.h"

namespace paceline::agents::testing {
namespace {

bool NoChildren() {
  // WNOWAIT: look, do not reap; reaping is the executor's job.
  siginfo_t info{};
  return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == -1 &&
         errno == ECHILD;
}

// 'Z' for a zombie, 0 when the process is gone.
char ProcState(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return 0;
  size_t paren = stat.rfind(')');
  return paren + 2 < stat.size() ? stat[paren + 2] : 0;
}

TEST_F(ExecutorTest, AwkwardAgentsLeaveNoFdsChildrenOrZombies) {
  UseTestOcfRoot();
  WriteAgent("ok", "exit 0");
  // Forks a daemon the classic way (new session, stdio detached) and
  // exits at once, like pg_ctl start.
  WriteAgent("daemon", "setsid sh -c 'echo $$ > " + dir_ +
                           "/daemon.pid; exec sleep 1' "
                           "</dev/null >/dev/null 2>&1 &\n"
                           "while [ ! -s " +
                           dir_ + "/daemon.pid ]; do :; done\nexit 0");
  WriteAgent("chatty", "head -c 3000000 /dev/zero | tr '\\0' y\nexit 0");
  WriteAgent("plain", "exit 0", 0644);
  WriteAgent("slow", "sleep 10");
  WriteAgent("ignores_term", "trap '' TERM\nsleep 10");
  options_.kill_grace = milliseconds(300);
  ASSERT_EQ(Run(Ocf("w", "test", "ok", "start")).rc, 0);  // reactor fds
  int fds_before = CountOpenFds();

  ActionRequest slow = Ocf("s", "test", "slow", "start");
  slow.timeout_ms = 300;
  ActionRequest stubborn = Ocf("t", "test", "ignores_term", "start");
  stubborn.timeout_ms = 300;
  auto results = RunAll({Ocf("d", "test", "daemon", "start"),
                         Ocf("c", "test", "chatty", "start"),
                         Ocf("p", "test", "plain", "start"),
                         Ocf("m", "test", "missing", "start"), slow, stubborn});
  EXPECT_EQ(Describe(results[0]), "rc=0 (ok)");
  EXPECT_LT(results[0].duration.count(), 900) << "waited for the daemon";
  EXPECT_EQ(results[1].rc, 0);
  EXPECT_GE(results[1].output.total_bytes(), 3000000u);
  EXPECT_EQ(Describe(results[2]), "rc=5 (not installed)");
  EXPECT_EQ(Describe(results[3]), "rc=5 (not installed)");
  EXPECT_EQ(Describe(results[4]), "rc=1 (timed out)");
  EXPECT_EQ(Describe(results[5]), "rc=1 (timed out)");
  EXPECT_EQ(CountOpenFds(), fds_before) << "an action leaked an fd";

  // The daemon outlives its agent (it is the service)...
  std::ifstream pidfile(dir_ + "/daemon.pid");
  int daemon = 0;
  pidfile >> daemon;
  ASSERT_GT(daemon, 0);
  EXPECT_NE(ProcState(daemon), 0) << "the daemon should still run";
  EXPECT_NE(ProcState(daemon), 'Z');
  // ...and once it exits it is reaped, not left as a zombie, and nothing
  // of any agent is left.
  EXPECT_TRUE(
      RunUntil([&] { return ProcState(daemon) == 0; }, milliseconds(3000)))
      << "daemon " << daemon << " state " << ProcState(daemon);
  EXPECT_TRUE(RunUntil(NoChildren, milliseconds(3000)))
      << "children or zombies left";
  for (const auto& r : results) {
    if (r.pid > 0) {
      EXPECT_TRUE(GroupGone(r.pid)) << "group " << r.pid;
    }
  }
}

}  // namespace
}  // namespace paceline::agents::testing
