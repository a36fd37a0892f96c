// `paceline agent exec` end to end: the built binary against real agents,
// with its state under a private --run-dir.
#include <gtest/gtest.h>

#include "tests/cli/run_util.h"

namespace paceline::testing {
namespace {

class AgentExecCliTest : public ::testing::Test {
 protected:
  RunResult Exec(std::vector<std::string> args) {
    args.insert(args.begin(), {"agent", "exec"});
    args.push_back("--run-dir");
    args.push_back(tmp_.path());
    return RunCommand("paceline", args);
  }
  TempDir tmp_;
};

TEST_F(AgentExecCliTest, DummyStartMonitorStopWithExitCodes) {
  auto probe = Exec({"ocf:pacemaker:Dummy", "monitor"});
  EXPECT_EQ(probe.exit_code, 7) << probe.err;
  EXPECT_NE(probe.err.find("rc=7 (not running) in "), std::string::npos)
      << probe.err;
  EXPECT_EQ(Exec({"ocf:pacemaker:Dummy", "start"}).exit_code, 0);
  // State lives in RUN_DIR/cli/run/, kept between invocations.
  EXPECT_TRUE(std::filesystem::exists(tmp_.File("cli/run/Dummy-Dummy.state")));
  EXPECT_EQ(
      Exec({"ocf:pacemaker:Dummy", "monitor", "--interval", "10000"}).exit_code,
      0);
  // Another node has its own state: not running there.
  EXPECT_EQ(Exec({"ocf:pacemaker:Dummy", "monitor", "--node", "n2"}).exit_code,
            7);
  EXPECT_EQ(Exec({"ocf:pacemaker:Dummy", "stop"}).exit_code, 0);
}

TEST_F(AgentExecCliTest, TimeoutSaysSoAndExitsOne) {
  auto r = Exec({"ocf:pacemaker:Dummy", "start", "op_sleep=5", "--timeout", "1",
                 "--id", "slow"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rc=1 (timed out)"), std::string::npos) << r.err;
}

TEST_F(AgentExecCliTest, MetaDataGoesToStdout) {
  auto r = Exec({"ocf:pacemaker:Dummy", "meta-data"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("<?xml", 0), 0u) << r.out.substr(0, 80);
}

TEST_F(AgentExecCliTest, MissingAgentIsFive) {
  auto r = Exec({"ocf:pacemaker:NoSuchAgent", "start"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("not installed"), std::string::npos) << r.err;
}

TEST_F(AgentExecCliTest, UsageErrorsAreTwo) {
  EXPECT_EQ(Exec({"ocf:x", "start"}).exit_code, 2);
  EXPECT_EQ(Exec({"ocf:pacemaker:Dummy"}).exit_code, 2);
  EXPECT_EQ(Exec({"ocf:pacemaker:Dummy", "start", "novalue"}).exit_code, 2);
  EXPECT_EQ(Exec({"ocf:pacemaker:Dummy", "start", "--bogus", "1"}).exit_code,
            2);
  EXPECT_EQ(RunCommand("paceline", {"agent", "frob"}).exit_code, 2);
}

TEST_F(AgentExecCliTest, ListAndInfo) {
  auto list = RunCommand("paceline", {"agent", "list", "ocf:pacemaker"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("ocf:pacemaker:Dummy\n"), std::string::npos);
  EXPECT_EQ(list.out.find("ocf:heartbeat:"), std::string::npos);
  EXPECT_EQ(RunCommand("paceline", {"agent", "list", "systemd"}).exit_code, 2);
  auto info = RunCommand("paceline", {"agent", "info", "ocf:linbit:drbd"});
  EXPECT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("drbd_resource* (string, unique)"), std::string::npos)
      << info.out;
  EXPECT_NE(info.out.find("    start "), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("timeout=240s\n"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("interval=10s role=Promoted"), std::string::npos);
  auto missing = RunCommand("paceline", {"agent", "info", "ocf:x:Nope"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("not installed"), std::string::npos)
      << missing.err;
}

}  // namespace
}  // namespace paceline::testing
