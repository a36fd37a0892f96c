// The golden cases' checker on hand-built graphs: a checker that passed
// everything would make every case vacuous, so its own behaviour is pinned.
#include "golden_expect.h"

#include <gtest/gtest.h>

namespace paceline::policy::golden {
namespace {

Action Real(int id, Task task, std::string rsc, std::string node,
            bool runnable = true) {
  Action a;
  a.id = id;
  a.task = task;
  a.resource = rsc;
  a.primitive = rsc.substr(0, rsc.find(':'));
  a.node = node;
  a.runnable = runnable;
  return a;
}

Action Pseudo(int id, Task task, std::string rsc) {
  Action a;
  a.id = id;
  a.task = task;
  a.pseudo = true;
  a.resource = rsc;
  return a;
}

// stop pg_vip n1 -> stop pg_fs n1 -> demote drbd:0 n1 -> (demoted ms)
// -> promote drbd:1 n2 -> start pg_fs n2 -> monitor pg_fs n2; a blocked
// start of x on n2; a probe of x on n1.
TransitionGraph Sample() {
  TransitionGraph g;
  g.actions = {Real(0, Task::kStop, "pg_vip", "n1"),
               Real(1, Task::kStop, "pg_fs", "n1"),
               Real(2, Task::kDemote, "drbd:0", "n1"),
               Pseudo(3, Task::kDemoted, "ms"),
               Real(4, Task::kPromote, "drbd:1", "n2"),
               Real(5, Task::kStart, "pg_fs", "n2"),
               Real(6, Task::kMonitor, "pg_fs", "n2"),
               Real(7, Task::kStart, "x", "n2", false),
               Real(8, Task::kMonitor, "x", "n1")};
  g.actions[6].interval_ms = 10000;
  g.actions[6].role = cib::Role::kStarted;
  g.edges = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {8, 7}};
  g.placements = {
      {"drbd:0", "drbd", "ms", "", "ocf:linbit:drbd", "n1",
       cib::Role::kUnpromoted},
      {"drbd:1", "drbd", "ms", "", "ocf:linbit:drbd", "n2",
       cib::Role::kPromoted},
      {"pg_fs", "pg_fs", "", "G", "ocf:heartbeat:Filesystem", "n2",
       cib::Role::kStarted},
      {"x", "x", "", "", "ocf:heartbeat:Dummy", "", cib::Role::kStopped}};
  return g;
}

std::vector<std::string> CheckText(const std::string& text) {
  Result<std::vector<Expectation>> e = ParseExpect(text);
  EXPECT_TRUE(e.ok()) << e.status().message();
  if (!e.ok()) return {"parse"};
  return CheckGraph(*e, Sample());
}

TEST(GoldenExpect, HoldingLinesPass) {
  EXPECT_TRUE(CheckText(R"(# comment
place drbd n2 Promoted
place drbd:0 n1 Unpromoted   # trailing comment
place pg_fs n2 Started
stopped x
instances drbd n2 Promoted 1
action stop pg_vip n1
action monitor pg_fs n2 interval=10s role=Started
action probe x n1
no-action start x n2
no-action stop drbd n1
unrunnable start x n2
before stop pg_vip n1 < stop pg_fs n1 < demote drbd n1 < promote drbd n2
before promote drbd n2 < monitor pg_fs n2
not-before start pg_fs n2 < stop pg_vip n1
ordered start pg_fs n2 <> stop pg_fs n1
actions 5
)")
                  .empty());
}

TEST(GoldenExpect, FailingLinesFailWithTheirLineNumber) {
  const char* lines[] = {
      "place drbd n1 Promoted",
      "place drbd n2 Started",
      "stopped pg_fs",
      "instances drbd n2 Promoted 2",
      "action start x n2",  // unrunnable
      "action monitor pg_fs n2 interval=20s",
      "action probe pg_fs n2",  // the monitor is not a probe
      "no-action stop pg_vip n1",
      "unrunnable stop pg_vip n1",
      "before promote drbd n2 < demote drbd n1",
      "before stop pg_vip n1 < start x n2",
      "before stop pg_vip n1 < start nothing n2",
      "not-before stop pg_vip n1 < start pg_fs n2",
      "ordered start x n2 <> stop pg_vip n1",
      "actions 4",
      "actions 6",
  };
  for (const char* line : lines) {
    std::vector<std::string> f = CheckText(std::string("\n\n") + line);
    ASSERT_EQ(f.size(), 1u) << line;
    EXPECT_EQ(f[0].rfind("expect:3: ", 0), 0u) << f[0];
  }
}

TEST(GoldenExpect, RejectsMalformedLines) {
  for (const char* bad :
       {"", "# only a comment", "frobnicate x", "place x n1",
        "place x n1 Stopped", "action restart x n1", "action start x",
        "action start x n1 interval=10s", "action monitor x n1 color=red",
        "before start x n1", "before start x n1 <",
        "not-before a b c < d e f < g h i", "actions many",
        "instances x n1 Started -1"}) {
    EXPECT_FALSE(ParseExpect(bad).ok()) << "'" << bad << "'";
  }
}

TEST(GoldenExpect, NamesMustExistInTheConfiguration) {
  cib::Configuration config;
  cib::Node n1;
  n1.name = "n1";
  config.nodes.push_back(n1);
  cib::Resource r;
  r.id = "x";
  config.resources.push_back(r);
  auto check = [&](const char* text) {
    return CheckNames(*ParseExpect(text), config);
  };
  EXPECT_TRUE(check("action start x n1\nplace x:0 n1 Started").ok());
  EXPECT_FALSE(check("action start y n1").ok());
  EXPECT_FALSE(check("action start x n2").ok());
  EXPECT_FALSE(check("stopped y").ok());
}

}  // namespace
}  // namespace paceline::policy::golden
