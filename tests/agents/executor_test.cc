// The executor against the real agents installed on this machine
// (pacemaker-resource-agents) and small hand-written agents in a temp
// OCF_ROOT.
#include "agents/executor.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "tests/agents/executor_fixture.h"

namespace paceline::agents::testing {
namespace {

using std::chrono::milliseconds;

long long Ms(Steady::duration d) {
  return std::chrono::duration_cast<milliseconds>(d).count();
}

TEST_F(ExecutorTest, DummyLifecycle) {
  const std::vector<std::pair<std::string, int>> steps = {
      {"monitor", 7}, {"start", 0}, {"monitor", 0}, {"start", 0},
      {"stop", 0},    {"stop", 0},  {"monitor", 7}};
  for (const auto& [action, want] : steps) {
    ActionResult r = Run(Dummy("d1", action));
    EXPECT_EQ(r.status, ExecStatus::kDone) << action << ": " << r.reason;
    EXPECT_EQ(r.rc, want) << action << " output: " << r.output.Text();
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/d1.state"));
}

TEST_F(ExecutorTest, TimeoutKillsTheWholeProcessGroup) {
  ActionRequest req = Dummy("slow", "start", {{"op_sleep", "5"}});
  req.timeout_ms = 1000;
  options_.kill_grace = milliseconds(1000);
  auto t0 = Steady::now();
  ActionResult r = Run(req);
  long long ms = Ms(Steady::now() - t0);
  EXPECT_EQ(r.status, ExecStatus::kTimedOut);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.reason.find("timed out"), std::string::npos) << r.reason;
  EXPECT_GE(ms, 900);
  EXPECT_LE(ms, 3000);
  ASSERT_GT(r.pid, 0);
  // The agent's `sleep 5` was in the group too; once the executor has reaped
  // the orphans nothing of the group is left.
  EXPECT_TRUE(RunUntil([&] { return GroupGone(r.pid); }, milliseconds(2000)))
      << "process group " << r.pid << " still exists";
}

TEST_F(ExecutorTest, FailStartOnThisNode) {
  ActionResult r = Run(Dummy("f1", "start", {{"fail_start_on", HostName()}}));
  EXPECT_EQ(r.status, ExecStatus::kDone);
  EXPECT_EQ(r.rc, 1);
}

TEST_F(ExecutorTest, UnknownActionIsUnimplemented) {
  ActionResult r = Run(Dummy("u1", "frobnicate"));
  EXPECT_EQ(r.status, ExecStatus::kDone);
  EXPECT_EQ(r.rc, 3);
}

TEST_F(ExecutorTest, MissingAgentIsNotInstalled) {
  ActionResult r = Run(Ocf("m1", "pacemaker", "NoSuchAgent", "monitor"));
  EXPECT_EQ(r.status, ExecStatus::kNotInstalled);
  EXPECT_EQ(r.rc, 5);
  EXPECT_NE(r.reason.find("not found"), std::string::npos) << r.reason;
}

TEST_F(ExecutorTest, NonExecutableAgentIsNotInstalled) {
  UseTestOcfRoot();
  WriteAgent("plain", "exit 0", 0644);
  ActionResult r = Run(Ocf("n1", "test", "plain", "start"));
  EXPECT_EQ(r.status, ExecStatus::kNotInstalled);
  EXPECT_EQ(r.rc, 5);
  EXPECT_NE(r.reason.find("not an executable"), std::string::npos) << r.reason;
}

TEST_F(ExecutorTest, BadInterpreterIsNotInstalled) {
  UseTestOcfRoot();
  std::string path = dir_ + "/ocf/resource.d/test/badsh";
  std::ofstream(path) << "#!/nonexistent/shell\nexit 0\n";
  chmod(path.c_str(), 0755);
  ActionResult r = Run(Ocf("b1", "test", "badsh", "start"));
  EXPECT_EQ(r.status, ExecStatus::kNotInstalled);
  EXPECT_EQ(r.rc, 5);
  EXPECT_NE(r.reason.find("could not execute"), std::string::npos) << r.reason;
}

TEST_F(ExecutorTest, UnsupportedClassIsAnErrorNotASpawn) {
  ActionRequest req = Dummy("s1", "start");
  req.agent = {"systemd", "", "postgresql"};
  ActionResult r = Run(req);
  EXPECT_EQ(r.status, ExecStatus::kError);
  EXPECT_EQ(r.pid, -1);
  EXPECT_NE(r.reason.find("not supported yet"), std::string::npos);
}

TEST_F(ExecutorTest, MegabytesOfOutputAreBounded) {
  UseTestOcfRoot();
  WriteAgent("chatty",
             "head -c 10000000 /dev/zero | tr '\\0' x\necho\necho LAST\n"
             "exit 0");
  ActionResult r = Run(Ocf("c1", "test", "chatty", "start"));
  EXPECT_EQ(r.status, ExecStatus::kDone);
  EXPECT_EQ(r.rc, 0);
  EXPECT_GE(r.output.total_bytes(), 10000000u);
  EXPECT_LE(r.output.Text().size(), 128u * 1024 + 100);
  EXPECT_EQ(r.output.LastLine(), "LAST");
}

TEST_F(ExecutorTest, CompletesAtExitNotWhenABackgroundChildClosesThePipe) {
  UseTestOcfRoot();
  WriteAgent("forks", "(sleep 3; echo late) &\necho early\nexit 0");
  ActionResult r = Run(Ocf("bg", "test", "forks", "start"));
  EXPECT_EQ(r.status, ExecStatus::kDone);
  EXPECT_EQ(r.rc, 0);
  EXPECT_LT(r.duration.count(), 500) << "waited for the pipe, not the exit";
  EXPECT_NE(r.output.Text().find("early"), std::string::npos);
  EXPECT_EQ(r.output.Text().find("late"), std::string::npos);
  ASSERT_GT(r.pid, 0);
  EXPECT_FALSE(GroupGone(r.pid)) << "the background child should be alive";
  kill(-r.pid, SIGKILL);
  EXPECT_TRUE(RunUntil([&] { return GroupGone(r.pid); }, milliseconds(2000)));
}

TEST_F(ExecutorTest, AgentKilledBySignalIsAnError) {
  UseTestOcfRoot();
  WriteAgent("suicide", "kill -9 $$");
  ActionResult r = Run(Ocf("k1", "test", "suicide", "start"));
  EXPECT_EQ(r.status, ExecStatus::kError);
  EXPECT_NE(r.reason.find("signal 9"), std::string::npos) << r.reason;
}

TEST_F(ExecutorTest, AgentSeesOnlyTheBuiltEnvironmentAndNoInheritedFds) {
  UseTestOcfRoot();
  setenv("PACELINE_PARENT_ONLY", "1", 1);
  WriteAgent("envdump",
             "env | sort\nls /proc/self/fd | sort -n | tr '\\n' ' '\n"
             "echo\nread line && echo stdin-had-data\nexit 0");
  ActionResult r = Run(Ocf("e1", "test", "envdump", "monitor"));
  unsetenv("PACELINE_PARENT_ONLY");
  std::string out = r.output.Text();
  EXPECT_EQ(out.find("PACELINE_PARENT_ONLY"), std::string::npos);
  EXPECT_NE(out.find("OCF_RESKEY_CRM_meta_interval=0"), std::string::npos);
  EXPECT_NE(out.find("HA_RSCTMP=" + dir_ + "/rsctmp"), std::string::npos);
  // 0, 1, 2 and the fd ls itself opens for /proc/self/fd.
  EXPECT_NE(out.find("0 1 2 3 \n"), std::string::npos) << out;
  EXPECT_EQ(out.find("stdin-had-data"), std::string::npos);
}

TEST_F(ExecutorTest, ConcurrencyLimitIsRespected) {
  options_.max_concurrent = 2;
  std::vector<ActionRequest> reqs;
  for (int i = 0; i < 6; ++i) {
    reqs.push_back(
        Dummy("c" + std::to_string(i), "start", {{"op_sleep", "1"}}));
  }
  size_t max_running = 0;
  auto t0 = Steady::now();
  std::vector<ActionResult> results(reqs.size());
  size_t done = 0;
  for (size_t i = 0; i < reqs.size(); ++i) {
    Exec().Submit(reqs[i], [&, i](ActionResult r) {
      results[i] = std::move(r);
      ++done;
    });
    max_running = std::max(max_running, Exec().running());
  }
  EXPECT_EQ(Exec().queued(), 4u);
  RunUntil(
      [&] {
        max_running = std::max(max_running, Exec().running());
        return done == reqs.size();
      },
      milliseconds(15000));
  long long ms = Ms(Steady::now() - t0);
  ASSERT_EQ(done, reqs.size());
  for (const auto& r : results) EXPECT_EQ(r.rc, 0) << r.output.Text();
  EXPECT_LE(max_running, 2u);
  EXPECT_GE(ms, 2900);
  EXPECT_LT(ms, 6000);
}

// Dummy itself detects two concurrent monitors with op_sleep on one state
// file ("alternate universe collision", rc 1).
TEST_F(ExecutorTest, ActionsOnOneResourceAreSerialised) {
  ASSERT_EQ(Run(Dummy("one", "start")).rc, 0);
  auto t0 = Steady::now();
  auto results = RunAll({Dummy("one", "monitor", {{"op_sleep", "1"}}),
                         Dummy("one", "monitor", {{"op_sleep", "1"}}),
                         Dummy("one", "stop")});
  long long ms = Ms(Steady::now() - t0);
  EXPECT_EQ(results[0].rc, 0) << results[0].output.Text();
  EXPECT_EQ(results[1].rc, 0) << results[1].output.Text();
  EXPECT_EQ(results[2].rc, 0);
  EXPECT_GE(ms, 1900);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/one.state"));
}

// The contrast: different resource ids do run at the same time (Dummy's own
// collision detector is racy, so this checks the wall time only).
TEST_F(ExecutorTest, DifferentResourcesRunConcurrently) {
  auto t0 = Steady::now();
  auto results = RunAll({Dummy("a", "monitor", {{"op_sleep", "1"}}),
                         Dummy("b", "monitor", {{"op_sleep", "1"}})});
  long long ms = Ms(Steady::now() - t0);
  EXPECT_LT(ms, 1900) << "not concurrent";
  EXPECT_EQ(results[0].rc, 7);
  EXPECT_EQ(results[1].rc, 7);
}

// An agent that ignores SIGTERM, with a child that ignores it too: only the
// SIGKILL after the grace ends them, and the orphaned child must be reaped
// (init does not reap on these VMs) for the group to disappear.
TEST_F(ExecutorTest, TimeoutEscalatesToSigkillForTheGroup) {
  UseTestOcfRoot();
  WriteAgent("stubborn", "trap '' TERM\nsleep 30 &\nsleep 30");
  options_.kill_grace = milliseconds(500);
  ActionRequest req = Ocf("st", "test", "stubborn", "start");
  req.timeout_ms = 300;
  ActionResult r = Run(req);
  EXPECT_EQ(r.status, ExecStatus::kTimedOut);
  EXPECT_GE(r.duration.count(), 750);
  EXPECT_LE(r.duration.count(), 2500);
  ASSERT_GT(r.pid, 0);
  EXPECT_TRUE(RunUntil([&] { return GroupGone(r.pid); }, milliseconds(2000)))
      << "process group " << r.pid << " still exists";
}

TEST_F(ExecutorTest, StatefulPromoteDemote) {
  auto stateful = [&](const std::string& action) {
    ActionRequest r = Ocf("sf", "pacemaker", "Stateful", action,
                          {{"state", dir_ + "/sf.state"}});
    r.meta.Set("promotable", "true");
    return Run(r);
  };
  const std::vector<std::pair<std::string, int>> steps = {
      {"monitor", 7}, {"start", 0},   {"monitor", 0},
      {"promote", 0}, {"monitor", 8}, {"demote", 0},
      {"monitor", 0}, {"stop", 0},    {"monitor", 7}};
  for (const auto& [action, want] : steps) {
    ActionResult r = stateful(action);
    EXPECT_EQ(r.rc, want) << action << ": " << r.output.Text();
  }
}

TEST_F(ExecutorTest, NoFdLeaksAndNoZombies) {
  UseTestOcfRoot();
  WriteAgent("ok", "echo hi\nexit 0");
  WriteAgent("forks", "(sleep 0.2) &\nexit 0");
  WriteAgent("slow", "sleep 5");
  // Warm up: the io_context's reactor fds (epoll, eventfd, timerfd) are
  // created on first use and are not per action.
  ASSERT_EQ(Run(Ocf("w", "test", "ok", "start")).rc, 0);
  int before = CountOpenFds();
  ActionRequest slow = Ocf("s", "test", "slow", "start");
  slow.timeout_ms = 200;
  auto results = RunAll({Ocf("a", "test", "ok", "start"),
                         Ocf("b", "test", "forks", "start"),
                         Ocf("c", "test", "missing", "start"), slow});
  EXPECT_EQ(results[0].rc, 0);
  EXPECT_EQ(results[2].rc, 5);
  EXPECT_EQ(results[3].status, ExecStatus::kTimedOut);
  EXPECT_EQ(CountOpenFds(), before);
  // The forked sleep outlives its agent by 0.2 s; the executor reaps it.
  bool no_children = RunUntil(
      [] {
        // WNOWAIT: look, do not reap; reaping is the executor's job.
        siginfo_t info{};
        return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == -1 &&
               errno == ECHILD;
      },
      milliseconds(3000));
  EXPECT_TRUE(no_children) << "zombies or children left";
}

// A recurring monitor runs at once, then every interval after each run, with
// the interval in the agent's environment (or agents take it for a probe);
// after CancelRecurring nothing runs any more.
TEST_F(ExecutorTest, RecurringMonitorRunsUntilCancelled) {
  UseTestOcfRoot();
  WriteAgent("counter", "echo \"$OCF_RESKEY_CRM_meta_interval\" >> " + dir_ +
                            "/runs\nexit 0");
  ActionRequest req = Ocf("r1", "test", "counter", "monitor");
  req.interval_ms = 300;
  std::vector<int> rcs;
  auto id =
      Exec().StartRecurring(req, [&](ActionResult r) { rcs.push_back(r.rc); });
  ASSERT_TRUE(id.ok());
  RunUntil([] { return false; }, milliseconds(1000));
  EXPECT_GE(rcs.size(), 3u);  // at 0, ~300, ~600, ~900 ms
  EXPECT_LE(rcs.size(), 5u);
  for (int rc : rcs) EXPECT_EQ(rc, 0);
  EXPECT_TRUE(Exec().CancelRecurring(*id));
  EXPECT_FALSE(Exec().CancelRecurring(*id));
  size_t at_cancel = rcs.size();
  RunUntil([] { return false; }, milliseconds(700));
  EXPECT_EQ(rcs.size(), at_cancel);
  std::ifstream runs(dir_ + "/runs");
  std::string line;
  size_t lines = 0;
  while (std::getline(runs, line)) {
    EXPECT_EQ(line, "300");
    ++lines;
  }
  EXPECT_GE(lines, at_cancel);
  req.interval_ms = 0;
  EXPECT_FALSE(Exec().StartRecurring(req, [](ActionResult) {}).ok());
}

// Destroying the executor kills running agents' groups and reaps them, drops
// queued actions, and calls no callback.
TEST_F(ExecutorTest, DestructionKillsRunningAndDropsQueued) {
  UseTestOcfRoot();
  WriteAgent("slow", "echo $$ > " + dir_ + "/pid\nsleep 30");
  options_.max_concurrent = 1;
  int callbacks = 0;
  Exec().Submit(Ocf("a", "test", "slow", "start"),
                [&](ActionResult) { ++callbacks; });
  Exec().Submit(Ocf("b", "test", "slow", "start"),
                [&](ActionResult) { ++callbacks; });
  // The shell creates the file before it writes the pid: wait for the line.
  auto pid_written = [&] {
    std::ifstream in(dir_ + "/pid");
    std::string line;
    // A complete line: getline stopped at its '\n', not at end of file.
    return std::getline(in, line) && !line.empty() && !in.eof();
  };
  ASSERT_TRUE(RunUntil(pid_written, milliseconds(3000)));
  int pid = 0;
  std::ifstream(dir_ + "/pid") >> pid;
  ASSERT_GT(pid, 0);
  groups_.insert(pid);
  EXPECT_EQ(Exec().queued(), 1u);
  executor_.reset();
  EXPECT_EQ(kill(pid, 0), -1) << "the agent was not killed and reaped";
  // Its `sleep 30` was SIGKILLed with the group; with the executor gone,
  // reaping that orphan is up to us.
  auto until = Steady::now() + milliseconds(5000);  // generous under load
  while (!GroupGone(pid) && Steady::now() < until) {
    if (waitpid(-1, nullptr, WNOHANG) <= 0) usleep(10000);
  }
  EXPECT_TRUE(GroupGone(pid));
  RunUntil([] { return false; }, milliseconds(200));
  EXPECT_EQ(callbacks, 0);
}

// The coroutine form: a Dummy lifecycle written as straight-line code.
TEST_F(ExecutorTest, AwaitableLifecycle) {
  namespace asio = boost::asio;
  std::vector<int> rcs;
  bool done = false;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        for (const char* action : {"monitor", "start", "monitor", "stop"}) {
          ActionResult r = co_await AsyncRun(Exec(), Dummy("co", action),
                                             asio::use_awaitable);
          rcs.push_back(r.rc);
        }
        done = true;
      },
      asio::detached);
  ASSERT_TRUE(RunUntil([&] { return done; }, milliseconds(10000)));
  EXPECT_EQ(rcs, (std::vector<int>{7, 0, 0, 0}));
}

}  // namespace
}  // namespace paceline::agents::testing
