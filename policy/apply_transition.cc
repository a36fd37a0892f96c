// ApplyTransition: the status a transition leaves behind when every
// runnable action succeeds, found by replaying those actions in
// topological order on the snapshot's status.
//
// Replaying (rather than copying TransitionGraph::placements) keeps the
// result honest when an action cannot run: a start blocked behind an
// unrunnable ordering leaves its resource stopped, which is what the
// convergence test must see. Probes leave a Stopped entry (the simulated
// agent finds nothing running), so scheduling the result again does not
// probe a second time. Fail counts, failure records and node attributes are
// kept: Pacemaker keeps them until a cleanup.
#include <algorithm>
#include <climits>
#include <string>
#include <tuple>
#include <unordered_map>

#include "cib/config_index.h"
#include "common/strings.h"
#include "policy/policy.h"

namespace paceline::policy {

namespace {

// What the status needs to know about a configured primitive.
struct PrimitiveInfo {
  int order = INT_MAX;        // position in the configuration
  bool unique_clone = false;  // instances stored as "id:N"
  bool promotable = false;    // a start leaves it Unpromoted
};

class PrimitiveTable {
 public:
  explicit PrimitiveTable(const cib::Configuration& config) {
    cib::ConfigIndex index(config);
    for (size_t i = 0; i < config.resources.size(); ++i) {
      const cib::Resource& r = config.resources[i];
      if (!r.IsPrimitive()) continue;
      PrimitiveInfo info;
      info.order = static_cast<int>(i);
      for (const cib::Resource* p = index.ParentOf(r.id); p;
           p = index.ParentOf(p->id)) {
        if (!p->IsClone()) continue;
        bool unique = false;
        const std::string* v = p->meta.Get("globally-unique");
        info.unique_clone = v && ParseBool(*v, &unique) && unique;
        info.promotable = p->promotable;
      }
      table_.emplace(r.id, info);
    }
  }

  const PrimitiveInfo& Get(const std::string& primitive) const {
    static const PrimitiveInfo kUnknown;
    auto it = table_.find(primitive);
    return it == table_.end() ? kUnknown : it->second;
  }

 private:
  std::unordered_map<std::string, PrimitiveInfo> table_;
};

// "drbd_pg:1" -> ("drbd_pg", 1); "pg_fs" -> ("pg_fs", -1).
std::pair<std::string, int> SplitInstance(const std::string& id) {
  size_t colon = id.rfind(':');
  long long n = 0;
  if (colon == std::string::npos || !ParseInt64(id.substr(colon + 1), &n)) {
    return {id, -1};
  }
  return {id.substr(0, colon), static_cast<int>(n)};
}

std::string PrimitiveOf(const Action& a) {
  return a.primitive.empty() ? SplitInstance(a.resource).first : a.primitive;
}

// The key an instance has in the status: anonymous clone instances are
// interchangeable and stored under the primitive id.
std::string StatusId(const PrimitiveTable& table, const Action& a) {
  std::string primitive = PrimitiveOf(a);
  return table.Get(primitive).unique_clone ? a.resource : primitive;
}

// A node's entries by id; indexes into the vector stay valid as it grows.
class NodeEntries {
 public:
  explicit NodeEntries(cib::NodeStatus& node) : node_(node) {
    for (size_t i = 0; i < node.resources.size(); ++i) {
      index_.emplace(node.resources[i].id, i);
    }
  }
  // The entry for id, created Stopped if the node has none.
  cib::ResourceState& Ensure(const std::string& id) {
    auto [it, added] = index_.emplace(id, node_.resources.size());
    if (added) {
      cib::ResourceState rs;
      rs.id = id;
      rs.role = cib::Role::kStopped;
      node_.resources.push_back(std::move(rs));
    }
    return node_.resources[it->second];
  }

 private:
  cib::NodeStatus& node_;
  std::unordered_map<std::string, size_t> index_;
};

void Replay(const PrimitiveTable& table, const Action& a, NodeEntries& node) {
  std::string id = StatusId(table, a);
  switch (a.task) {
    case Task::kStart: {
      cib::ResourceState& rs = node.Ensure(id);
      rs.role = table.Get(PrimitiveOf(a)).promotable ? cib::Role::kUnpromoted
                                                     : cib::Role::kStarted;
      rs.failed = false;
      break;
    }
    case Task::kStop: {
      cib::ResourceState& rs = node.Ensure(id);
      rs.role = cib::Role::kStopped;
      rs.failed = false;
      break;
    }
    case Task::kPromote:
      node.Ensure(id).role = cib::Role::kPromoted;
      break;
    case Task::kDemote:
      node.Ensure(id).role = cib::Role::kUnpromoted;
      break;
    case Task::kMonitor:
      if (a.interval_ms == 0) node.Ensure(id);  // a probe: state now known
      break;
    default:
      break;  // notifications change no state
  }
}

// Entries in configuration order, clone instances by number; ids the
// configuration does not know (orphans) last, in their previous order.
void SortEntries(const PrimitiveTable& table, cib::NodeStatus& node) {
  std::vector<std::tuple<int, int, size_t>> ranks;
  ranks.reserve(node.resources.size());
  for (size_t i = 0; i < node.resources.size(); ++i) {
    const std::string& id = node.resources[i].id;
    auto [primitive, instance] = SplitInstance(id);
    int order = table.Get(primitive).order;
    if (order == INT_MAX) order = table.Get(id).order;
    ranks.emplace_back(order, order == INT_MAX ? -1 : instance, i);
  }
  std::sort(ranks.begin(), ranks.end());  // the index keeps it stable
  std::vector<cib::ResourceState> sorted;
  sorted.reserve(ranks.size());
  for (const auto& r : ranks) {
    sorted.push_back(std::move(node.resources[std::get<2>(r)]));
  }
  node.resources = std::move(sorted);
}

}  // namespace

cib::ClusterStatus ApplyTransition(const Snapshot& snapshot,
                                   const TransitionGraph& graph) {
  cib::ClusterStatus out = snapshot.status;
  PrimitiveTable table(snapshot.config);
  for (cib::NodeStatus& node : out.nodes) {
    if (node.state != cib::NodeState::kOnline) node.resources.clear();
  }
  std::unordered_map<std::string, NodeEntries> online;
  for (cib::NodeStatus& node : out.nodes) {
    if (node.state == cib::NodeState::kOnline) online.emplace(node.name, node);
  }
  for (int id : graph.TopologicalOrder()) {
    if (id < 0 || size_t(id) >= graph.actions.size()) continue;
    const Action& a = graph.actions[size_t(id)];
    if (!a.runnable || a.pseudo) continue;
    auto node = online.find(a.node);
    if (node != online.end()) Replay(table, a, node->second);
  }
  for (cib::NodeStatus& node : out.nodes) SortEntries(table, node);
  return out;
}

}  // namespace paceline::policy
