// `paceline cluster setup`, run as the built binary: the files it writes
// load with the daemon's own loaders, it refuses to overwrite without
// --force, and bad arguments are usage errors that write nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "membership/authkey.h"
#include "membership/cluster_config.h"
#include "tests/cli/run_util.h"

namespace paceline::membership {
namespace {

using ::paceline::testing::RunCommand;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

class ClusterSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            ("paceline-setup-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(ClusterSetupTest, WritesAValidConfigAndA0400Key) {
  auto r = RunCommand(
      "paceline", {"cluster", "setup", "hapg", "HA-node1=198.51.100.10",
                   "HA-node2=198.51.100.11,10.0.0.11", "HA-node3=[::1]:5407",
                   "--dir", dir_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<ClusterConfig> c = LoadClusterConfig(dir_ + "/cluster.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->cluster_name, "hapg");
  ASSERT_EQ(c->nodes.size(), 3u);
  for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(c->nodes[i].id, i + 1);
  EXPECT_EQ(c->nodes[1].addresses.size(), 2u);
  EXPECT_EQ(c->nodes[2].addresses[0].port, 5407);
  EXPECT_FALSE(c->quorum.two_node);
  EXPECT_EQ(c->authkey_path, dir_ + "/authkey");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/authkey").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0400u);
  EXPECT_TRUE(LoadAuthKey(c->authkey_path).ok());
}

TEST_F(ClusterSetupTest, TwoNodesGetTwoNodeQuorum) {
  auto r = RunCommand("paceline", {"cluster", "setup", "c", "a=10.0.0.1",
                                   "b=10.0.0.2", "--dir=" + dir_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<ClusterConfig> c = LoadClusterConfig(dir_ + "/cluster.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->quorum.two_node);
  EXPECT_TRUE(c->quorum.wait_for_all);
}

TEST_F(ClusterSetupTest, RefusesToOverwriteWithoutForce) {
  std::vector<std::string> args{"cluster",    "setup", "c",
                                "a=10.0.0.1", "--dir", dir_};
  ASSERT_EQ(RunCommand("paceline", args).exit_code, 0);
  SecretKey first = *LoadAuthKey(dir_ + "/authkey");
  auto again = RunCommand("paceline", args);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already exists (use --force"));
  EXPECT_TRUE(*LoadAuthKey(dir_ + "/authkey") == first);
  args.push_back("--force");
  auto forced = RunCommand("paceline", args);
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_FALSE(*LoadAuthKey(dir_ + "/authkey") == first);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 2);
}

TEST_F(ClusterSetupTest, BadArgumentsAreUsageErrorsAndWriteNothing) {
  const std::vector<std::vector<std::string>> bad = {
      {"cluster"},
      {"cluster", "frobnicate"},
      {"cluster", "setup"},
      {"cluster", "setup", "c"},
      {"cluster", "setup", "c", "a=notanip"},
      {"cluster", "setup", "c", "a=10.0.0.1", "a=10.0.0.2"},
      {"cluster", "setup", "c", "a=10.0.0.1", "b=10.0.0.1"},
      {"cluster", "setup", "c", "a=10.0.0.1,10.0.0.2,10.0.0.3"},
      {"cluster", "setup", "c d", "a=10.0.0.1"},
      {"cluster", "setup", "c", "a=10.0.0.1", "--bogus"},
      {"cluster", "setup", "c", "a=\"x", "--bogus"},
  };
  for (auto args : bad) {
    args.push_back("--dir");
    args.push_back(dir_);
    auto r = RunCommand("paceline", args);
    EXPECT_EQ(r.exit_code, 2) << args[args.size() - 3] << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("ERROR")) << args[args.size() - 3];
    EXPECT_FALSE(fs::exists(dir_ + "/cluster.yaml"));
    EXPECT_FALSE(fs::exists(dir_ + "/authkey"));
  }
}

}  // namespace
}  // namespace paceline::membership
