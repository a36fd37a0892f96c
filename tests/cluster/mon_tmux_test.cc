// crm_mon's live screen end to end: the build tree's crm_mon runs inside a
// tmux session (100x30) against a real two-node cluster (NetnsCluster, a
// Dummy group), and `tmux capture-pane` must show each change within a
// second: standby, migrate (with its cli-prefer constraint), a kill -9 of
// the node running the group (OFFLINE, the group on the survivor), a
// terminal resize, and the watched daemon going away and coming back.
// Needs root (network namespaces) and tmux; skipped otherwise. The tmux
// server has its own socket and is killed even when the test fails.
#include <gtest/gtest.h>

#include <iostream>

#include "tests/cluster/netns_cluster.h"

namespace paceline::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
namespace json = boost::json;

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Capture(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

// One tmux server with its own socket (-S, in a directory of the test's,
// so neither the server nor the socket file outlives the test) and one
// session running a command.
class Tmux {
 public:
  Tmux() : socket_(dir_.File("tmux.sock")) {}
  ~Tmux() { Run("kill-server 2>/dev/null"); }
  bool Start(const std::string& command, int width, int height) {
    return Run("new-session -d -s mon -x " + std::to_string(width) + " -y " +
               std::to_string(height) + " " + ShellQuote(command));
  }
  std::string Screen() const {
    return Capture("tmux -S " + socket_ + " capture-pane -p -t mon 2>&1");
  }
  bool Run(const std::string& args) const {
    return std::system(("tmux -S " + socket_ + " " + args).c_str()) == 0;
  }

 private:
  TempDir dir_;
  std::string socket_;
};

class MonTmuxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
    if (std::system("command -v tmux >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "tmux is not installed (scripts/setup-deps --test)";
    }
    ASSERT_TRUE(c_.ok()) << c_.setup_error();
    ASSERT_TRUE(c_.StartAll());
    ASSERT_TRUE(c_.WaitFor([&] { return c_.Agreed({1, 2}); }, seconds(5)));
    ASSERT_EQ(c_.ConfigureAll(1, kDummyGroupConfig), "");
    ASSERT_TRUE(
        c_.WaitFor([&] { return (holder_ = Holder(1)) != 0; }, seconds(10)))
        << c_.Log(1);
  }

  // The node running both a and b, per node `from`'s status (0: none).
  int Holder(int from) {
    auto st = c_.Status(from);
    if (!st) return 0;
    std::map<std::string, std::string> where;
    for (const json::value& r : st->at("resources").as_array()) {
      const json::object& o = r.as_object();
      if (o.at("node").is_string()) {
        where[std::string(o.at("id").as_string())] = o.at("node").as_string();
      }
    }
    for (int i : {1, 2}) {
      if (where["a"] == NodeName(i) && where["b"] == NodeName(i)) return i;
    }
    return 0;
  }
  // Waits until every piece is on the screen; false (and the screen in
  // the failure message) after `limit`.
  ::testing::AssertionResult Shows(const std::vector<std::string>& pieces,
                                   milliseconds limit) {
    std::string screen;
    bool all = c_.WaitFor(
        [&] {
          screen = tmux_.Screen();
          for (const auto& p : pieces) {
            if (screen.find(p) == std::string::npos) return false;
          }
          return true;
        },
        limit);
    if (all) return ::testing::AssertionSuccess();
    auto failure = ::testing::AssertionFailure() << "missing:";
    for (const auto& p : pieces) {
      if (screen.find(p) == std::string::npos) failure << " [" << p << "]";
    }
    return failure << "\n--- screen ---\n"
                   << screen << "--------------\n"
                   << c_.Log(1) << c_.Log(2);
  }
  std::string Started(int node) {
    return "a (ocf::pacemaker:Dummy): Started " + NodeName(node);
  }

  NetnsCluster c_{2};
  Tmux tmux_;
  int holder_ = 0;
};

TEST_F(MonTmuxTest, ScreenFollowsTheCluster) {
  int h = holder_, other = 3 - holder_;
  // The monitor watches `other`: it survives the crash below (the group
  // is migrated to h first).
  std::string command = "env PACELINE_SOCKET=" + c_.Socket(other) + " " +
                        BinDir() + "/crm_mon; echo crm_mon exited $?; sleep 60";
  ASSERT_TRUE(tmux_.Start(command, 100, 30));
  ASSERT_TRUE(Shows({"Online: [ node1 node2 ]",
                     "Resource Group: g:", Started(h), "-- Events", " q quit"},
                    seconds(5)));

  // standby: the node is marked and the group leaves it.
  RunResult standby = c_.Crm(other, {"--wait", "node", "standby", NodeName(h)});
  ASSERT_EQ(standby.exit_code, 0) << standby.err;
  EXPECT_TRUE(Shows({"Node " + NodeName(h) + ": standby", Started(other)},
                    milliseconds(1000)));
  RunResult online = c_.Crm(other, {"--wait", "node", "online", NodeName(h)});
  ASSERT_EQ(online.exit_code, 0) << online.err;
  EXPECT_TRUE(
      Shows({"Online: [ node1 node2 ]", Started(other)}, milliseconds(1000)));

  // migrate back to h: the cli-prefer constraint is on screen.
  RunResult move =
      c_.Crm(other, {"--wait", "resource", "migrate", "g", NodeName(h)});
  ASSERT_EQ(move.exit_code, 0) << move.err;
  EXPECT_TRUE(Shows({Started(h), "g prefers " + NodeName(h) + " (cli-prefer-g)",
                     "cli-prefer-g added"},
                    milliseconds(1000)));

  // kill -9 of the node running the group.
  c_.Kill(h);
  EXPECT_TRUE(Shows(
      {"OFFLINE: [ " + NodeName(h) + " ]", "node " + NodeName(h) + " lost"},
      milliseconds(1000)));
  ASSERT_TRUE(c_.WaitFor([&] { return Holder(other) == other; }, seconds(5)));
  EXPECT_TRUE(Shows({Started(other)}, milliseconds(1000)));
  std::cout << "--- crm_mon during the crash (100x30) ---\n"
            << tmux_.Screen() << "---\n";

  // A smaller terminal: still a full screen with the key line.
  ASSERT_TRUE(tmux_.Run("resize-window -t mon -x 80 -y 24"));
  EXPECT_TRUE(Shows({" q quit", "Cluster Summary:"}, milliseconds(1000)));

  // The watched daemon goes away and comes back.
  c_.Kill(other);
  EXPECT_TRUE(
      Shows({"DAEMON UNREACHABLE at " + c_.Socket(other)}, milliseconds(1000)));
  ASSERT_TRUE(c_.Start(other));
  EXPECT_TRUE(Shows({"reconnected to the daemon"}, seconds(5)));
  std::string screen = tmux_.Screen();
  EXPECT_EQ(screen.find("DAEMON UNREACHABLE"), std::string::npos) << screen;
  EXPECT_TRUE(tmux_.Run("send-keys -t mon q"));
  EXPECT_TRUE(Shows({"crm_mon exited 0"}, seconds(2)));
}

// The talk's "primary crash" with stand-ins (Stateful for drbd, Dummy for
// the group's members): the screen shows the promoted instance and the
// group move to the survivor.
TEST_F(MonTmuxTest, PrimaryCrashLikeTheTalk) {
  ASSERT_EQ(
      c_.ConfigureAll(
          1,
          {"configure primitive drbd_pg ocf:pacemaker:Stateful op monitor "
           "interval=1s",
           "configure ms ms_drbd_pg drbd_pg meta master-max=1 clone-max=2 "
           "notify=true",
           "configure primitive pg_lvm ocf:pacemaker:Dummy",
           "configure primitive pg_fs ocf:pacemaker:Dummy",
           "configure group PGServer pg_lvm pg_fs",
           "configure colocation col_pg_drbd inf: PGServer ms_drbd_pg:Master",
           "configure order ord_pg inf: ms_drbd_pg:promote PGServer:start"}),
      "");
  // The node where drbd_pg is promoted and PGServer runs, per `from`.
  auto primary = [&](int from) {
    auto st = c_.Status(from);
    if (!st) return 0;
    std::string promoted, fs;
    for (const json::value& r : st->at("resources").as_array()) {
      const json::object& o = r.as_object();
      if (!o.at("node").is_string()) continue;
      std::string node(o.at("node").as_string());
      if (o.at("id") == "drbd_pg" && o.at("role") == "Promoted")
        promoted = node;
      if (o.at("id") == "pg_fs") fs = node;
    }
    for (int i : {1, 2}) {
      if (promoted == NodeName(i) && fs == NodeName(i)) return i;
    }
    return 0;
  };
  int p = 0;
  ASSERT_TRUE(c_.WaitFor([&] { return (p = primary(1)) != 0; }, seconds(15)))
      << c_.Log(1);
  int other = 3 - p;
  ASSERT_TRUE(tmux_.Start("env PACELINE_SOCKET=" + c_.Socket(other) + " " +
                              BinDir() + "/crm_mon; sleep 60",
                          100, 30));
  ASSERT_TRUE(Shows({"Clone Set: ms_drbd_pg [drbd_pg] (promotable):",
                     "Promoted (Masters): [ " + NodeName(p) + " ]",
                     "Unpromoted (Slaves): [ " + NodeName(other) + " ]",
                     "pg_fs (ocf::pacemaker:Dummy): Started " + NodeName(p)},
                    seconds(5)));
  c_.Kill(p);
  EXPECT_TRUE(Shows({"OFFLINE: [ " + NodeName(p) + " ]"}, milliseconds(1000)));
  ASSERT_TRUE(c_.WaitFor([&] { return primary(other) == other; }, seconds(10)));
  EXPECT_TRUE(
      Shows({"Promoted (Masters): [ " + NodeName(other) + " ]",
             "Stopped: [ " + NodeName(p) + " ]",
             "pg_fs (ocf::pacemaker:Dummy): Started " + NodeName(other)},
            milliseconds(1000)));
  std::cout << "--- crm_mon after the primary crashed (100x30) ---\n"
            << tmux_.Screen() << "---\n";
}

}  // namespace
}  // namespace paceline::testing
