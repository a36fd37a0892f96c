// The live monitor's logic without a terminal: the event log (membership
// changes, transitions, failures, configuration changes), the session's
// request coalescing and reconnects, the screen layout; and the crm_mon /
// crm status commands on an offline file.
#include <gtest/gtest.h>

#include "cli/mon/events.h"
#include "cli/mon/screen.h"
#include "cli/mon/session.h"
#include "tests/cli/run_util.h"

namespace paceline::cli::mon {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;

WallTime T(long long ms) { return WallTime(milliseconds(ms)); }

json::object Parse(const char* text) { return json::parse(text).as_object(); }

std::vector<std::string> Texts(const EventLog& log) {
  std::vector<std::string> out;
  for (const LogEntry& e : log.entries()) out.push_back(e.text);
  return out;
}

json::object Status(long long epoch, bool standby,
                    std::vector<std::string> members) {
  json::array m;
  for (auto& n : members) m.push_back(json::object{{"name", n}});
  return json::object{
      {"epoch", epoch},
      {"membership",
       json::object{{"members", m}, {"dc", "n1"}, {"quorate", true}}},
      {"nodes", json::array{json::object{
                    {"name", "n2"}, {"online", true}, {"standby", standby}}}}};
}

TEST(MonEventLogTest, MembershipTransitionsAndFailures) {
  EventLog log;
  log.OnStatus(Status(5, false, {"n1", "n2"}), T(1000));
  log.Apply(Parse(R"({"event": "view", "view": 7, "members": ["n2"],
                      "dc": "n2", "quorate": true, "at": 2000})"),
            T(0));
  log.Apply(Parse(R"({"event": "transition_started", "transition": 3,
                      "actions": 4, "at": 2100})"),
            T(0));
  log.Apply(Parse(R"({"event": "action_started", "transition": 3,
                      "action": "start_g_n2", "resource": "g", "task": "start",
                      "node": "n2", "at": 2150})"),
            T(0));
  ASSERT_EQ(log.in_flight().size(), 1u);
  EXPECT_EQ(log.in_flight()[0].task, "start");
  EXPECT_EQ(log.in_flight()[0].since, T(2150));
  log.Apply(Parse(R"({"event": "action_failed", "transition": 3,
                      "action": "start_g_n2", "resource": "g", "task": "start",
                      "node": "n2", "rc": 5, "reason": "not installed"})"),
            T(2300));
  EXPECT_TRUE(log.in_flight().empty());
  log.Apply(Parse(R"({"event": "transition_finished", "transition": 3,
                      "aborted": false, "reason": "", "done": 3, "failed": 1,
                      "ms": 420, "at": 2500})"),
            T(0));
  log.Apply(Parse(R"({"event": "view", "view": 8, "members": ["n1", "n2"],
                      "dc": "n2", "quorate": true, "at": 3000})"),
            T(0));
  EXPECT_EQ(Texts(log), (std::vector<std::string>{
                            "node n1 lost", "DC elected: n2",
                            "transition 3 started: 4 actions",
                            "start g on n2 failed: rc 5 (not installed)",
                            "transition 3 finished in 420ms: 3 done, 1 failed",
                            "node n1 joined"}));
  EXPECT_EQ(log.entries()[0].style, Style::kBad);
  EXPECT_EQ(log.entries()[3].at, T(2300));  // no "at": when received
}

TEST(MonEventLogTest, ConfigurationChangesAreDescribed) {
  EventLog log;
  log.OnStatus(Status(5, false, {"n1", "n2"}), T(1000));
  EXPECT_EQ(log.last_change(true), "");
  log.OnStatus(Status(5, false, {"n1", "n2"}), T(2000));  // same epoch
  EXPECT_TRUE(log.entries().empty());
  log.OnStatus(Status(6, true, {"n1", "n2"}), T(3000));
  EXPECT_EQ(Texts(log), std::vector<std::string>{"epoch 5 -> 6: n2 standby"});
  EXPECT_EQ(log.last_change(true), "1970-01-01 00:00:03 - n2 standby");

  json::object before = Parse(R"({"resource_tree": [{"id": "g",
      "target_role": null, "children": [{"id": "a"}]}],
      "cli_constraints": [{"id": "cli-ban-g-on-n1"}]})");
  json::object after = Parse(R"({"resource_tree": [{"id": "g",
      "target_role": "Stopped", "children": []}],
      "cli_constraints": [{"id": "cli-prefer-g"}]})");
  EXPECT_EQ(DescribeChange(before, after),
            (std::vector<std::string>{"g target-role Stopped", "a deleted",
                                      "cli-prefer-g added",
                                      "cli-ban-g-on-n1 removed"}));
}

TEST(MonEventLogTest, KeepsTheNewestEntries) {
  EventLog log(3);
  for (int i = 0; i < 5; ++i)
    log.Note(T(i * 1000), "note " + std::to_string(i));
  EXPECT_EQ(Texts(log),
            (std::vector<std::string>{"note 2", "note 3", "note 4"}));
  std::vector<Line> lines = RenderLog(log.entries(), 2, 80, true);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "00:00:03 note 3");
}

using Steady = Session::Steady;
Steady S(long long ms) { return Steady(milliseconds(ms)); }

json::object StatusAnswer(long long epoch) {
  return json::object{{"ok", true}, {"status", Status(epoch, false, {"n1"})}};
}

TEST(MonSessionTest, CoalescesStatusRequests) {
  Session s("/run/x.sock");
  auto first = s.OnConnected(T(0), S(0));
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].at("op"), "subscribe");
  EXPECT_EQ(first[1].at("op"), "status");
  json::object event = Parse(R"({"event": "transition_started",
                                 "transition": 1, "actions": 2})");
  // Three events while the status request is out: no new request now,
  // exactly one once the answer is in.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(s.OnLine(event, T(0), S(10)).empty());
  EXPECT_TRUE(s.OnLine(Parse(R"({"ok": true, "op": "subscribe"})"), T(0), S(11))
                  .empty());
  auto again = s.OnLine(StatusAnswer(1), T(0), S(20));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].at("op"), "status");
  EXPECT_TRUE(s.OnLine(StatusAnswer(1), T(0), S(30)).empty());
  // Idle: one request a second, none before.
  EXPECT_TRUE(s.OnTick(S(500)).empty());
  EXPECT_EQ(s.OnTick(S(1030)).size(), 1u);
  EXPECT_TRUE(s.OnTick(S(1040)).empty());  // still outstanding
}

TEST(MonSessionTest, SaysWhenTheDaemonIsGoneAndReconnects) {
  Session s("/run/x.sock");
  s.OnConnected(T(0), S(0));
  s.OnLine(StatusAnswer(1), T(0), S(5));
  s.OnDisconnected("the daemon closed the connection", T(10'000), S(10'000));
  EXPECT_FALSE(s.ShouldReconnect(S(10'500)));
  EXPECT_TRUE(s.ShouldReconnect(S(11'000)));
  RenderOptions o;
  o.utc = true;
  std::string text = PlainText(s.Render(o, 200, T(25'000), S(25'000)));
  EXPECT_NE(text.find("DAEMON UNREACHABLE at /run/x.sock since 1970-01-01 "
                      "00:00:10 (15.0s): the daemon closed the connection"),
            std::string::npos)
      << text;
  // The last status is still shown.
  EXPECT_NE(text.find("Cluster Summary:"), std::string::npos);
  s.OnDisconnected("No such file or directory", T(11'000), S(11'000));
  auto again = s.OnConnected(T(12'000), S(12'000));
  EXPECT_EQ(again.size(), 2u);
  std::vector<std::string> log = Texts(s.log());
  EXPECT_EQ(log.back(), "reconnected to the daemon");
  // One note for the outage, not one per failed attempt.
  EXPECT_EQ(std::count_if(log.begin(), log.end(),
                          [](const std::string& t) {
                            return t.starts_with("daemon unreachable");
                          }),
            1);
}

TEST(MonSessionTest, SlowAnswerShowsTheAge) {
  Session s("/run/x.sock");
  s.OnConnected(T(0), S(0));
  s.OnLine(StatusAnswer(1), T(0), S(5));
  ASSERT_EQ(s.OnTick(S(1005)).size(), 1u);
  RenderOptions o;
  o.utc = true;
  std::string text = PlainText(s.Render(o, 200, T(5000), S(5005)));
  EXPECT_NE(text.find("the daemon has not answered for 4.0s"),
            std::string::npos)
      << text;
}

TEST(MonScreenTest, LayoutFitsTheTerminal) {
  std::vector<Line> status(40, Line{"status line", {}});
  std::deque<LogEntry> log;
  for (int i = 0; i < 10; ++i)
    log.push_back({T(i * 1000), "event " + std::to_string(i)});
  RenderOptions o;
  o.utc = true;
  for (auto [w, h] : {std::pair{80, 24}, {100, 30}, {160, 50}, {30, 8}}) {
    Layout l = ComputeLayout(w, h);
    ScreenView view;
    view.scroll = 1000;
    std::vector<Line> screen = ComposeScreen(status, log, l, w, h, o, view);
    ASSERT_EQ(int(screen.size()), h) << w << "x" << h;
    for (const Line& line : screen) EXPECT_LE(int(line.text.size()), w);
    EXPECT_EQ(view.scroll, std::max(0, 40 - l.status_rows));  // clamped
    EXPECT_NE(screen.back().text.find(" q quit"), std::string::npos);
  }
  Layout narrow = ComputeLayout(80, 24);
  EXPECT_FALSE(narrow.side);
  EXPECT_EQ(narrow.log_rows, 4);
  ScreenView top;
  std::vector<Line> screen = ComposeScreen(status, log, narrow, 80, 24, o, top);
  EXPECT_EQ(screen[size_t(narrow.status_rows)].text.substr(0, 9), "-- Events");
  EXPECT_EQ(screen[22].text, "00:00:09 event 9");  // newest last
  Layout wide = ComputeLayout(160, 50);
  EXPECT_TRUE(wide.side);
  std::vector<Line> side = ComposeScreen(status, log, wide, 160, 50, o, top);
  EXPECT_EQ(side[0].text.substr(size_t(wide.status_width)), "|Events:");
  ScreenView help{0, true};
  std::vector<Line> h = ComposeScreen(status, log, narrow, 80, 24, o, help);
  EXPECT_EQ(h[0].text, "crm_mon keys");
}

// The commands, through the built binary, on an offline file.
TEST(MonCommandTest, OneShotOnAnOfflineFile) {
  TempDir dir;
  std::string cib = dir.File("cib.yaml");
  for (const char* cmd :
       {"configure node 1: n1", "configure node 2: n2",
        "configure primitive a ocf:pacemaker:Dummy",
        "configure primitive b ocf:pacemaker:Dummy", "configure group g a b",
        "node standby n2", "resource migrate g n1"}) {
    std::vector<std::string> args = {"--cib", cib};
    std::istringstream words(cmd);
    for (std::string w; words >> w;) args.push_back(w);
    RunResult r = RunCommand("crm", args);
    ASSERT_EQ(r.exit_code, 0) << cmd << ": " << r.err;
  }
  RunResult mon = RunCommand("crm_mon", {"-1", "--cib", cib});
  ASSERT_EQ(mon.exit_code, 0) << mon.err;
  RunResult status = RunCommand("crm", {"--cib", cib, "status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  // Same content: only "Last updated" may differ between the two runs.
  auto without_time = [](std::string s) {
    size_t at = s.find("Last updated: ");
    return s.substr(0, at) + s.substr(s.find(',', at));
  };
  EXPECT_EQ(without_time(mon.out), without_time(status.out));
  for (const char* want :
       {"* Resource Group: g:\n", "* a (ocf::pacemaker:Dummy): Stopped\n",
        "* OFFLINE: [ n1 n2 ]", "configuration epoch ",
        "* g prefers n1 (cli-prefer-g), no lifetime, remove with: crm "
        "resource unmigrate g\n"}) {
    EXPECT_NE(mon.out.find(want), std::string::npos) << want << "\n" << mon.out;
  }
  EXPECT_EQ(mon.out.find('\x1b'), std::string::npos);  // no escape codes
  RunResult json = RunCommand("crm_mon", {"--output-as=json", "--cib", cib});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  json::object doc = json::parse(json.out).as_object();
  EXPECT_EQ(doc.at("schema"), "paceline.status/1");
  EXPECT_EQ(doc.at("cli_constraints").as_array().size(), 1u);
}

TEST(MonCommandTest, BadInputIsOneLine) {
  RunResult bad = RunCommand("crm_mon", {"--frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.substr(0, bad.err.find('\n')),
            "ERROR: crm_mon: unknown option '--frobnicate'");
  RunResult format = RunCommand("crm_mon", {"-1", "--output-as=xml"});
  EXPECT_EQ(format.exit_code, 2);
  RunResult gone = RunCommand("crm_mon", {"-1", "--socket", "/nonexistent/s"});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.err.find("ERROR: cannot reach the paceline daemon at "
                          "/nonexistent/s"),
            std::string::npos)
      << gone.err;
  RunResult missing = RunCommand("crm_mon", {"-1", "--cib", "/nonexistent/c"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err.rfind("ERROR: crm_mon: /nonexistent/c: ", 0), 0u)
      << missing.err;
}

}  // namespace
}  // namespace paceline::cli::mon
