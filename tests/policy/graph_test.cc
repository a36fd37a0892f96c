// The transition graph's queries on hand-built graphs: keys, predecessors,
// the deterministic topological order, cycle detection and DOT output.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "policy/transition_graph.h"

namespace paceline::policy {
namespace {

Action Real(int id, Task task, std::string rsc, std::string node,
            long long interval_ms = 0) {
  Action a;
  a.id = id;
  a.task = task;
  a.resource = rsc;
  a.primitive = rsc.substr(0, rsc.find(':'));
  a.node = std::move(node);
  a.interval_ms = interval_ms;
  return a;
}

Action Pseudo(int id, Task task, std::string rsc) {
  Action a;
  a.id = id;
  a.task = task;
  a.pseudo = true;
  a.resource = std::move(rsc);
  return a;
}

// The talk's group stopping on node 1 and starting on node 2:
//   0 pg_fs stop n1 -> 1 pg_lvm stop n1 -> 2 PGServer stopped
//   2 -> 3 pg_lvm start n2 -> 4 pg_fs start n2 -> 5 PGServer running
//   4 -> 6 pg_fs monitor 15000 n2
TransitionGraph GroupMove() {
  TransitionGraph g;
  g.actions = {Real(0, Task::kStop, "pg_fs", "HA-node1"),
               Real(1, Task::kStop, "pg_lvm", "HA-node1"),
               Pseudo(2, Task::kStopped, "PGServer"),
               Real(3, Task::kStart, "pg_lvm", "HA-node2"),
               Real(4, Task::kStart, "pg_fs", "HA-node2"),
               Pseudo(5, Task::kRunning, "PGServer"),
               Real(6, Task::kMonitor, "pg_fs", "HA-node2", 15000)};
  g.edges = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {4, 6}};
  return g;
}

TEST(ActionKey, FollowsPacemakerOperationKeys) {
  TransitionGraph g = GroupMove();
  EXPECT_EQ(g.actions[0].Key(), "pg_fs_stop_0 HA-node1");
  EXPECT_EQ(g.actions[6].Key(), "pg_fs_monitor_15000 HA-node2");
  EXPECT_EQ(g.actions[5].Key(), "PGServer_running_0");
  EXPECT_EQ(Real(0, Task::kPromote, "drbd_pg:1", "HA-node2").Key(),
            "drbd_pg:1_promote_0 HA-node2");
  EXPECT_EQ(Real(0, Task::kMonitor, "pg_vip", "HA-node1").Key(),
            "pg_vip_monitor_0 HA-node1");  // a probe
  EXPECT_EQ(Pseudo(0, Task::kDemoted, "ms_drbd_pg").Key(),
            "ms_drbd_pg_demoted_0");
}

TEST(ActionKey, NotificationsNameTypeAndOperation) {
  Action pre = Real(0, Task::kNotify, "drbd_pg:0", "HA-node1");
  pre.notify_type = "pre";
  pre.notify_operation = "promote";
  EXPECT_EQ(pre.Key(), "drbd_pg:0_pre_notify_promote_0 HA-node1");
  Action post = pre;
  post.notify_type = "post";
  EXPECT_EQ(post.Key(), "drbd_pg:0_post_notify_promote_0 HA-node1");
  Action milestone = Pseudo(1, Task::kNotify, "ms_drbd_pg");
  milestone.notify_type = "confirmed-post";
  milestone.notify_operation = "start";
  EXPECT_EQ(milestone.Key(), "ms_drbd_pg_confirmed-post_notify_running_0");
  milestone.notify_type = "pre";
  EXPECT_EQ(milestone.Key(), "ms_drbd_pg_pre_notify_start_0");
}

TEST(TaskName, NamesEveryTask) {
  EXPECT_EQ(TaskName(Task::kStart), "start");
  EXPECT_EQ(TaskName(Task::kStop), "stop");
  EXPECT_EQ(TaskName(Task::kPromote), "promote");
  EXPECT_EQ(TaskName(Task::kDemote), "demote");
  EXPECT_EQ(TaskName(Task::kMonitor), "monitor");
  EXPECT_EQ(TaskName(Task::kNotify), "notify");
  EXPECT_EQ(TaskName(Task::kRunning), "running");
  EXPECT_EQ(TaskName(Task::kStopped), "stopped");
  EXPECT_EQ(TaskName(Task::kPromoted), "promoted");
  EXPECT_EQ(TaskName(Task::kDemoted), "demoted");
}

TEST(Predecessors, SortedAndUnique) {
  TransitionGraph g = GroupMove();
  g.edges.push_back({1, 4});
  g.edges.push_back({1, 4});
  EXPECT_EQ(g.Predecessors(4), (std::vector<int>{1, 3}));
  EXPECT_EQ(g.Predecessors(0), std::vector<int>{});
  EXPECT_EQ(g.Predecessors(2), std::vector<int>{1});
}

TEST(TopologicalOrder, RealActionsOnlyInEdgeOrder) {
  TransitionGraph g = GroupMove();
  EXPECT_EQ(g.TopologicalOrder(), (std::vector<int>{0, 1, 3, 4, 6}));
}

TEST(TopologicalOrder, TiesBrokenByActionId) {
  TransitionGraph g;
  for (int i = 0; i < 6; ++i) {
    g.actions.push_back(Real(i, Task::kStart, "r" + std::to_string(i), "n"));
  }
  // 5 must precede 0; everything else is free and comes by id.
  g.edges = {{5, 0}, {3, 1}};
  EXPECT_EQ(g.TopologicalOrder(), (std::vector<int>{2, 3, 1, 4, 5, 0}));
}

// Every edge respected and the order independent of how the edges are
// listed, on random DAGs (edges only from lower to higher rank of a random
// permutation).
TEST(TopologicalOrder, DeterministicOnRandomDags) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    int n = 1 + int(rng() % 40);
    std::vector<int> rank(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) rank[size_t(i)] = i;
    std::shuffle(rank.begin(), rank.end(), rng);
    TransitionGraph g;
    for (int i = 0; i < n; ++i) {
      g.actions.push_back(i % 5 == 4 ? Pseudo(i, Task::kRunning, "g")
                                     : Real(i, Task::kStart, "r", "n"));
    }
    for (int k = 0; k < 2 * n; ++k) {
      int a = int(rng() % size_t(n)), b = int(rng() % size_t(n));
      if (rank[size_t(a)] < rank[size_t(b)]) g.edges.push_back({a, b});
    }
    ASSERT_TRUE(ValidateGraph(g).ok());
    std::vector<int> order = g.TopologicalOrder();
    std::vector<int> position(size_t(n), -1);
    for (size_t i = 0; i < order.size(); ++i)
      position[size_t(order[i])] = int(i);
    for (const Action& a : g.actions) {
      EXPECT_EQ(position[size_t(a.id)] >= 0, !a.pseudo) << a.id;
    }
    for (const Edge& e : g.edges) {
      if (g.actions[size_t(e.first)].pseudo ||
          g.actions[size_t(e.then)].pseudo) {
        continue;
      }
      EXPECT_LT(position[size_t(e.first)], position[size_t(e.then)]);
    }
    TransitionGraph shuffled = g;
    std::shuffle(shuffled.edges.begin(), shuffled.edges.end(), rng);
    EXPECT_EQ(shuffled.TopologicalOrder(), order);
  }
}

// Orderings through a pseudo action still bind the real actions around it.
TEST(TopologicalOrder, PseudoActionsCarryOrderings) {
  TransitionGraph g;
  g.actions = {Real(0, Task::kStart, "b", "n"), Pseudo(1, Task::kRunning, "g"),
               Real(2, Task::kStart, "a", "n")};
  g.edges = {{2, 1}, {1, 0}};
  EXPECT_EQ(g.TopologicalOrder(), (std::vector<int>{2, 0}));
}

TEST(ValidateGraph, AcceptsADag) {
  EXPECT_TRUE(ValidateGraph(GroupMove()).ok());
  EXPECT_TRUE(ValidateGraph(TransitionGraph{}).ok());
}

TEST(ValidateGraph, NamesTheActionsOfACycle) {
  TransitionGraph g = GroupMove();
  g.edges.push_back({5, 3});  // PGServer running before pg_lvm start
  Status s = ValidateGraph(g);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalid);
  const std::string& m = s.message();
  EXPECT_NE(m.find("cycle"), std::string::npos) << m;
  EXPECT_NE(m.find("pg_lvm_start_0 HA-node2"), std::string::npos) << m;
  EXPECT_NE(m.find("pg_fs_start_0 HA-node2"), std::string::npos) << m;
  EXPECT_NE(m.find("PGServer_running_0"), std::string::npos) << m;
  // Waiting behind the cycle is not being on it.
  EXPECT_EQ(m.find("pg_fs_monitor_15000"), std::string::npos) << m;
  EXPECT_EQ(m.find("stop"), std::string::npos) << m;
  EXPECT_EQ(m,
            "ordering cycle between 3 actions: pg_lvm_start_0 HA-node2 -> "
            "pg_fs_start_0 HA-node2 -> PGServer_running_0 -> "
            "pg_lvm_start_0 HA-node2");
}

TEST(ValidateGraph, SelfLoopIsACycle) {
  TransitionGraph g = GroupMove();
  g.edges.push_back({6, 6});
  Status s = ValidateGraph(g);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("pg_fs_monitor_15000 HA-node2"), std::string::npos)
      << s.message();
}

TEST(ValidateGraph, CycleIsNotAHangAndOrderSkipsIt) {
  TransitionGraph g = GroupMove();
  g.edges.push_back({1, 0});  // pg_fs stop <-> pg_lvm stop
  EXPECT_FALSE(ValidateGraph(g).ok());
  // Nothing on or behind the cycle can be ordered; nothing else exists.
  EXPECT_EQ(g.TopologicalOrder(), std::vector<int>{});
}

TEST(ValidateGraph, RejectsDanglingEdgesAndBadIds) {
  TransitionGraph g = GroupMove();
  g.edges.push_back({2, 7});
  Status s = ValidateGraph(g);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("2 -> 7"), std::string::npos) << s.message();

  g = GroupMove();
  g.actions[3].id = 9;
  s = ValidateGraph(g);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("pg_lvm_start_0 HA-node2"), std::string::npos)
      << s.message();
}

TEST(ValidateGraph, LargeChainIsFast) {
  TransitionGraph g;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    g.actions.push_back(Real(i, Task::kStart, "r" + std::to_string(i), "n"));
    if (i > 0) g.edges.push_back({i - 1, i});
  }
  EXPECT_TRUE(ValidateGraph(g).ok());
  g.edges.push_back({n - 1, 0});
  Status s = ValidateGraph(g);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("between 200000 actions"), std::string::npos)
      << s.message();
  EXPECT_LT(s.message().size(), 1000u);
}

TEST(ToDot, DrawsActionsAndOrderings) {
  TransitionGraph g = GroupMove();
  g.actions[3].runnable = false;
  std::string dot = ToDot(g);
  EXPECT_EQ(dot.rfind("digraph", 0), 0u) << dot;
  EXPECT_EQ(dot.back(), '\n');
  EXPECT_NE(dot.find("\"pg_fs_stop_0 HA-node1\" [shape=box style=bold "
                     "color=\"green\""),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"PGServer_stopped_0\" [style=dashed"), std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"pg_lvm_start_0 HA-node2\" [shape=box "
                     "style=\"bold,dashed\" color=\"red\""),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"pg_fs_stop_0 HA-node1\" -> \"pg_lvm_stop_0 "
                     "HA-node1\" [style=bold]"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"PGServer_stopped_0\" -> \"pg_lvm_start_0 HA-node2\" "
                     "[style=dashed color=\"red\"]"),
            std::string::npos)
      << dot;
  EXPECT_EQ(std::count(dot.begin(), dot.end(), '\n'),
            2 + long(g.actions.size() + g.edges.size()));
  EXPECT_EQ(ToDot(g), dot);  // deterministic
}

TEST(ToDot, QuotesAndDisambiguatesNames) {
  TransitionGraph g;
  g.actions = {Real(0, Task::kNotify, "we\"ird", "n"),
               Real(1, Task::kNotify, "we\"ird", "n")};
  std::string dot = ToDot(g);
  EXPECT_NE(dot.find("\"we\\\"ird_notify_0 n\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"we\\\"ird_notify_0 n #1\""), std::string::npos) << dot;
}

}  // namespace
}  // namespace paceline::policy
