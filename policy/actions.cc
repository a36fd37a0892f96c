// Stage 4, actions: compare each primitive instance's current state with
// its assignment and create what gets it there -- start, stop, promote,
// demote, recover (stop + start in place), move (stop here, start there),
// recurring monitors for the new role, and probes where the state of a
// resource on an online node is unknown.
#include <algorithm>

#include "cib/duration.h"
#include "policy/action_builder.h"
#include "policy/assign_internal.h"

namespace paceline::policy::internal {

namespace {

const std::vector<int> kNone;

long long OpMillis(const cib::Operation& op, const char* attr,
                   long long fallback) {
  const std::string* v = op.attrs.Get(attr);
  if (!v) return fallback;
  auto d = cib::ParseInterval(*v);
  return d.ok() ? d->count() : fallback;
}

long long Timeout(const WorkingSet& ws, const Rsc& p, std::string_view task,
                  long long interval_ms) {
  long long fallback = 20000;
  if (const auto* v = ws.snapshot->config.op_defaults.Get("timeout")) {
    if (auto d = cib::ParseInterval(*v); d.ok()) fallback = d->count();
  }
  for (const auto& op : p.config->ops) {
    if (op.name == task && OpMillis(op, "interval", 0) == interval_ms) {
      return OpMillis(op, "timeout", fallback);
    }
  }
  return fallback;
}

bool MonitorFits(const cib::Operation& op, Role role) {
  Role op_role = Role::kUnknown;
  if (const auto* v = op.attrs.Get("role")) {
    op_role = cib::ParseRole(*v).value_or(Role::kUnknown);
  }
  // A monitor without a role (or role Started) watches every active role;
  // one with a role only that role, as in Pacemaker.
  if (op_role == Role::kPromoted || op_role == Role::kUnpromoted) {
    return op_role == role;
  }
  return role != Role::kStopped;
}

void AddMonitors(WorkingSet& ws, ActionBuilder& b, const Rsc& p, int node,
                 Role role, int after) {
  for (const auto& op : p.config->ops) {
    if (op.name != "monitor") continue;
    long long interval = OpMillis(op, "interval", 0);
    const std::string* enabled = op.attrs.Get("enabled");
    if (interval <= 0 || !MonitorFits(op, role) ||
        (enabled && (*enabled == "false" || *enabled == "0"))) {
      continue;
    }
    int m = b.Real(p, Task::kMonitor, node, "monitor", interval, role);
    b.Order(after, m, true);
  }
}

// The action of p with `task` on node that exists already, or -1: a
// restart forced later (orders, groups) reuses the promote or demote its
// resource was already given in place instead of adding a second one.
int Existing(ActionBuilder& b, const Rsc& p, Task task, int node) {
  const std::string& name = b.ws().nodes[size_t(node)].name;
  for (int id : b.Of(p, task)) {
    if (b.graph().actions[size_t(id)].node == name) return id;
  }
  return -1;
}

// Stops (demoting first) on every node in `nodes`; returns the stop ids.
std::vector<int> StopOn(ActionBuilder& b, const Rsc& p,
                        const std::vector<int>& nodes, const std::string& why) {
  std::vector<int> stops;
  for (int n : nodes) {
    int stop = b.Real(p, Task::kStop, n, why);
    if (p.current_role == Role::kPromoted) {
      int demote = Existing(b, p, Task::kDemote, n);
      if (demote < 0) demote = b.Real(p, Task::kDemote, n, why);
      b.Order(demote, stop, true);
    }
    stops.push_back(stop);
  }
  return stops;
}

void StartOn(WorkingSet& ws, ActionBuilder& b, const Rsc& p, int node,
             const std::vector<int>& after, const std::string& why) {
  int start = b.Real(p, Task::kStart, node, why);
  for (int s : after) b.Order(s, start, true);
  int last = start;
  if (p.next_role == Role::kPromoted) {
    if (int promote = Existing(b, p, Task::kPromote, node); promote >= 0) {
      b.Order(start, promote, true);  // its monitors exist already
      return;
    }
    last = b.Real(p, Task::kPromote, node, why);
    b.Order(start, last, true);
  }
  AddMonitors(ws, b, p, node, p.next_role, last);
}

std::string StopReason(const WorkingSet& ws, const Rsc& p) {
  int n = p.active_on.empty() ? -1 : p.active_on[0];
  if (n >= 0 && !ws.nodes[size_t(n)].Available()) return "node availability";
  return "stopped";
}

void PrimitiveActions(WorkingSet& ws, ActionBuilder& b, const Rsc& p) {
  if (!p.managed || p.blocked) return;
  int tgt = p.assigned;
  const auto& cur = p.active_on;
  if (cur.size() > 1) {
    std::vector<int> stops = StopOn(b, p, cur, "multiple active");
    if (tgt >= 0) StartOn(ws, b, p, tgt, stops, "multiple active");
    return;
  }
  if (cur.empty()) {
    if (tgt >= 0) StartOn(ws, b, p, tgt, {}, "start");
    return;
  }
  int a = cur[0];
  if (tgt < 0) {
    StopOn(b, p, cur, StopReason(ws, p));
  } else if (tgt != a) {
    StartOn(ws, b, p, tgt, StopOn(b, p, cur, "move"), "move");
  } else if (p.failed) {
    StartOn(ws, b, p, tgt, StopOn(b, p, cur, "recover"), "recover");
  } else if (p.current_role != Role::kPromoted &&
             p.next_role == Role::kPromoted) {
    int promote = b.Real(p, Task::kPromote, a, "promote");
    AddMonitors(ws, b, p, a, Role::kPromoted, promote);
  } else if (p.current_role == Role::kPromoted &&
             p.next_role == Role::kUnpromoted) {
    int demote = b.Real(p, Task::kDemote, a, "demote");
    AddMonitors(ws, b, p, a, Role::kUnpromoted, demote);
  }
}

// A member restarted (stopped and started on one node) restarts the
// members after it: they depend on it.
void GroupRestarts(WorkingSet& ws, ActionBuilder& b, const Rsc& g) {
  bool restarting = false;
  for (const Rsc* m : g.children) {
    bool stops = !b.Of(*m, Task::kStop).empty();
    bool starts = !b.Of(*m, Task::kStart).empty();
    if (restarting && !stops && !starts && m->assigned >= 0 &&
        m->active_on.size() == 1 && m->active_on[0] == m->assigned &&
        m->managed && !m->blocked) {
      std::vector<int> stop = StopOn(b, *m, m->active_on, "restart");
      StartOn(ws, b, *m, m->assigned, stop, "restart");
      stops = starts = true;
    }
    restarting = restarting || (stops && starts);
  }
}

void Probes(WorkingSet& ws, ActionBuilder& b, const Rsc& p) {
  for (size_t i = 0; i < ws.nodes.size(); ++i) {
    const NodeInfo& n = ws.nodes[i];
    if (!n.online || n.maintenance) continue;
    bool unique = p.CloneAncestor() && p.CloneAncestor()->globally_unique;
    if (!unique && p.instance > 0) continue;  // one probe per primitive
    std::string_view key =
        unique ? std::string_view(p.id) : std::string_view(p.primitive_id);
    if (n.states.Find(key)) continue;
    b.Real(p, Task::kMonitor, int(i), "probe", 0, Role::kUnknown);
  }
}

void Walk(WorkingSet& ws, ActionBuilder& b, Rsc& r) {
  if (r.IsPrimitive()) {
    Probes(ws, b, r);
    PrimitiveActions(ws, b, r);
    return;
  }
  for (Rsc* c : r.children) Walk(ws, b, *c);
  if (r.IsGroup()) GroupRestarts(ws, b, r);
}

}  // namespace

int ActionBuilder::Real(const Rsc& p, Task task, int node, std::string reason,
                        long long interval_ms, Role role) {
  Action a;
  a.id = int(g_.actions.size());
  a.task = task;
  a.resource = p.id;
  a.primitive = p.primitive_id;
  a.node = ws_.nodes[size_t(node)].name;
  a.interval_ms = interval_ms;
  a.role = role;
  a.reason = std::move(reason);
  a.timeout_ms = Timeout(ws_, p, TaskName(task), interval_ms);
  g_.actions.push_back(std::move(a));
  by_task_[{&p, task}].push_back(g_.actions.back().id);
  return g_.actions.back().id;
}

int ActionBuilder::Pseudo(const Rsc& collective, Task task) {
  auto [it, inserted] = pseudo_.emplace(std::pair{&collective, task}, 0);
  if (!inserted) return it->second;
  Action a;
  a.id = int(g_.actions.size());
  a.task = task;
  a.pseudo = true;
  a.resource = collective.id;
  g_.actions.push_back(std::move(a));
  it->second = g_.actions.back().id;
  return it->second;
}

int ActionBuilder::Notify(const Rsc& r, int node, const std::string& type,
                          const std::string& operation) {
  if (node >= 0) {
    int id = Real(r, Task::kNotify, node, "notify");
    g_.actions[size_t(id)].notify_type = type;
    g_.actions[size_t(id)].notify_operation = operation;
    return id;
  }
  auto [it, inserted] =
      notify_pseudo_.emplace(std::tuple{&r, type, operation}, 0);
  if (!inserted) return it->second;
  Action a;
  a.id = int(g_.actions.size());
  a.task = Task::kNotify;
  a.pseudo = true;
  a.resource = r.id;
  a.notify_type = type;
  a.notify_operation = operation;
  g_.actions.push_back(std::move(a));
  it->second = g_.actions.back().id;
  return it->second;
}

bool ActionBuilder::HasPseudo(const Rsc& r, Task task) const {
  return pseudo_.count({&r, task}) > 0;
}

const std::vector<int>& ActionBuilder::Of(const Rsc& r, Task task) const {
  auto it = by_task_.find({&r, task});
  return it == by_task_.end() ? kNone : it->second;
}

void ActionBuilder::Order(int first, int then, bool mandatory) {
  if (first == then) return;
  auto [it, inserted] =
      edge_index_.emplace(std::pair{first, then}, g_.edges.size());
  if (!inserted) {
    if (mandatory) mandatory_[it->second] = true;
    return;
  }
  g_.edges.push_back({first, then});
  mandatory_.push_back(mandatory);
}

void ActionBuilder::Block(int id, const std::string& why) {
  Action& a = g_.actions[size_t(id)];
  if (!a.runnable) return;
  a.runnable = false;
  a.reason += (a.reason.empty() ? "" : "; ") + why;
}

namespace {

// A mandatory, symmetrical start->start (promote->start) order makes
// `then` restart when `first` starts (is promoted) in this transition: a
// database restarts after the filesystem under it, what needs DRBD's
// promoted role restarts when that role comes (back). As Pacemaker, a clone
// `first` counts only where it acts on the node `then` runs on (its
// ordering flags are taken on that node), unless `then` is a clone too.
// Repeated until nothing changes, so chains restart as a whole.
void OrderRestarts(WorkingSet& ws, ActionBuilder& b) {
  auto acts_on = [&](const Rsc& p, Task task, int node) {
    for (int id : b.Of(p, task)) {
      if (node < 0 ||
          b.graph().actions[size_t(id)].node == ws.nodes[size_t(node)].name) {
        return true;
      }
    }
    return false;
  };
  for (size_t round = 0; round <= ws.orders.size(); ++round) {
    bool changed = false;
    for (const Ord& o : ws.orders) {
      bool starts = o.first_action == cib::Action::kStart;
      bool promotes = o.first_action == cib::Action::kPromote;
      if (o.kind != cib::OrderKind::kMandatory || !o.symmetrical ||
          !(starts || promotes) || o.then_action != cib::Action::kStart) {
        continue;
      }
      Task task = starts ? Task::kStart : Task::kPromote;
      const std::vector<Rsc*>& firsts = o.first->primitives;
      // A clone `then` acts through its own pseudo actions, on no node.
      bool per_node = o.first->IsClone() && !o.then->IsClone();
      for (Rsc* m : o.then->primitives) {
        bool steady =
            m->managed && !m->blocked && m->assigned >= 0 &&
            m->active_on.size() == 1 && m->active_on[0] == m->assigned &&
            b.Of(*m, Task::kStop).empty() && b.Of(*m, Task::kStart).empty();
        if (!steady) continue;
        int node = per_node ? m->assigned : -1;
        bool restarting =
            std::any_of(firsts.begin(), firsts.end(),
                        [&](Rsc* p) { return acts_on(*p, task, node); });
        if (!restarting) continue;
        StartOn(ws, b, *m, m->assigned, StopOn(b, *m, m->active_on, "restart"),
                "restart");
        changed = true;
      }
    }
    if (!changed) break;
  }
}

}  // namespace

void CreateActions(WorkingSet& ws, ActionBuilder& b) {
  for (Rsc* r : ws.top) Walk(ws, b, *r);
  OrderRestarts(ws, b);
  // Restarts forced by orders can reach into groups.
  for (auto& r : ws.resources) {
    if (r.IsGroup()) GroupRestarts(ws, b, r);
  }
}

}  // namespace paceline::policy::internal
