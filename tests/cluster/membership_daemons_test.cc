// Real `paceline daemon` processes in a test-made network namespace
// (netns_cluster.h): they form one view with one DC, detect kill -9 within
// the bound, take a restarted node back, split and heal under an iptables
// partition, survive 30% random loss without a false death, and a node
// stopped for 2 s (kill -STOP) does not make anybody act on its stale view.
// Needs root (network namespaces); skipped otherwise.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <ctime>
#include <regex>
#include <sstream>

#include "tests/cluster/netns_cluster.h"

namespace paceline::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct LoggedView {
  std::chrono::system_clock::time_point at;
  uint64_t id = 0;
  std::string members;  // "node1 node2"
  std::string dc;
};

std::chrono::system_clock::time_point ParseUtc(const std::string& ts) {
  std::tm tm{};
  strptime(ts.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  auto t = std::chrono::system_clock::from_time_t(timegm(&tm));
  return t + std::chrono::microseconds(std::stol(ts.substr(20, 6)));
}

std::vector<LoggedView> Views(const std::string& log) {
  static const std::regex re(
      R"((\S+) paceline\[\S+\]: view (\d+): members \[([^\]]*)\], DC (\S+),)");
  std::vector<LoggedView> out;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, re)) {
      out.push_back({ParseUtc(m[1]), std::stoull(m[2]), m[3], m[4]});
    }
  }
  return out;
}

class MembershipDaemonsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
  }
};

TEST_F(MembershipDaemonsTest, FormDetectKillAndRejoin) {
  NetnsCluster c(3);
  ASSERT_TRUE(c.ok()) << c.setup_error();
  ASSERT_TRUE(c.StartAll());
  std::string dc;
  ASSERT_TRUE(c.WaitFor(
      [&] {
        return c.Agreed({1, 2, 3}, &dc);
      },
      seconds(5)))
      << c.Log(1);
  EXPECT_EQ(dc, "node1");
  auto st = c.Status(2);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->at("schema").as_string(), "paceline.status/1");
  EXPECT_TRUE(st->at("quorate").as_bool());
  const auto& m = st->at("membership").as_object();
  for (const char* key : {"view", "members", "dc", "quorate", "dropped"}) {
    EXPECT_TRUE(m.contains(key)) << key;
  }
  const auto& member = m.at("members").as_array()[0].as_object();
  EXPECT_EQ(member.at("links").as_array()[0].at("address").as_string(),
            "198.51.100.1");
  EXPECT_TRUE(member.at("links").as_array()[0].at("up").as_bool());
  for (const char* r : {"auth", "replay", "malformed", "wrong_cluster"}) {
    EXPECT_EQ(m.at("dropped").at(r).as_int64(), 0) << r;
  }

  // kill -9 of a member: detected within the bound (500 ms + slack),
  // measured from the kill to the survivors' logged view.
  auto killed_at = std::chrono::system_clock::now();
  c.Kill(3);
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2}); }, seconds(3)));
  auto views = Views(c.Log(1));
  ASSERT_FALSE(views.empty());
  auto detect =
      std::chrono::duration_cast<milliseconds>(views.back().at - killed_at);
  EXPECT_LE(detect.count(), 700) << "detection took " << detect.count();
  EXPECT_EQ(views.back().members, "node1 node2");

  // Restart: a new incarnation rejoins; the DC stays.
  ASSERT_TRUE(c.Start(3));
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}, &dc); }, seconds(5)));
  EXPECT_EQ(dc, "node1");

  // kill -9 of the DC: a new DC among the survivors.
  c.Kill(1);
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({2, 3}, &dc); }, seconds(3)));
  EXPECT_EQ(dc, "node2");
  ASSERT_TRUE(c.Start(1));
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}, &dc); }, seconds(5)));
  EXPECT_EQ(dc, "node2") << "a returning lower id does not take over";
}

TEST_F(MembershipDaemonsTest, PartitionSplitsAndHeals) {
  NetnsCluster c(3);
  ASSERT_TRUE(c.ok()) << c.setup_error();
  ASSERT_TRUE(c.StartAll());
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}); }, seconds(5)));
  ASSERT_TRUE(c.Partition({{1}, {2, 3}}));
  std::string dc;
  ASSERT_TRUE(c.WaitFor(
      [&] {
        return c.Agreed({1}) && c.Agreed({2, 3}, &dc);
      },
      seconds(3)));
  EXPECT_EQ(dc, "node2");
  EXPECT_FALSE(c.Status(1)->at("quorate").as_bool());
  EXPECT_TRUE(c.Status(2)->at("quorate").as_bool());
  ASSERT_TRUE(c.Heal());
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}); }, seconds(5)));
}

TEST_F(MembershipDaemonsTest, ThirtyPercentLossCausesNoFalseDeath) {
  NetnsCluster c(3);
  ASSERT_TRUE(c.ok()) << c.setup_error();
  ASSERT_TRUE(c.StartAll());
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}); }, seconds(5)));
  size_t before = Views(c.Log(1)).size();
  ASSERT_TRUE(
      c.Iptables("-A INPUT -m statistic --mode random --probability 0.3 "
                 "-j DROP"));
  std::this_thread::sleep_for(seconds(20));
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(Views(c.Log(i)).size(), before) << c.Log(i);
  }
  EXPECT_TRUE(c.Agreed({1, 2, 3}));
}

// kill -STOP of the DC for 2 s, then -CONT. The others elect another DC;
// the resumed node tilts, drops its stale view, and rejoins under the new
// DC: nobody ever installs a view that names it DC again.
TEST_F(MembershipDaemonsTest, StoppedNodeDoesNotActOnStaleData) {
  NetnsCluster c(3);
  ASSERT_TRUE(c.ok()) << c.setup_error();
  ASSERT_TRUE(c.StartAll());
  std::string dc;
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}, &dc); }, seconds(5)));
  ASSERT_EQ(dc, "node1");
  c.Signal(1, SIGSTOP);
  auto stopped_at = std::chrono::system_clock::now();
  std::this_thread::sleep_for(seconds(2));
  ASSERT_TRUE(c.Agreed({2, 3}, &dc));
  EXPECT_EQ(dc, "node2");
  c.Signal(1, SIGCONT);
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2, 3}); }, seconds(5)));
  for (int i = 1; i <= 3; ++i) {
    for (const LoggedView& v : Views(c.Log(i))) {
      if (v.at > stopped_at) {
        EXPECT_EQ(v.dc, "node2") << "node" << i << " view " << v.id;
      }
    }
  }
  EXPECT_NE(c.Log(1).find("TILT"), std::string::npos) << c.Log(1);
}

// SIGTERM stops the daemon even while a client keeps its socket open.
TEST_F(MembershipDaemonsTest, SigtermWithAConnectedClientExits) {
  NetnsCluster c(2);
  ASSERT_TRUE(c.ok()) << c.setup_error();
  ASSERT_TRUE(c.StartAll());
  ASSERT_TRUE(c.WaitFor([&] { return c.Agreed({1, 2}); }, seconds(5)));
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, c.Socket(1).c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_TRUE(c.Terminate(1, seconds(3)));
  close(fd);
  EXPECT_NE(c.Log(1).find("shutting down"), std::string::npos);
}

TEST_F(MembershipDaemonsTest, RefusesAnAuthkeyOthersCanRead) {
  NetnsCluster c(2);
  ASSERT_TRUE(c.ok()) << c.setup_error();
  std::string key = c.EtcDir() + "/authkey";
  ASSERT_EQ(chmod(key.c_str(), 0644), 0);
  RunResult r = RunCommand(
      "paceline",
      {"daemon", "--config", c.EtcDir() + "/cluster.yaml", "--node", "node1",
       "--state-dir", c.StateDir(1), "--socket", c.Socket(1), "--foreground"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ERROR:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0400"), std::string::npos) << r.err;
  r = RunCommand("paceline", {"daemon", "--config", "/nonexistent/cluster.yaml",
                              "--foreground"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/cluster.yaml"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace paceline::testing
