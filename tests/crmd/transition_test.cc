// TransitionRunner: dispatch order follows the graph's edges, pseudo
// milestones complete by themselves, unrunnable actions and their
// dependents never run, a failure aborts (in-flight actions are waited
// for), and a real schedule of the talk's cluster runs to completion with
// every action dispatched once, after all its predecessors.
#include "crmd/transition.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "cib/store.h"
#include "policy/policy.h"

namespace paceline::crmd {
namespace {

using policy::Action;
using policy::Task;
using policy::TransitionGraph;

Action Real(int id, std::string rsc, Task t = Task::kStart) {
  Action a;
  a.id = id;
  a.task = t;
  a.resource = rsc;
  a.primitive = rsc;
  a.node = "n1";
  return a;
}

Action Pseudo(int id, std::string rsc) {
  Action a;
  a.id = id;
  a.task = Task::kRunning;
  a.pseudo = true;
  a.resource = rsc;
  return a;
}

std::vector<int> Ids(const std::vector<const Action*>& v) {
  std::vector<int> out;
  for (const Action* a : v) out.push_back(a->id);
  return out;
}

TEST(TransitionRunnerTest, FollowsEdgesThroughPseudoMilestones) {
  // a, b -> [group running] -> c
  TransitionGraph g;
  g.actions = {Real(0, "a"), Real(1, "b"), Pseudo(2, "g"), Real(3, "c")};
  g.edges = {{0, 2}, {1, 2}, {2, 3}};
  TransitionRunner r(1, g);
  EXPECT_EQ(Ids(r.TakeReady()), (std::vector<int>{0, 1}));
  EXPECT_TRUE(r.TakeReady().empty());
  EXPECT_TRUE(r.OnResult(0, true));
  EXPECT_TRUE(r.TakeReady().empty());
  EXPECT_FALSE(r.finished());
  EXPECT_TRUE(r.OnResult(1, true));
  EXPECT_EQ(r.state(2), ActionState::kDone);
  EXPECT_EQ(Ids(r.TakeReady()), (std::vector<int>{3}));
  EXPECT_FALSE(r.OnResult(1, true)) << "a repeated result is ignored";
  EXPECT_TRUE(r.OnResult(3, true));
  EXPECT_TRUE(r.finished());
  EXPECT_FALSE(r.aborted());
  EXPECT_EQ(r.count(ActionState::kDone), 3u);
}

TEST(TransitionRunnerTest, FirstMonitorsWaitForTheNodesAwaitedWork) {
  // start a -> start b -> start c on n1, each with a recurring monitor;
  // d starts on n2 with its monitor, and nothing else runs there.
  TransitionGraph g;
  g.actions = {Real(0, "a"),
               Real(1, "b"),
               Real(2, "c"),
               Real(3, "a", Task::kMonitor),
               Real(4, "b", Task::kMonitor),
               Real(5, "c", Task::kMonitor),
               Real(6, "d"),
               Real(7, "d", Task::kMonitor)};
  for (int i : {3, 4, 5, 7}) g.actions[i].interval_ms = 5000;
  g.actions[6].node = g.actions[7].node = "n2";
  g.edges = {{0, 1}, {1, 2}, {0, 3}, {1, 4}, {2, 5}, {6, 7}};
  TransitionRunner r(1, g);
  EXPECT_EQ(Ids(r.TakeReady()), (std::vector<int>{0, 6}));
  r.OnResult(6, true);
  EXPECT_EQ(Ids(r.TakeReady()), (std::vector<int>{7}))
      << "nothing else to do on n2";
  r.OnResult(0, true);
  EXPECT_EQ(Ids(r.TakeReady()), (std::vector<int>{1}))
      << "b starts before a's monitor";
  r.OnResult(1, true);
  EXPECT_EQ(Ids(r.TakeReady()), (std::vector<int>{2}));
  EXPECT_FALSE(r.finished());
  r.OnResult(2, true);
  EXPECT_EQ(Ids(r.TakeReady()), (std::vector<int>{3, 4, 5}));
  for (int i : {3, 4, 5, 7}) r.OnResult(i, true);
  EXPECT_TRUE(r.finished());
  EXPECT_EQ(r.count(ActionState::kDone), 8u);
}

TEST(TransitionRunnerTest, UnrunnableActionsAndDependentsNeverRun) {
  TransitionGraph g;
  g.actions = {Real(0, "a"), Real(1, "b"), Real(2, "c")};
  g.actions[0].runnable = false;
  g.edges = {{0, 1}};
  TransitionRunner r(1, g);
  EXPECT_EQ(Ids(r.TakeReady()), (std::vector<int>{2}));
  EXPECT_EQ(r.state(1), ActionState::kNever);
  r.OnResult(2, true);
  EXPECT_TRUE(r.finished());
  EXPECT_EQ(r.count(ActionState::kNever), 2u);
}

TEST(TransitionRunnerTest, FailureAbortsAfterInFlightActionsFinish) {
  TransitionGraph g;
  g.actions = {Real(0, "a"), Real(1, "b"), Real(2, "c")};
  g.edges = {{0, 2}};
  TransitionRunner r(1, g);
  EXPECT_EQ(Ids(r.TakeReady()), (std::vector<int>{0, 1}));
  r.OnResult(0, false);
  EXPECT_TRUE(r.aborted());
  EXPECT_NE(r.abort_reason().find("a_start_0"), std::string::npos)
      << r.abort_reason();
  EXPECT_FALSE(r.finished()) << "b is still in flight";
  EXPECT_TRUE(r.TakeReady().empty());
  r.OnResult(1, true);
  EXPECT_TRUE(r.finished());
  EXPECT_EQ(r.state(2), ActionState::kWaiting);
  EXPECT_EQ(r.count(ActionState::kFailed), 1u);
}

TEST(TransitionRunnerTest, OutsideAbortStopsDispatching) {
  TransitionGraph g;
  g.actions = {Real(0, "a"), Real(1, "b")};
  g.edges = {{0, 1}};
  TransitionRunner r(1, g);
  r.TakeReady();
  r.Abort("node n2 left");
  r.OnResult(0, true);
  EXPECT_TRUE(r.TakeReady().empty());
  EXPECT_TRUE(r.finished());
}

TEST(TransitionRunnerTest, TalkScheduleRunsInOrder) {
  std::ifstream in(std::string(PACELINE_SOURCE_DIR) +
                   "/tests/policy/cases/"
                   "talk-fresh-start-promotes-node1-starts-pgserver/cib.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto doc = cib::ParseDocument(text.str());
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  policy::Snapshot snap{doc->config, doc->status, true};
  auto graph = policy::Schedule(snap, {}, std::chrono::system_clock::now());
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  TransitionRunner r(7, *graph);
  std::set<int> done;
  size_t dispatched = 0;
  for (int round = 0; round < 1000 && !r.finished(); ++round) {
    auto ready = r.TakeReady();
    ASSERT_FALSE(ready.empty()) << "stuck with nothing in flight";
    for (const Action* a : ready) {
      for (int p : graph->Predecessors(a->id)) {
        if (!graph->actions[p].pseudo) {
          EXPECT_TRUE(done.count(p))
              << a->Key() << " before " << graph->actions[p].Key();
        }
      }
      ++dispatched;
    }
    // Complete them one by one in reverse, to shake the order.
    for (auto it = ready.rbegin(); it != ready.rend(); ++it) {
      done.insert((*it)->id);
      ASSERT_TRUE(r.OnResult((*it)->id, true));
    }
  }
  EXPECT_TRUE(r.finished());
  size_t runnable_real = 0;
  for (const Action& a : graph->actions) {
    if (!a.pseudo && a.runnable) ++runnable_real;
  }
  EXPECT_GT(runnable_real, 10u);
  EXPECT_EQ(dispatched, runnable_real);
}

}  // namespace
}  // namespace paceline::crmd
