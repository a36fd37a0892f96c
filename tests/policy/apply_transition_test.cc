// ApplyTransition on hand-built graphs: the status after every runnable
// action succeeded, in the status's own naming (anonymous clone instances
// under the primitive id, unique ones as "id:N").
#include <gtest/gtest.h>

#include "policy/policy.h"

namespace paceline::policy {
namespace {

using cib::Role;

cib::Resource Primitive(const std::string& id) {
  cib::Resource r;
  r.id = id;
  r.agent = *cib::ParseAgentSpec("ocf:heartbeat:Dummy");
  return r;
}

cib::Resource Clone(const std::string& id, const std::string& child,
                    bool promotable, bool unique) {
  cib::Resource r;
  r.id = id;
  r.kind = cib::ResourceKind::kClone;
  r.children = {child};
  r.promotable = promotable;
  if (unique) r.meta.Set("globally-unique", "true");
  return r;
}

Snapshot TwoNodes() {
  Snapshot s;
  s.config.nodes = {{"n1"}, {"n2"}};
  cib::Resource group;
  group.id = "grp";
  group.kind = cib::ResourceKind::kGroup;
  group.children = {"a", "b"};
  s.config.resources = {Primitive("drbd"),
                        Clone("ms", "drbd", true, false),
                        Primitive("ip"),
                        Clone("cl_ip", "ip", false, true),
                        Primitive("a"),
                        Primitive("b"),
                        group};
  cib::NodeStatus n1{"n1", cib::NodeState::kOnline, {}, {}};
  cib::NodeStatus n2{"n2", cib::NodeState::kOnline, {}, {}};
  s.status.nodes = {n1, n2};
  return s;
}

Action Act(int id, Task task, const std::string& instance,
           const std::string& node) {
  Action a;
  a.id = id;
  a.task = task;
  a.resource = instance;
  a.primitive = instance.substr(0, instance.find(':'));
  a.node = node;
  return a;
}

const cib::ResourceState* Find(const cib::ClusterStatus& s,
                               const std::string& node, const std::string& id) {
  const cib::NodeStatus* n = s.FindNode(node);
  return n ? n->Find(id) : nullptr;
}

TEST(ApplyTransition, StartsStopsAndPromotesInStatusNaming) {
  Snapshot s = TwoNodes();
  s.status.nodes[0].resources = {{"a", Role::kStarted},
                                 {"drbd", Role::kPromoted}};
  TransitionGraph g;
  g.actions = {Act(0, Task::kStop, "a", "n1"),
               Act(1, Task::kStart, "a", "n2"),
               Act(2, Task::kStart, "drbd:1", "n2"),
               Act(3, Task::kDemote, "drbd:0", "n1"),
               Act(4, Task::kPromote, "drbd:1", "n2"),
               Act(5, Task::kStart, "ip:1", "n2")};
  g.edges = {{0, 1}, {2, 4}, {3, 4}};
  cib::ClusterStatus out = ApplyTransition(s, g);
  ASSERT_NE(Find(out, "n1", "a"), nullptr);
  EXPECT_EQ(Find(out, "n1", "a")->role, Role::kStopped);
  EXPECT_EQ(Find(out, "n2", "a")->role, Role::kStarted);
  EXPECT_EQ(Find(out, "n1", "drbd")->role, Role::kUnpromoted);
  EXPECT_EQ(Find(out, "n2", "drbd")->role, Role::kPromoted);
  EXPECT_EQ(Find(out, "n2", "drbd:1"), nullptr);
  EXPECT_EQ(Find(out, "n2", "ip:1")->role, Role::kStarted);
  EXPECT_EQ(Find(out, "n2", "ip"), nullptr);
}

TEST(ApplyTransition, PromotableStartLeavesUnpromoted) {
  Snapshot s = TwoNodes();
  TransitionGraph g;
  g.actions = {Act(0, Task::kStart, "drbd:0", "n1")};
  EXPECT_EQ(Find(ApplyTransition(s, g), "n1", "drbd")->role, Role::kUnpromoted);
}

TEST(ApplyTransition, UnrunnableAndPseudoActionsChangeNothing) {
  Snapshot s = TwoNodes();
  TransitionGraph g;
  g.actions = {Act(0, Task::kStart, "a", "n1"),
               Act(1, Task::kStart, "b", "n1")};
  g.actions[1].runnable = false;
  Action pseudo;
  pseudo.id = 2;
  pseudo.task = Task::kRunning;
  pseudo.pseudo = true;
  pseudo.resource = "grp";
  g.actions.push_back(pseudo);
  g.edges = {{0, 2}, {1, 2}};
  cib::ClusterStatus out = ApplyTransition(s, g);
  EXPECT_EQ(Find(out, "n1", "a")->role, Role::kStarted);
  EXPECT_EQ(Find(out, "n1", "b"), nullptr);
  EXPECT_EQ(Find(out, "n1", "grp"), nullptr);
}

TEST(ApplyTransition, ProbesRecordStoppedAndKeepKnownStates) {
  Snapshot s = TwoNodes();
  s.status.nodes[1].resources = {{"b", Role::kStarted}};
  TransitionGraph g;
  g.actions = {Act(0, Task::kMonitor, "a", "n2"),
               Act(1, Task::kMonitor, "b", "n2")};
  g.actions[1].interval_ms = 10000;  // recurring: no state change
  cib::ClusterStatus out = ApplyTransition(s, g);
  EXPECT_EQ(Find(out, "n2", "a")->role, Role::kStopped);
  EXPECT_EQ(Find(out, "n2", "b")->role, Role::kStarted);
}

TEST(ApplyTransition, RecoveryClearsFailedKeepsFailCountAndFailures) {
  Snapshot s = TwoNodes();
  cib::ResourceState failed{"a", Role::kStarted, true, cib::Score(1)};
  cib::ResourceState other{"b", Role::kStarted, true, cib::Score(2)};
  s.status.nodes[0].resources = {failed, other};
  s.status.failures.push_back(
      {"a", "n1", "monitor", 10000, 1, "error", "unknown error"});
  TransitionGraph g;
  g.actions = {Act(0, Task::kStop, "a", "n1"), Act(1, Task::kStart, "a", "n1")};
  g.edges = {{0, 1}};
  cib::ClusterStatus out = ApplyTransition(s, g);
  const cib::ResourceState* a = Find(out, "n1", "a");
  EXPECT_EQ(a->role, Role::kStarted);
  EXPECT_FALSE(a->failed);
  EXPECT_EQ(a->fail_count, cib::Score(1));
  EXPECT_TRUE(Find(out, "n1", "b")->failed);  // no recovery ran for b
  EXPECT_EQ(out.failures, s.status.failures);
}

TEST(ApplyTransition, OfflineNodesKeepNoResources) {
  Snapshot s = TwoNodes();
  s.status.nodes[1].state = cib::NodeState::kOffline;
  s.status.nodes[1].resources = {{"a", Role::kStarted}};
  s.status.nodes[1].attributes.Set("master-drbd", "5");
  TransitionGraph g;
  g.actions = {Act(0, Task::kStart, "a", "n2"),
               Act(1, Task::kStart, "a", "n1")};
  cib::ClusterStatus out = ApplyTransition(s, g);
  EXPECT_TRUE(out.FindNode("n2")->resources.empty());
  EXPECT_EQ(*out.FindNode("n2")->attributes.Get("master-drbd"), "5");
  EXPECT_EQ(Find(out, "n1", "a")->role, Role::kStarted);
}

TEST(ApplyTransition, EntriesInConfigurationOrderOrphansLast) {
  Snapshot s = TwoNodes();
  s.status.nodes[0].resources = {{"orphan", Role::kStopped},
                                 {"b", Role::kStarted}};
  TransitionGraph g;
  g.actions = {
      Act(0, Task::kStart, "ip:1", "n1"), Act(1, Task::kStart, "a", "n1"),
      Act(2, Task::kStart, "ip:0", "n1"), Act(3, Task::kStart, "drbd:0", "n1")};
  cib::ClusterStatus out = ApplyTransition(s, g);
  std::vector<std::string> ids;
  for (const auto& rs : out.FindNode("n1")->resources) ids.push_back(rs.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"drbd", "ip:0", "ip:1", "a", "b",
                                           "orphan"}));
  EXPECT_EQ(ApplyTransition(s, g), out);  // deterministic
}

}  // namespace
}  // namespace paceline::policy
