// Configuration replication through real daemons (netns_cluster.h): a
// change made on any node is committed by the DC and is on every member
// when the command returns; a node that was down catches up when it
// rejoins; a minority partition refuses changes and changes nothing.
// Needs root (network namespaces); skipped otherwise.
#include <gtest/gtest.h>

#include "tests/cluster/netns_cluster.h"

namespace paceline::testing {
namespace {

using std::chrono::seconds;

class CibReplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
  }
  RunResult Crm(const NetnsCluster& c, int node,
                const std::vector<std::string>& args) {
    return RunCommand("crm", args, {{"PACELINE_SOCKET", c.Socket(node)}});
  }
  std::string Show(const NetnsCluster& c, int node) {
    return Crm(c, node, {"configure", "show"}).out;
  }
};

TEST_F(CibReplicationTest, ChangesReachEveryMemberAndSurviveTheDc) {
  NetnsCluster c(3);
  ASSERT_TRUE(c.ok()) << c.setup_error();
  ASSERT_TRUE(c.StartAll());
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}); }, seconds(5)));
  // The DC adds the cluster's nodes to the configuration by itself.
  ASSERT_TRUE(c.WaitFor(
      [&] { return Show(c, 3).find("node 3: node3") != std::string::npos; },
      seconds(5)))
      << Show(c, 3);

  RunResult r = Crm(c, 2,
                    {"configure", "primitive", "d1", "ocf:pacemaker:Dummy",
                     "op", "monitor", "interval=10s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (int i = 1; i <= 3; ++i) {
    EXPECT_NE(ReadFile(c.StateDir(i) + "/cib.yaml").find("d1"),
              std::string::npos)
        << "node" << i << " has not got it when the command returned";
  }
  r = Crm(c, 3, {"node", "standby", "node2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(Show(c, 1).find("standby=on"), std::string::npos);

  // The DC dies; a change through a survivor; the old DC catches up.
  c.Kill(1);
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({2, 3}); }, seconds(3)));
  r = Crm(c, 3, {"configure", "primitive", "d2", "ocf:pacemaker:Dummy"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(c.Start(1));
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}); }, seconds(5)));
  ASSERT_TRUE(c.WaitFor(
      [&] { return Show(c, 1).find("primitive d2") != std::string::npos; },
      seconds(3)))
      << Show(c, 1);
  EXPECT_EQ(Show(c, 1), Show(c, 2));
}

TEST_F(CibReplicationTest, MinorityPartitionRefusesChanges) {
  NetnsCluster c(3);
  ASSERT_TRUE(c.ok()) << c.setup_error();
  ASSERT_TRUE(c.StartAll());
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}); }, seconds(5)));
  ASSERT_TRUE(c.Partition({{1}, {2, 3}}));
  ASSERT_TRUE(c.WaitFor(
      [&] {
        return c.Agreed({1}) && c.Agreed({2, 3});
      },
      seconds(3)));
  std::string before = ReadFile(c.StateDir(1) + "/cib.yaml");
  RunResult r =
      Crm(c, 1, {"configure", "primitive", "x", "ocf:pacemaker:Dummy"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("quorum"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(c.StateDir(1) + "/cib.yaml"), before);
  // The majority can still change it, and the minority gets it on healing.
  r = Crm(c, 2, {"configure", "primitive", "y", "ocf:pacemaker:Dummy"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(c.Heal());
  ASSERT_TRUE(c.WaitFor(
      [&] { return Show(c, 1).find("primitive y") != std::string::npos; },
      seconds(5)));
  EXPECT_EQ(Show(c, 1).find("primitive x"), std::string::npos);
}

}  // namespace
}  // namespace paceline::testing
