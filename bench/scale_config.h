// The generated clusters of the scheduler benchmarks (policy_scale,
// policy_vs_pacemaker): the shapes of a real estate repeated to any scale,
// a cold status (everything known stopped) and a running one (converged,
// then the busiest node lost). Deterministic: the same scale gives the same
// configuration and statuses. Header-only because every bench/*.cc is its
// own executable.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cib/duration.h"
#include "cib/model.h"
#include "policy/policy.h"

namespace paceline::bench {

namespace cib = paceline::cib;
namespace policy = paceline::policy;
inline const paceline::WallTime kNow =
    *cib::ParseTimestamp("2026-11-25T10:00:00Z");

struct Scale {
  int nodes = 0;
  int primitives = 0;
  std::string Name() const {
    return std::to_string(nodes) + "x" + std::to_string(primitives);
  }
};

// ---- The configuration: the shapes of a real estate, repeated.
//
// Out of P primitives: P/50 promotable clones of one primitive (DRBD-like,
// two instances, one promoted), P/100 anonymous clones on every node
// (ping-like), 30% in groups of 2..5 members, the rest standalone. Groups
// take turns: colocated with a promoted clone and ordered after its
// promotion (the talk's PGServer), or colocated with an anonymous clone.
// Standalone primitives form colocation chains of four (two mandatory
// links, one advisory) with mandatory/optional orderings; the others get
// location scores, a few bans and a few -INFINITY anti-colocations.
class ConfigBuilder {
 public:
  explicit ConfigBuilder(Scale s) : s_(s) {}

  cib::Configuration Make() {
    for (int i = 0; i < s_.nodes; ++i) {
      c_.nodes.push_back({.name = NodeName(i), .id = unsigned(i + 1)});
    }
    c_.properties.Set("stonith-enabled", "false");
    c_.properties.Set("no-quorum-policy", "stop");
    c_.rsc_defaults.Set("resource-stickiness", "100");
    c_.rsc_defaults.Set("migration-threshold", "3");
    c_.op_defaults.Set("timeout", "20s");

    int promotable = std::max(1, s_.primitives / 50);
    int anonymous = std::max(1, s_.primitives / 100);
    int grouped = s_.primitives * 3 / 10;
    int standalone = s_.primitives - promotable - anonymous - grouped;
    for (int i = 0; i < promotable; ++i) AddPromotable(i);
    for (int i = 0; i < anonymous; ++i) AddAnonymousClone(i);
    AddGroups(grouped, promotable, anonymous);
    AddStandalone(standalone);
    c_.Canonicalize();
    return std::move(c_);
  }

  // The promotable primitives, for their promotion scores in the status.
  const std::vector<std::string>& promotable_primitives() const {
    return promotable_prims_;
  }
  static std::string NodeName(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "node%02d", i + 1);
    return buf;
  }

 private:
  cib::Resource Primitive(std::string id, const char* agent,
                          const char* monitor) {
    cib::Resource r;
    r.id = std::move(id);
    r.agent = *cib::ParseAgentSpec(agent);
    r.params.Set("name", r.id);
    r.params.Set("state", "/run/paceline/" + r.id + ".state");
    r.ops.push_back({"monitor", {{"interval", monitor}, {"timeout", "20s"}}});
    r.ops.push_back({"start", {{"interval", "0"}, {"timeout", "60s"}}});
    r.ops.push_back({"stop", {{"interval", "0"}, {"timeout", "60s"}}});
    return r;
  }

  void AddPromotable(int i) {
    std::string prim = "drbd" + std::to_string(i);
    cib::Resource r = Primitive(prim, "ocf:linbit:drbd", "15s");
    r.ops[0].attrs.Set("role", "Unpromoted");
    r.ops.push_back({"monitor", {{"interval", "10s"}, {"role", "Promoted"}}});
    c_.resources.push_back(std::move(r));
    cib::Resource ms;
    ms.id = "ms_" + prim;
    ms.kind = cib::ResourceKind::kClone;
    ms.promotable = true;
    ms.meta.Set("promotable", "true");  // as crm and the XML import set it
    ms.children = {prim};
    ms.meta.Set("promoted-max", "1");
    ms.meta.Set("promoted-node-max", "1");
    ms.meta.Set("clone-max", "2");
    ms.meta.Set("clone-node-max", "1");
    ms.meta.Set("notify", "true");
    // The pair of nodes holding this replica, the first preferred primary.
    int a = (2 * i) % s_.nodes, b = (2 * i + 1) % s_.nodes;
    Locate(ms.id, a, 200);
    Locate(ms.id, b, 200);
    cib::Location pref{.id = "loc-" + ms.id + "-promoted",
                       .rsc = ms.id,
                       .role = cib::Role::kPromoted,
                       .score = cib::Score(100),
                       .node = NodeName(a)};
    c_.constraints.push_back(pref);
    promotable_prims_.push_back(prim);
    promotable_.push_back(ms.id);
    c_.resources.push_back(std::move(ms));
  }

  void AddAnonymousClone(int i) {
    std::string prim = "ping" + std::to_string(i);
    c_.resources.push_back(Primitive(prim, "ocf:pacemaker:ping", "10s"));
    cib::Resource cl;
    cl.id = "cl_" + prim;
    cl.kind = cib::ResourceKind::kClone;
    cl.children = {prim};
    anonymous_.push_back(cl.id);
    c_.resources.push_back(std::move(cl));
  }

  void AddGroups(int grouped, int promotable, int anonymous) {
    static const char* kAgents[] = {
        "ocf:heartbeat:LVM", "ocf:heartbeat:Filesystem", "ocf:heartbeat:pgsql",
        "ocf:heartbeat:IPaddr2", "ocf:heartbeat:apache"};
    int g = 0;
    std::string previous;
    while (grouped >= 2) {
      int size = std::min(grouped, 2 + g % 4);
      if (grouped - size == 1) ++size;  // no group of one left over
      cib::Resource grp;
      grp.id = "grp" + std::to_string(g);
      grp.kind = cib::ResourceKind::kGroup;
      for (int m = 0; m < size; ++m) {
        std::string id = grp.id + "_m" + std::to_string(m);
        c_.resources.push_back(Primitive(id, kAgents[m % 5], "30s"));
        grp.children.push_back(id);
      }
      grouped -= size;
      if (g % 2 == 0) {  // the PGServer shape
        const std::string& ms = promotable_[size_t(g / 2 % promotable)];
        Colocate(grp.id, cib::Role::kUnknown, ms, cib::Role::kPromoted,
                 cib::Score::Infinity());
        Order(ms, cib::Action::kPromote, grp.id, cib::Action::kStart,
              cib::OrderKind::kMandatory);
      } else {
        const std::string& cl = anonymous_[size_t(g / 2 % anonymous)];
        Colocate(grp.id, cib::Role::kUnknown, cl, cib::Role::kUnknown,
                 cib::Score::Infinity());
        Order(cl, cib::Action::kStart, grp.id, cib::Action::kStart,
              cib::OrderKind::kMandatory);
        Locate(grp.id, g % s_.nodes, 100);
      }
      if (!previous.empty()) {
        Order(previous, cib::Action::kStart, grp.id, cib::Action::kStart,
              cib::OrderKind::kOptional);
      }
      previous = grp.id;
      c_.resources.push_back(std::move(grp));
      ++g;
    }
  }

  void AddStandalone(int n) {
    int chained = (n * 4 / 10) / 4 * 4;
    for (int i = 0; i < n; ++i) {
      std::string id = "rsc" + std::to_string(i);
      c_.resources.push_back(Primitive(id, "ocf:heartbeat:Dummy", "10s"));
      if (i < chained) {
        if (i % 4 == 0) {
          Locate(id, (i * 7) % s_.nodes, 50 + (i % 5) * 50);
          continue;
        }
        std::string prev = "rsc" + std::to_string(i - 1);
        bool advisory = i % 4 == 3;
        Colocate(id, cib::Role::kUnknown, prev, cib::Role::kUnknown,
                 advisory ? cib::Score(500) : cib::Score::Infinity());
        Order(
            prev, cib::Action::kStart, id, cib::Action::kStart,
            advisory ? cib::OrderKind::kOptional : cib::OrderKind::kMandatory);
        continue;
      }
      if (i % 5 < 3) Locate(id, (i * 7) % s_.nodes, 50 + (i % 5) * 50);
      if (i % 40 == 0) Locate(id, (i * 3 + 1) % s_.nodes, -cib::kInfinity);
      if (i % 50 == 1 && i + 1 < n) {  // replicas kept apart
        Colocate("rsc" + std::to_string(i + 1), cib::Role::kUnknown, id,
                 cib::Role::kUnknown, cib::Score::MinusInfinity());
      }
    }
  }

  void Locate(const std::string& rsc, int node, long long score) {
    c_.constraints.push_back(
        cib::Location{.id = "loc" + std::to_string(++ids_) + "-" + rsc,
                      .rsc = rsc,
                      .score = cib::Score(score),
                      .node = NodeName(node)});
  }
  void Colocate(const std::string& rsc, cib::Role role, const std::string& with,
                cib::Role with_role, cib::Score score) {
    c_.constraints.push_back(
        cib::Colocation{.id = "col" + std::to_string(++ids_) + "-" + rsc,
                        .score = score,
                        .rsc = rsc,
                        .rsc_role = role,
                        .with_rsc = with,
                        .with_rsc_role = with_role});
  }
  void Order(const std::string& first, cib::Action first_action,
             const std::string& then, cib::Action then_action,
             cib::OrderKind kind) {
    cib::Order o;
    o.id = "ord" + std::to_string(++ids_) + "-" + then;
    o.kind = kind;
    o.first = first;
    o.first_action = first_action;
    o.then = then;
    o.then_action = then_action;
    c_.constraints.push_back(o);
  }

  Scale s_;
  cib::Configuration c_;
  int ids_ = 0;
  std::vector<std::string> promotable_;  // ms ids
  std::vector<std::string> anonymous_;   // clone ids
  std::vector<std::string> promotable_prims_;
};

// ---- The two statuses.

// Every node online, every primitive known stopped on every node (no
// probes), promotion scores as the DRBD agent would have left them.
inline cib::ClusterStatus ColdStatus(
    const cib::Configuration& c, const std::vector<std::string>& promotable) {
  cib::ClusterStatus s;
  s.dc = c.nodes.front().name;
  for (size_t i = 0; i < c.nodes.size(); ++i) {
    cib::NodeStatus n;
    n.name = c.nodes[i].name;
    n.state = cib::NodeState::kOnline;
    for (size_t k = 0; k < promotable.size(); ++k) {
      n.attributes.Set("master-" + promotable[k], (k + i) % 2 ? "5" : "10");
    }
    for (const auto& r : c.resources) {
      if (r.IsPrimitive()) n.resources.push_back({.id = r.id});
    }
    s.nodes.push_back(std::move(n));
  }
  return s;
}

inline int ActiveCount(const cib::NodeStatus& n) {
  return int(std::count_if(n.resources.begin(), n.resources.end(),
                           [](const cib::ResourceState& r) {
                             return r.role != cib::Role::kStopped;
                           }));
}

inline int ChangingActions(const policy::TransitionGraph& g) {
  return int(std::count_if(
      g.actions.begin(), g.actions.end(), [](const policy::Action& a) {
        return !a.pseudo && a.runnable && a.task != policy::Task::kMonitor &&
               a.task != policy::Task::kNotify;
      }));
}

// The converged status of the cold start, then the busiest node lost: it
// leaves the membership (offline, transient attributes gone) with its last
// known resource states still recorded. `leftover` counts the actions a
// schedule of the converged status (before the loss) still asks for: 0
// unless the scheduler does not converge, which would blur the figures.
inline paceline::Result<cib::ClusterStatus> RunningStatus(
    const policy::Snapshot& cold, int* leftover) {
  auto graph = policy::Schedule(cold, {}, kNow);
  if (!graph.ok()) return graph.status();
  policy::Snapshot converged{.config = cold.config,
                             .status = policy::ApplyTransition(cold, *graph)};
  auto again = policy::Schedule(converged, {}, kNow);
  if (!again.ok()) return again.status();
  *leftover = ChangingActions(*again);
  cib::ClusterStatus s = std::move(converged.status);
  auto busiest = std::max_element(s.nodes.begin(), s.nodes.end(),
                                  [](const auto& a, const auto& b) {
                                    return ActiveCount(a) < ActiveCount(b);
                                  });
  busiest->state = cib::NodeState::kOffline;
  busiest->attributes = {};
  if (s.dc == busiest->name) {
    s.dc =
        busiest == s.nodes.begin() ? s.nodes.back().name : s.nodes.front().name;
  }
  return s;
}
}  // namespace paceline::bench
