// Resources through real daemons and real agents (ocf:pacemaker:Dummy) in a
// test-made network namespace: a group starts on one node in order; kill -9
// of that node moves it to the survivor; a failed recurring monitor is
// recovered in place; the returning node takes nothing back (stickiness);
// no primitive is ever reported active on two nodes.
// Needs root (network namespaces); skipped otherwise.
#include <gtest/gtest.h>

#include <map>

#include "tests/cluster/netns_cluster.h"

namespace paceline::testing {
namespace {

using std::chrono::seconds;
namespace json = boost::json;

class FailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
  }
  RunResult Crm(const NetnsCluster& c, int node,
                const std::vector<std::string>& args) {
    return c.Crm(node, args);
  }
  // instance -> node of the active resources, as node `from` reports;
  // fails the test if a primitive is active on two nodes.
  std::map<std::string, std::string> Placement(const NetnsCluster& c,
                                               int from) {
    std::map<std::string, std::string> out;
    for (const auto& [id, node] : c.Active(from)) {
      EXPECT_FALSE(out.count(id)) << id << " is active on two nodes";
      out[id] = node;
    }
    return out;
  }
  bool AllOn(const NetnsCluster& c, int from, const std::string& node) {
    auto p = Placement(c, from);
    if (p.size() != 3) return false;
    for (const auto& [id, n] : p) {
      if (n != node) return false;
    }
    return true;
  }
};

TEST_F(FailoverTest, GroupFailsOverAndIsRecovered) {
  NetnsCluster c(2);
  ASSERT_TRUE(c.ok()) << c.setup_error();
  ASSERT_TRUE(c.StartAll());
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2}); }, seconds(5)));
  ASSERT_EQ(
      c.ConfigureAll(
          2,
          {"configure property stonith-enabled=false",
           "configure property no-quorum-policy=ignore",
           "configure rsc_defaults resource-stickiness=100",
           "configure primitive a ocf:pacemaker:Dummy op monitor interval=1s",
           "configure primitive b ocf:pacemaker:Dummy op monitor interval=1s",
           "configure primitive v ocf:pacemaker:Dummy op monitor interval=1s",
           "configure group g a b v"}),
      "");
  std::string holder;
  ASSERT_TRUE(c.WaitFor(
      [&] {
        for (std::string n : {"node1", "node2"}) {
          if (AllOn(c, 1, n)) holder = n;
        }
        return !holder.empty();
      },
      seconds(10)))
      << c.Log(1);
  int victim = holder == "node1" ? 1 : 2;
  int survivor = 3 - victim;
  std::string other = NodeName(survivor);

  // kill -9 of the holder: the group starts on the survivor.
  auto t0 = std::chrono::steady_clock::now();
  c.Kill(victim);
  ASSERT_TRUE(c.WaitFor([&] { return AllOn(c, survivor, other); }, seconds(5)))
      << c.Log(survivor);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - t0);
  EXPECT_LT(took.count(), 3000) << "failover took " << took.count() << " ms";

  // A monitor failure is recovered in place and reported.
  std::string state = c.StateDir(survivor) + "/" + other + "/run/Dummy-b.state";
  ASSERT_EQ(std::remove(state.c_str()), 0) << state;
  ASSERT_TRUE(c.WaitFor(
      [&] {
        auto st = c.Status(survivor);
        return st && !st->at("failures").as_array().empty() &&
               std::filesystem::exists(state);
      },
      seconds(5)))
      << c.Log(survivor);
  EXPECT_TRUE(c.WaitFor([&] { return AllOn(c, survivor, other); }, seconds(5)))
      << c.Log(survivor);

  // The old holder returns after a reboot (which empties /run, where its
  // agents keep their state): nothing moves back.
  std::filesystem::remove_all(c.StateDir(victim) + "/" + NodeName(victim));
  ASSERT_TRUE(c.Start(victim));
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2}); }, seconds(5)));
  std::this_thread::sleep_for(seconds(2));
  EXPECT_TRUE(AllOn(c, survivor, other)) << c.Log(survivor);
  EXPECT_TRUE(c.WaitFor([&] { return AllOn(c, victim, other); }, seconds(3)))
      << "the returning node's view: "
      << (c.Status(victim) ? json::serialize(*c.Status(victim)) : "none")
      << "\n"
      << c.Log(victim);
}

}  // namespace
}  // namespace paceline::testing
