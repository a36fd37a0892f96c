// The controller's requests through real daemons and ocf:pacemaker:Dummy in a
// test-made network namespace: online `crm resource cleanup` (the failure
// and fail count go, the resource is probed again), `--wait` (the command
// returns once the cluster settled, printing progress), the event feed,
// `crm resource locate` on the live status, `crm resource restart`, and the
// graceful shutdown on SIGTERM (the node's resources move away before it
// exits; a node with nothing running exits at once).
// Needs root (network namespaces); skipped otherwise.
#include <gtest/gtest.h>

#include <map>

#include "cib/store.h"
#include "crmd/ipc_server.h"
#include "tests/cluster/netns_cluster.h"

namespace paceline::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
namespace json = boost::json;

class ControllerOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
    ASSERT_TRUE(c_.ok()) << c_.setup_error();
    ASSERT_TRUE(c_.StartAll());
    ASSERT_TRUE(c_.WaitFor([&] { return c_.Agreed({1, 2}); }, seconds(5)));
    ASSERT_EQ(c_.ConfigureAll(2, kDummyGroupConfig), "");
    ASSERT_TRUE(c_.WaitFor(
        [&] {
          for (int i : {1, 2}) {
            if (AllOn(1, NodeName(i))) holder_ = i;
          }
          return holder_ != 0;
        },
        seconds(10)))
        << c_.Log(1);
  }

  RunResult Crm(int node, const std::vector<std::string>& args) {
    return c_.Crm(node, args);
  }
  // instance -> node; a primitive active on two nodes fails the test.
  std::map<std::string, std::string> Placement(int from) {
    std::map<std::string, std::string> out;
    for (const auto& [id, node] : c_.Active(from)) {
      EXPECT_FALSE(out.count(id)) << id << " is active on two nodes";
      out[id] = node;
    }
    return out;
  }
  bool AllOn(int from, const std::string& node) {
    auto p = Placement(from);
    return p.size() == 2 && p["a"] == node && p["b"] == node;
  }

  NetnsCluster c_{2};
  int holder_ = 0;
};

TEST_F(ControllerOpsTest, CleanupWaitLocateAndEvents) {
  int other = 3 - holder_;
  auto feed = crmd::IpcClient::Connect(c_.Socket(other));
  ASSERT_TRUE(feed.ok()) << feed.status().message();
  ASSERT_TRUE(feed->Send(json::object{{"op", "subscribe"}}).ok());
  auto subscribed = feed->Next(seconds(2));
  ASSERT_TRUE(subscribed.ok()) << subscribed.status().message();
  EXPECT_TRUE(subscribed->at("ok").as_bool());

  // A failed monitor leaves a failure and a fail count; cleanup clears
  // both, online, and the resource keeps running (probed again).
  std::string state =
      c_.StateDir(holder_) + "/" + NodeName(holder_) + "/run/Dummy-b.state";
  ASSERT_EQ(std::remove(state.c_str()), 0) << state;
  ASSERT_TRUE(c_.WaitFor(
      [&] {
        auto st = c_.Status(other);
        return st && !st->at("failures").as_array().empty() &&
               std::filesystem::exists(state) &&
               AllOn(other, NodeName(holder_));
      },
      seconds(5)))
      << c_.Log(holder_);
  RunResult clean = Crm(other, {"resource", "cleanup", "b"});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_NE(clean.out.find("Cleaned up b"), std::string::npos) << clean.out;
  auto st = c_.Status(other);
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->at("failures").as_array().empty()) << json::serialize(*st);
  EXPECT_TRUE(AllOn(other, NodeName(holder_)));
  EXPECT_EQ(Crm(other, {"resource", "cleanup", "nosuch"}).exit_code, 1);

  // --wait: when the move returns, the group runs on the target.
  RunResult move =
      Crm(holder_, {"--wait", "resource", "move", "g", NodeName(other)});
  ASSERT_EQ(move.exit_code, 0) << move.err;
  EXPECT_NE(move.err.find("start a on " + NodeName(other)), std::string::npos)
      << move.err;
  EXPECT_TRUE(AllOn(holder_, NodeName(other))) << c_.Log(1) << c_.Log(2);
  RunResult locate = Crm(holder_, {"resource", "locate", "a"});
  EXPECT_EQ(locate.out, "resource a is running on: " + NodeName(other) + "\n")
      << locate.err;
  // explain sees the live status: where it runs, nothing left to do.
  RunResult explain = Crm(holder_, {"resource", "explain", "g"});
  EXPECT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_NE(explain.out.find(NodeName(other)), std::string::npos)
      << explain.out;
  EXPECT_NE(explain.out.find("transition: nothing to do"), std::string::npos)
      << explain.out;

  // simulate without a file asks the live cluster: losing the group's
  // node would move it back.
  RunResult sim = RunCommand(
      "paceline",
      {"simulate", "--node-down", NodeName(other), "--output-as=json"},
      {{"PACELINE_SOCKET", c_.Socket(holder_)}});
  EXPECT_EQ(sim.exit_code, 0) << sim.err;
  EXPECT_NE(sim.out.find("\"id\":\"a\",\"instance\":\"a\""), std::string::npos)
      << sim.out;
  EXPECT_NE(sim.out.find("\"node\":\"" + NodeName(holder_) + "\""),
            std::string::npos)
      << sim.out;

  // The subscriber saw the failure, the recovery and the move happen.
  std::set<std::string> kinds;
  std::vector<std::string> started;
  for (int i = 0; i < 200; ++i) {
    auto e = feed->Next(milliseconds(200));
    if (!e.ok()) break;
    kinds.insert(std::string(e->at("event").as_string()));
    if (e->at("event") == "action_started") {
      started.push_back(std::string(e->at("task").as_string()) + " " +
                        std::string(e->at("resource").as_string()));
    }
  }
  for (const char* k : {"action_started", "action_done", "transition_started",
                        "transition_finished", "cleanup"}) {
    EXPECT_TRUE(kinds.count(k)) << k;
  }
  EXPECT_NE(std::find(started.begin(), started.end(), "stop b"), started.end());

  // restart: stopped, then started again (in place: stickiness).
  RunResult restart = Crm(holder_, {"resource", "restart", "g"});
  ASSERT_EQ(restart.exit_code, 0) << restart.err;
  EXPECT_NE(restart.err.find("stop a on"), std::string::npos) << restart.err;
  EXPECT_TRUE(
      c_.WaitFor([&] { return AllOn(holder_, NodeName(other)); }, seconds(5)));
}

TEST_F(ControllerOpsTest, SigtermMovesResourcesAwayFirst) {
  int other = 3 - holder_;
  // A transient attribute (as an agent's crm_attribute -l reboot sets it).
  RunResult attr = RunCommand(
      "sbin/crm_attribute",
      {"-N", NodeName(holder_), "-n", "x-score", "-v", "5", "-l", "reboot"},
      {{"PACELINE_SOCKET", c_.Socket(holder_)}});
  ASSERT_EQ(attr.exit_code, 0) << attr.err;
  auto attributes = [&](int node) {
    auto r = crmd::Request(c_.Socket(other), json::object{{"op", "get_cib"}},
                           seconds(2));
    if (!r.ok()) return std::string("?");
    auto doc = cib::ParseDocument(r->at("cib").as_string());
    if (!doc.ok()) return std::string("?");
    const cib::NodeStatus* st = doc->status.FindNode(NodeName(node));
    std::string out;
    for (const auto& nv : st ? st->attributes : cib::Attributes()) {
      out += nv.name + "=" + nv.value + " ";
    }
    return out;
  };
  ASSERT_TRUE(c_.WaitFor([&] { return attributes(holder_) == "x-score=5 "; },
                         seconds(2)));
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(c_.Terminate(holder_, seconds(10))) << c_.Log(holder_);
  auto took = std::chrono::duration_cast<milliseconds>(
      std::chrono::steady_clock::now() - t0);
  // By the time it exited, its resources were already running elsewhere.
  EXPECT_TRUE(AllOn(other, NodeName(other)))
      << c_.Log(other) << c_.Log(holder_);
  EXPECT_NE(c_.Log(holder_).find("no resources active here any more"),
            std::string::npos)
      << c_.Log(holder_);
  EXPECT_LT(took.count(), 5000);
  // Its transient attributes went with it.
  EXPECT_TRUE(
      c_.WaitFor([&] { return attributes(holder_).empty(); }, seconds(3)))
      << attributes(holder_);

  // The survivor, alone and with resources, stops them before it exits.
  ASSERT_TRUE(c_.WaitFor([&] { return c_.Agreed({other}); }, seconds(5)));
  ASSERT_TRUE(c_.Terminate(other, seconds(10))) << c_.Log(other);
  std::string dir = c_.StateDir(other) + "/" + NodeName(other) + "/run/";
  EXPECT_FALSE(std::filesystem::exists(dir + "Dummy-a.state"));
  EXPECT_FALSE(std::filesystem::exists(dir + "Dummy-b.state"));

  // A node with nothing running exits at once.
  ASSERT_TRUE(c_.Start(holder_));
  ASSERT_TRUE(c_.WaitFor([&] { return c_.Agreed({holder_}); }, seconds(5)));
  RunResult stop = Crm(holder_, {"--wait", "resource", "stop", "g"});
  ASSERT_EQ(stop.exit_code, 0) << stop.err;
  auto t1 = std::chrono::steady_clock::now();
  ASSERT_TRUE(c_.Terminate(holder_, seconds(2))) << c_.Log(holder_);
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(
                std::chrono::steady_clock::now() - t1)
                .count(),
            1000);
}

}  // namespace
}  // namespace paceline::testing
