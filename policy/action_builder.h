// Private to policy/: builds the actions and edges of the graph, with a
// lookup by (resource, task, node) and a mandatory flag per edge (only
// mandatory edges carry unrunnability).
#pragma once

#include <map>
#include <tuple>
#include <vector>

#include "policy/working_set.h"

namespace paceline::policy::internal {

class ActionBuilder {
 public:
  explicit ActionBuilder(WorkingSet& ws) : ws_(ws), g_(*ws.graph) {}

  // A real action of primitive instance p on node.
  int Real(const Rsc& p, Task task, int node, std::string reason,
           long long interval_ms = 0, Role role = Role::kUnknown);
  // The pseudo action of a collective (created on first use).
  int Pseudo(const Rsc& collective, Task task);
  // A notification: real on an instance's node, or a clone's pseudo
  // milestone (node < 0), created on first use for pseudo ones.
  int Notify(const Rsc& r, int node, const std::string& type,
             const std::string& operation);
  // Existing actions of a resource with a task, any node (real ones).
  const std::vector<int>& Of(const Rsc& r, Task task) const;
  bool HasPseudo(const Rsc& r, Task task) const;

  void Order(int first, int then, bool mandatory);
  // Marks an action (and later its mandatory successors) unrunnable.
  void Block(int id, const std::string& why);

  // Runnable propagation along mandatory edges, in topological order.
  void PropagateRunnable();

  TransitionGraph& graph() { return g_; }
  const WorkingSet& ws() const { return ws_; }

 private:
  WorkingSet& ws_;
  TransitionGraph& g_;
  std::map<std::pair<const Rsc*, Task>, std::vector<int>> by_task_;
  std::map<std::pair<const Rsc*, Task>, int> pseudo_;
  std::map<std::tuple<const Rsc*, std::string, std::string>, int>
      notify_pseudo_;
  std::vector<bool> mandatory_;
  std::map<std::pair<int, int>, size_t> edge_index_;
};

// Stage 4 and 5: actions per instance, then orderings.
void CreateActions(WorkingSet& ws, ActionBuilder& b);
// Pre/post notifications around each phase of clones with notify=true.
void CreateNotifications(WorkingSet& ws, ActionBuilder& b, const Rsc& clone);
void CreateOrderings(WorkingSet& ws, ActionBuilder& b);
// Unrunnability along mandatory edges and to mandatory colocation
// dependents, to a fixed point.
void PropagateBlocking(WorkingSet& ws, ActionBuilder& b);
// Final placements, after runnability is known.
void RecordPlacements(WorkingSet& ws, ActionBuilder& b);

}  // namespace paceline::policy::internal
