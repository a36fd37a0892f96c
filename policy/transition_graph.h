// The scheduler's output: actions, the orderings between them, and where
// every resource instance ends up.
//
// Actions are numbered 0..n-1 in a deterministic order (the order the
// scheduler created them). An edge (first, then) means `then` may only be
// dispatched after `first` completed. Pseudo-actions (no node, no agent
// call) mark milestones of groups and clones ("PGServer running") so that
// orderings between collectives stay linear in size instead of quadratic.
// The graph is a DAG; Validate() proves it with a Boost.Graph topological
// sort and names the actions of a cycle if there is one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cib/model.h"
#include "common/status.h"

namespace paceline::policy {

enum class Task {
  kStart,
  kStop,
  kPromote,
  kDemote,
  kMonitor,  // interval 0 = probe
  kNotify,
  // Pseudo milestones of collective resources:
  kRunning,   // all of a collective's starts done
  kStopped,   // all of its stops done
  kPromoted,  // all of its promotes done
  kDemoted,   // all of its demotes done
};
std::string_view TaskName(Task t);

struct Action {
  int id = 0;
  Task task = Task::kStart;
  bool pseudo = false;
  // The instance it acts on: "pg_fs", "drbd_pg:1"; for pseudo actions the
  // collective's id ("PGServer", "ms_drbd_pg").
  std::string resource;
  std::string primitive;      // the configured primitive (agent) id; "" pseudo
  std::string node;           // "" for pseudo actions
  long long interval_ms = 0;  // monitors
  long long timeout_ms = 20000;
  cib::Role role = cib::Role::kUnknown;  // monitors: the role it watches
  // False when a mandatory predecessor can never run: the action is kept in
  // the graph (so it can be explained) but is never dispatched.
  bool runnable = true;
  std::string reason;  // why it exists: "move", "recover", "probe", ...
  // Notifications of clones with notify=true (Task::kNotify): the type
  // ("pre" or "post" on real actions; the pseudo milestones also have
  // "confirmed-pre" and "confirmed-post") and the operation notified about
  // ("start", "stop", "promote", "demote").
  std::string notify_type;
  std::string notify_operation;
  std::string Key() const;  // "pg_fs_start_0 HA-node1", for logs and DOT
};

struct Edge {
  int first = 0;
  int then = 0;
  friend bool operator==(const Edge&, const Edge&) = default;
};

// Where an instance is after the transition (node "" = stopped).
struct Placement {
  std::string instance;   // "drbd_pg:0", "pg_fs"
  std::string primitive;  // "drbd_pg"
  std::string parent;     // enclosing clone/ms ("" if none)
  std::string group;      // enclosing group ("" if none)
  std::string agent;      // "ocf:linbit:drbd"
  std::string node;
  cib::Role role = cib::Role::kStopped;
  bool managed = true;
  bool failed = false;
};

// One contribution to a resource's score on a node, with where it came
// from, for `simulate --scores` and `crm resource explain`.
struct ScoreTerm {
  std::string resource;  // instance or collective id
  std::string node;
  cib::Score score;
  std::string source;      // "location cli-prefer-PGServer", "stickiness", ...
  bool promotion = false;  // a promotion-score term
};

struct TransitionGraph {
  std::vector<Action> actions;
  std::vector<Edge> edges;
  std::vector<Placement> placements;
  std::vector<ScoreTerm> scores;   // only with Options::record_scores
  std::vector<std::string> notes;  // warnings about the input
  // Final score per (resource, node) that decided the assignment.
  struct Decision {
    std::string resource;
    std::string node;  // the winner, "" if none
    std::string why;   // one line: why there (or why nowhere)
  };
  std::vector<Decision> decisions;

  // Ids of the actions that must complete before `id`.
  std::vector<int> Predecessors(int id) const;
  // Real (non-pseudo) actions, in a topological order.
  std::vector<int> TopologicalOrder() const;
};

// Proves the graph acyclic (Boost.Graph topological sort); on a cycle,
// kInvalid naming the actions involved.
Status ValidateGraph(const TransitionGraph& graph);

// Graphviz text of the graph (pseudo-actions dashed, unrunnable red).
std::string ToDot(const TransitionGraph& graph);

}  // namespace paceline::policy
