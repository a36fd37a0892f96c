// The transition summary (what happens to each instance, crm_simulate's
// "Transition Summary") and the execution list ("Executing Cluster
// Transition").
//
// An instance's current place comes from the graph itself where it can:
// a stop, demote or promote on a node means the instance is there now;
// a placement kept without a start means it already runs there. That
// names anonymous clone instances the way the scheduler numbered them.
// Instances on a node that a what-if took down have no action left (the
// scheduler sees nothing running there); they are matched from the status
// before the what-ifs so the summary still says where they came from.
#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>

#include "cib/config_index.h"
#include "cli/simulate_render.h"
#include "common/strings.h"

namespace paceline::cli::simulate {

namespace {

using cib::Role;
using policy::Action;
using policy::Placement;
using policy::Task;

bool Active(Role role) {
  return role != Role::kStopped && role != Role::kUnknown;
}

bool Counts(const cib::NodeStatus& n) {
  return n.state == cib::NodeState::kOnline ||
         n.state == cib::NodeState::kUnclean;
}

struct InstanceActions {
  std::vector<const Action*> stops, starts, promotes, demotes;
};

std::map<std::string, InstanceActions> ByInstance(
    const policy::TransitionGraph& graph) {
  std::map<std::string, InstanceActions> out;
  for (const Action& a : graph.actions) {
    if (a.pseudo) continue;
    InstanceActions& ia = out[a.resource];
    if (a.task == Task::kStop) ia.stops.push_back(&a);
    if (a.task == Task::kStart) ia.starts.push_back(&a);
    if (a.task == Task::kPromote) ia.promotes.push_back(&a);
    if (a.task == Task::kDemote) ia.demotes.push_back(&a);
  }
  return out;
}

const Action* On(const std::vector<const Action*>& actions,
                 const std::string& node) {
  for (const Action* a : actions) {
    if (a->node == node) return a;
  }
  return nullptr;
}

struct Spot {
  std::string node;
  Role role = Role::kStarted;
  bool failed = false;
};

// Everything the summary needs about one instance.
struct Instance {
  std::string id;
  std::string status_id;  // its key in the status
  std::string primitive, parent, group;
  bool anonymous = false;  // an interchangeable clone instance
  bool promotable = false;
  std::vector<Spot> current;
  std::string target;  // "" stopped
  Role target_role = Role::kStopped;
  InstanceActions actions;
};

// The status's entries by node and id, built once: lookups stay constant
// time on clusters with thousands of resources per node.
class StatusIndex {
 public:
  explicit StatusIndex(const cib::ClusterStatus& status) {
    for (const auto& n : status.nodes) {
      auto& ids = by_node_[n.name];
      for (const auto& rs : n.resources) ids.emplace(rs.id, &rs);
    }
  }
  const cib::ResourceState* Find(const std::string& node,
                                 const std::string& id) const {
    auto n = by_node_.find(node);
    if (n == by_node_.end()) return nullptr;
    auto it = n->second.find(id);
    return it == n->second.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string,
                     std::unordered_map<std::string, const cib::ResourceState*>>
      by_node_;
};

Spot SpotAt(const StatusIndex& status, const std::string& node,
            const std::string& status_id) {
  Spot spot{node};
  const cib::ResourceState* rs = status.Find(node, status_id);
  if (rs && Active(rs->role)) spot.role = rs->role;
  if (rs) spot.failed = rs->failed;
  return spot;
}

void AddCurrent(Instance& inst, const StatusIndex& status,
                const std::string& node) {
  for (const Spot& s : inst.current) {
    if (s.node == node) return;
  }
  inst.current.push_back(SpotAt(status, node, inst.status_id));
}

Instance MakeInstance(const cib::ConfigIndex& config, const StatusIndex& status,
                      const Placement& p, const InstanceActions& actions) {
  Instance inst;
  inst.id = p.instance;
  inst.primitive = p.primitive;
  inst.parent = p.parent;
  inst.group = p.group;
  inst.actions = actions;
  inst.target = p.node;
  inst.target_role = p.node.empty() ? Role::kStopped : p.role;
  const cib::Resource* clone = config.CloneOf(p.primitive);
  bool unique = false;
  if (clone) {
    const std::string* v = clone->meta.Get("globally-unique");
    unique = v && ParseBool(*v, &unique) && unique;
    inst.promotable = clone->promotable;
  }
  inst.anonymous = clone && !unique;
  inst.status_id = inst.anonymous ? p.primitive : p.instance;
  for (const Action* a : actions.stops) AddCurrent(inst, status, a->node);
  for (const Action* a : actions.demotes) AddCurrent(inst, status, a->node);
  for (const Action* a : actions.promotes) AddCurrent(inst, status, a->node);
  if (!p.node.empty() && !On(actions.starts, p.node)) {
    const cib::ResourceState* rs = status.Find(p.node, inst.status_id);
    if (rs && Active(rs->role)) AddCurrent(inst, status, p.node);
  }
  return inst;
}

// Instances that ran on a node a what-if took down: matched to instances
// with nothing current, those staying stopped first.
void AddLeftovers(const policy::Snapshot& snapshot,
                  const cib::ClusterStatus& before,
                  std::vector<Instance>& instances) {
  std::unordered_map<std::string, std::vector<Instance*>> by_status_id;
  for (Instance& inst : instances) {
    by_status_id[inst.status_id].push_back(&inst);
  }
  for (const cib::NodeStatus& was : before.nodes) {
    const cib::NodeStatus* now = snapshot.status.FindNode(was.name);
    if (!Counts(was) || (now && Counts(*now))) continue;
    for (const cib::ResourceState& rs : was.resources) {
      auto it = by_status_id.find(rs.id);
      if (!Active(rs.role) || it == by_status_id.end()) continue;
      Instance* pick = nullptr;
      for (int pass = 0; pass < 2 && !pick; ++pass) {
        for (Instance* inst : it->second) {
          if (!inst->current.empty()) continue;
          if (pass == 0 && !inst->target.empty()) continue;
          pick = inst;
          break;
        }
      }
      if (pick) pick->current.push_back({was.name, rs.role, rs.failed});
    }
  }
}

// The part of an unrunnable action's reason that says why it is blocked.
std::string BlockedWhy(const Action& a) {
  size_t semi = a.reason.find("; ");
  std::string why =
      semi == std::string::npos ? std::string() : a.reason.substr(semi + 2);
  return why.empty() ? "  (blocked)" : "  due to " + why + " (blocked)";
}

const Action* UnrunnableStart(const Instance& inst) {
  for (const Action* a : inst.actions.starts) {
    if (!a->runnable) return a;
  }
  return nullptr;
}

std::string RoleAt(const Instance& inst, Role role, const std::string& node) {
  if (!inst.promotable) return node;
  return std::string(cib::RoleName(role)) + " " + node;
}

SummaryLine Line(const Instance& inst, std::string verb, std::string details,
                 std::string suffix = "") {
  return {std::move(verb), inst.id,     std::move(details), std::move(suffix),
          inst.primitive,  inst.parent, inst.group};
}

SummaryLine StopLine(const Instance& inst, const Spot& spot) {
  std::string suffix;
  const Action* stop = On(inst.actions.stops, spot.node);
  const Action* blocked_start = UnrunnableStart(inst);
  if (stop && !stop->runnable) {
    suffix = BlockedWhy(*stop);
  } else if (!stop || StartsWith(stop->reason, "node availability")) {
    suffix = "  due to node availability";
  } else if (blocked_start && inst.target.empty()) {
    suffix = BlockedWhy(*blocked_start);
    suffix = suffix.substr(0, suffix.rfind(" (blocked)"));
  }
  return Line(inst, "Stop", RoleAt(inst, spot.role, spot.node), suffix);
}

// The line for an instance that runs somewhere now and has a target.
void StayOrMove(const Instance& inst, const Spot& from,
                std::vector<SummaryLine>& out) {
  const std::string& to = inst.target;
  Role role = inst.target_role;
  if (from.node != to) {
    bool roles = inst.promotable &&
                 (from.role == Role::kPromoted || role == Role::kPromoted);
    std::string details = roles ? RoleAt(inst, from.role, from.node) + " -> " +
                                      RoleAt(inst, role, to)
                                : from.node + " -> " + to;
    out.push_back(Line(inst, from.failed ? "Recover" : "Move", details));
    return;
  }
  bool restarted = On(inst.actions.stops, to) && On(inst.actions.starts, to);
  std::string change = std::string(cib::RoleName(from.role)) + " -> " +
                       std::string(cib::RoleName(role)) + " " + to;
  if (restarted) {
    std::string details = from.role == role ? RoleAt(inst, role, to) : change;
    out.push_back(Line(inst, from.failed ? "Recover" : "Restart", details));
  } else if (from.role != role && role == Role::kPromoted) {
    out.push_back(Line(inst, "Promote", change));
  } else if (from.role != role && role == Role::kUnpromoted) {
    out.push_back(Line(inst, "Demote", change));
  }
}

void Classify(const Instance& inst, std::vector<SummaryLine>& out) {
  if (inst.current.empty()) {
    if (!inst.target.empty()) {
      if (inst.target_role == Role::kPromoted) {
        out.push_back(
            Line(inst, "Promote", "Stopped -> Promoted " + inst.target));
      } else {
        out.push_back(Line(inst, "Start", inst.target));
      }
    } else if (const Action* start = UnrunnableStart(inst)) {
      out.push_back(Line(inst, "Start", start->node, BlockedWhy(*start)));
    }
    return;
  }
  if (inst.target.empty()) {
    for (const Spot& s : inst.current) out.push_back(StopLine(inst, s));
    return;
  }
  const Spot* from = &inst.current[0];
  for (const Spot& s : inst.current) {
    if (s.node == inst.target) from = &s;
  }
  for (const Spot& s : inst.current) {
    if (&s != from) out.push_back(StopLine(inst, s));
  }
  StayOrMove(inst, *from, out);
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

}  // namespace

std::vector<SummaryLine> TransitionSummary(
    const policy::Snapshot& snapshot, const cib::ClusterStatus& before,
    const policy::TransitionGraph& graph) {
  std::map<std::string, InstanceActions> actions = ByInstance(graph);
  StatusIndex status(snapshot.status);
  cib::ConfigIndex config(snapshot.config);
  std::vector<Instance> instances;
  std::set<std::string> placed;
  for (const Placement& p : graph.placements) {
    instances.push_back(MakeInstance(config, status, p, actions[p.instance]));
    placed.insert(p.instance);
  }
  // Instances with actions but no placement (orphans being stopped).
  for (const auto& [id, acts] : actions) {
    if (placed.count(id) || acts.stops.empty()) continue;
    Placement p;
    p.instance = id;
    p.primitive = acts.stops[0]->primitive;
    instances.push_back(MakeInstance(config, status, p, acts));
  }
  AddLeftovers(snapshot, before, instances);
  std::vector<SummaryLine> out;
  for (const Instance& inst : instances) Classify(inst, out);
  return out;
}

void PrintSummary(const std::vector<SummaryLine>& lines, std::ostream& out) {
  size_t width = 0;
  for (const auto& l : lines) width = std::max(width, l.instance.size());
  for (const auto& l : lines) {
    out << "  * " << Pad(l.verb, 10) << " " << Pad(l.instance, width) << "   ( "
        << l.details << " )" << l.suffix << "\n";
  }
}

std::vector<int> FullOrder(const policy::TransitionGraph& graph) {
  size_t n = graph.actions.size();
  std::vector<std::vector<int>> next(n);
  std::vector<int> indegree(n, 0);
  for (const policy::Edge& e : graph.edges) {
    if (e.first < 0 || e.then < 0 || size_t(e.first) >= n ||
        size_t(e.then) >= n) {
      continue;
    }
    next[size_t(e.first)].push_back(e.then);
    ++indegree[size_t(e.then)];
  }
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i) {
    if (indegree[i] == 0) ready.push(int(i));
  }
  std::vector<int> order;
  while (!ready.empty()) {
    int v = ready.top();
    ready.pop();
    order.push_back(v);
    for (int w : next[size_t(v)]) {
      if (--indegree[size_t(w)] == 0) ready.push(w);
    }
  }
  return order;
}

void PrintExecution(const policy::TransitionGraph& graph, std::ostream& out) {
  for (int id : FullOrder(graph)) {
    const Action& a = graph.actions[size_t(id)];
    if (!a.runnable) continue;
    if (a.pseudo) {
      out << "  * Pseudo action:   " << a.Key() << "\n";
      continue;
    }
    std::string task(policy::TaskName(a.task));
    if (a.task == Task::kMonitor && a.interval_ms > 0) {
      task += "=" + std::to_string(a.interval_ms);
    }
    out << "  * Resource action: " << Pad(a.resource, 15) << " " << task
        << " on " << a.node << "\n";
  }
}

}  // namespace paceline::cli::simulate
