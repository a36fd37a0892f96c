// Stage 5, orderings: the edges between actions. Implicit ones (demote
// before stop before start before promote for one instance, probes before
// starts, group members in order and in reverse for stops, collectives'
// pseudo milestones, clones stopping before starting and demoting before
// promoting), then the configured order constraints (symmetrical ones also
// reversed for stops and demotes). Runnability then flows along mandatory
// edges; finally each instance's placement after the transition.
#include <algorithm>
#include <queue>

#include "policy/action_builder.h"
#include "policy/assign_internal.h"

namespace paceline::policy::internal {

namespace {

Task TaskOf(cib::Action a) {
  switch (a) {
    case cib::Action::kStop:
      return Task::kStop;
    case cib::Action::kPromote:
      return Task::kPromote;
    case cib::Action::kDemote:
      return Task::kDemote;
    default:
      return Task::kStart;
  }
}

Task Inverse(Task t) {
  switch (t) {
    case Task::kStart:
      return Task::kStop;
    case Task::kStop:
      return Task::kStart;
    case Task::kPromote:
      return Task::kDemote;
    default:
      return Task::kPromote;
  }
}

Task Done(Task t) {
  switch (t) {
    case Task::kStart:
      return Task::kRunning;
    case Task::kStop:
      return Task::kStopped;
    case Task::kPromote:
      return Task::kPromoted;
    default:
      return Task::kDemoted;
  }
}

// Real actions of `task` anywhere under r.
std::vector<int> Under(const ActionBuilder& b, const Rsc& r, Task task) {
  const std::vector<Rsc*>& prims = r.primitives;
  std::vector<int> out;
  for (const Rsc* p : prims) {
    const auto& ids = b.Of(*p, task);
    out.insert(out.end(), ids.begin(), ids.end());
  }
  return out;
}

void InstanceOrder(ActionBuilder& b, const Rsc& p) {
  for (int stop : b.Of(p, Task::kStop)) {
    for (int start : b.Of(p, Task::kStart)) b.Order(stop, start, true);
  }
}

// Collective milestones: X_start -> children's starts -> X_running, and so
// on for stop, promote, demote; plus the phases' order.
void Milestones(ActionBuilder& b, const Rsc& r) {
  const Task kTasks[] = {Task::kStart, Task::kStop, Task::kPromote,
                         Task::kDemote};
  for (Task t : kTasks) {
    std::vector<int> ids = Under(b, r, t);
    if (ids.empty()) continue;
    int begin = b.Pseudo(r, t);
    int done = b.Pseudo(r, Done(t));
    b.Order(begin, done, true);
    for (int id : ids) {
      b.Order(begin, id, true);
      b.Order(id, done, true);
    }
  }
  auto link = [&](Task done, Task begin) {
    if (b.HasPseudo(r, done) && b.HasPseudo(r, begin)) {
      b.Order(b.Pseudo(r, done), b.Pseudo(r, begin), true);
    }
  };
  link(Task::kStopped, Task::kStart);
  link(Task::kDemoted, Task::kStop);
  link(Task::kRunning, Task::kPromote);
  link(Task::kDemoted, Task::kPromote);
}

void GroupOrder(ActionBuilder& b, const Rsc& g) {
  for (size_t i = 1; i < g.children.size(); ++i) {
    const Rsc& prev = *g.children[i - 1];
    const Rsc& next = *g.children[i];
    for (int a : Under(b, prev, Task::kStart)) {
      for (int c : Under(b, next, Task::kStart)) b.Order(a, c, true);
    }
    for (int a : Under(b, next, Task::kStop)) {
      for (int c : Under(b, prev, Task::kStop)) b.Order(a, c, true);
    }
  }
}

void Implicit(WorkingSet& ws, ActionBuilder& b, const Rsc& r) {
  for (const Rsc* c : r.children) Implicit(ws, b, *c);
  if (r.IsPrimitive()) {
    InstanceOrder(b, r);
    return;
  }
  if (r.IsGroup()) GroupOrder(b, r);
  if (r.instance >= 0) return;  // instances share their clone's milestones
  Milestones(b, r);
  if (r.IsClone()) CreateNotifications(ws, b, r);
}

void ProbesFirst(ActionBuilder& b) {
  const auto& actions = b.graph().actions;
  std::map<std::string, std::vector<int>> probes, starts;
  for (const auto& a : actions) {
    if (a.task == Task::kMonitor && a.interval_ms == 0 && !a.pseudo) {
      probes[a.primitive].push_back(a.id);
    } else if (a.task == Task::kStart && !a.pseudo) {
      starts[a.primitive].push_back(a.id);
    }
  }
  for (const auto& [prim, ids] : probes) {
    for (int probe : ids) {
      for (int start : starts[prim]) b.Order(probe, start, true);
    }
  }
}

// The action(s) that finish `task` on r, and those that begin it.
std::vector<int> Finishing(ActionBuilder& b, const Rsc& r, Task t) {
  if (r.IsPrimitive()) return b.Of(r, t);
  if (!b.HasPseudo(r, t)) return {};
  return {b.Pseudo(r, Done(t))};
}

std::vector<int> Beginning(ActionBuilder& b, const Rsc& r, Task t) {
  if (r.IsPrimitive()) return b.Of(r, t);
  if (!b.HasPseudo(r, t)) return {};
  return {b.Pseudo(r, t)};
}

void Constraint(WorkingSet& ws, ActionBuilder& b, const Ord& o) {
  bool mandatory = o.kind == cib::OrderKind::kMandatory;
  Task first = TaskOf(o.first_action), then = TaskOf(o.then_action);
  std::vector<int> befores = Finishing(b, *o.first, first);
  std::vector<int> afters = Beginning(b, *o.then, then);
  for (int x : befores) {
    for (int y : afters) b.Order(x, y, mandatory);
  }
  // An order whose first cannot happen blocks its mandatory then.
  if (mandatory && (first == Task::kStart || first == Task::kPromote) &&
      !WillRun(*o.first, first == Task::kPromote)) {
    for (int y : afters) {
      b.Block(y, "order " + o.id + ": " + o.first->id + " cannot " +
                     std::string(TaskName(first)));
    }
  }
  if (!o.symmetrical) return;
  befores = Finishing(b, *o.then, Inverse(then));
  afters = Beginning(b, *o.first, Inverse(first));
  for (int x : befores) {
    for (int y : afters) b.Order(x, y, mandatory);
  }
}

}  // namespace

void CreateOrderings(WorkingSet& ws, ActionBuilder& b) {
  for (const Rsc* r : ws.top) Implicit(ws, b, *r);
  ProbesFirst(b);
  for (const Ord& o : ws.orders) Constraint(ws, b, o);
}

void ActionBuilder::PropagateRunnable() {
  size_t n = g_.actions.size();
  std::vector<std::vector<size_t>> out(n);
  std::vector<int> indegree(n, 0);
  for (size_t e = 0; e < g_.edges.size(); ++e) {
    out[size_t(g_.edges[e].first)].push_back(e);
    indegree[size_t(g_.edges[e].then)]++;
  }
  std::queue<int> ready;
  for (size_t i = 0; i < n; ++i) {
    if (indegree[i] == 0) ready.push(int(i));
  }
  while (!ready.empty()) {
    int id = ready.front();
    ready.pop();
    for (size_t e : out[size_t(id)]) {
      int then = g_.edges[e].then;
      if (mandatory_[e] && !g_.actions[size_t(id)].runnable) {
        Block(then, "depends on " + g_.actions[size_t(id)].Key());
      }
      if (--indegree[size_t(then)] == 0) ready.push(then);
    }
  }
}

namespace {

bool AllBlocked(ActionBuilder& b, const std::vector<int>& ids) {
  return !ids.empty() && std::none_of(ids.begin(), ids.end(), [&](int id) {
    return b.graph().actions[size_t(id)].runnable;
  });
}

// A dependent cannot start with a mandatory primary whose start (or
// promotion, for a role) cannot happen: Pacemaker blocks it too.
bool BlockDependents(WorkingSet& ws, ActionBuilder& b) {
  bool changed = false;
  for (const Coloc& c : ws.colocs) {
    if (!c.Mandatory() || c.RoleOnly()) continue;
    Task needed =
        c.primary_role == Role::kPromoted ? Task::kPromote : Task::kStart;
    std::vector<int> primary = Under(b, *c.primary, needed);
    if (!AllBlocked(b, primary)) continue;
    for (int id : Under(b, *c.dependent, Task::kStart)) {
      if (!b.graph().actions[size_t(id)].runnable) continue;
      b.Block(id, "colocation " + c.id + ": " + c.primary->id + " cannot " +
                      std::string(TaskName(needed)));
      changed = true;
    }
  }
  return changed;
}

}  // namespace

void PropagateBlocking(WorkingSet& ws, ActionBuilder& b) {
  size_t limit = ws.colocs.size() + 1;
  for (size_t round = 0; round < limit; ++round) {
    b.PropagateRunnable();
    if (!BlockDependents(ws, b)) break;
  }
}

void RecordPlacements(WorkingSet& ws, ActionBuilder& b) {
  auto runs = [&](const Rsc& p, Task t) {
    const auto& ids = b.Of(p, t);
    return !ids.empty() && std::all_of(ids.begin(), ids.end(), [&](int id) {
      return b.graph().actions[size_t(id)].runnable;
    });
  };
  for (const auto& r : ws.resources) {
    if (!r.IsPrimitive()) continue;
    Placement pl;
    pl.instance = r.id;
    pl.primitive = r.primitive_id;
    if (const Rsc* c = r.CloneAncestor()) pl.parent = c->id;
    if (r.parent && r.parent->IsGroup()) pl.group = r.parent->config->id;
    pl.agent = r.config->agent.ToString();
    pl.managed = r.managed && !r.blocked;
    int node = r.assigned;
    Role role = r.next_role;
    bool started = !b.Of(r, Task::kStart).empty();
    if (!pl.managed) {
      node = r.active_on.empty() ? -1 : r.active_on[0];
      role = r.current_role;
      pl.failed = r.failed;
    } else if (node >= 0 && started && !runs(r, Task::kStart)) {
      node = -1;  // its start is blocked
    } else if (node >= 0 && role == Role::kPromoted &&
               !b.Of(r, Task::kPromote).empty() && !runs(r, Task::kPromote)) {
      role = Role::kUnpromoted;
    }
    if (node >= 0) {
      pl.node = ws.nodes[size_t(node)].name;
      pl.role = role;
    }
    b.graph().placements.push_back(std::move(pl));
  }
}

}  // namespace paceline::policy::internal
