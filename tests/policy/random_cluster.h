// Random clusters for the scheduler's property tests, and a shrinker that
// turns a failing one into a small reproducer.
//
// RandomStatus pairs any valid configuration (tests/cli/random_config.h's,
// or ShapedConfig's) with a status: nodes online or offline, some in
// standby until reboot, primitives running on random nodes in roles valid
// for them, known-stopped and unknown entries, monitor and start failures
// with fail counts, and promotion scores (master-<primitive>) for
// promotable primitives. ShapedConfig builds the shapes real clusters have
// (the talk's group colocated with a promoted clone and ordered after the
// promotion, colocation chains, bans) that RandomConfig reaches only by
// luck. Both are deterministic for a seed.
//
// Shrink() removes whatever it can (constraints, resources, nodes, status
// entries, attributes) while the configuration stays valid and the given
// property still fails.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "cib/duration.h"
#include "cib/model.h"
#include "cib/validate.h"

namespace paceline::testing {

// The clone enclosing id (directly or through a group), or nullptr.
inline const cib::Resource* CloneOf(const cib::Configuration& c,
                                    std::string_view id) {
  for (const cib::Resource* p = c.ParentOf(id); p; p = c.ParentOf(p->id)) {
    if (p->IsClone()) return p;
  }
  return nullptr;
}

class RandomStatus {
 public:
  RandomStatus(unsigned seed, WallTime now)
      : rng_(seed * 2654435761u + 97), now_(now) {}

  cib::ClusterStatus Make(const cib::Configuration& c) {
    cib::ClusterStatus s;
    for (const auto& node : c.nodes) {
      cib::NodeStatus n;
      n.name = node.name;
      n.state = Chance(80) ? cib::NodeState::kOnline : cib::NodeState::kOffline;
      // Only "on": a transient value overrides the permanent one, and "off"
      // would make the expectation depend on that precedence.
      if (n.state == cib::NodeState::kOnline && Chance(10)) {
        n.attributes.Set("standby", "on");
      }
      s.nodes.push_back(std::move(n));
    }
    for (const auto& n : s.nodes) {
      if (n.state == cib::NodeState::kOnline) {
        s.dc = n.name;
        break;
      }
    }
    for (const auto& r : c.resources) {
      if (r.IsPrimitive()) AddPrimitive(c, r, s);
    }
    return s;
  }

 private:
  int Int(int lo, int hi) {
    return std::uniform_int_distribution<>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Int(1, 100) <= percent; }

  void AddPrimitive(const cib::Configuration& c, const cib::Resource& r,
                    cib::ClusterStatus& s) {
    const cib::Resource* clone = CloneOf(c, r.id);
    bool promotable = clone && clone->promotable;
    if (promotable) {
      static const char* kScores[] = {"0", "5", "10", "100", "1000"};
      for (auto& n : s.nodes) {
        if (Chance(60)) n.attributes.Set("master-" + r.id, kScores[Int(0, 4)]);
      }
    }
    std::vector<size_t> order(s.nodes.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng_);
    int copies = clone        ? Int(0, int(order.size()))
                 : Chance(6)  ? 2
                 : Chance(55) ? 1
                              : 0;
    for (size_t k = 0; k < order.size(); ++k) {
      cib::NodeStatus& n = s.nodes[order[k]];
      if (int(k) < copies) {
        cib::Role role = !promotable  ? cib::Role::kStarted
                         : Chance(35) ? cib::Role::kPromoted
                                      : cib::Role::kUnpromoted;
        n.resources.push_back(Running(r, n.name, role, s));
      } else if (Chance(50)) {
        n.resources.push_back(KnownStopped(r, n.name, s));
      }  // else unknown there: a probe
    }
  }

  cib::ResourceState Running(const cib::Resource& r, const std::string& node,
                             cib::Role role, cib::ClusterStatus& s) {
    cib::ResourceState st{.id = r.id, .role = role};
    if (Chance(12)) {  // its monitor just failed
      st.failed = true;
      st.fail_count = cib::Score(Int(1, 3));
      st.last_failure = now_ - std::chrono::seconds(Int(1, 600));
      s.failures.push_back({.resource = r.id,
                            .node = node,
                            .action = "monitor",
                            .interval_ms = MonitorInterval(r),
                            .rc = 7,
                            .status = "error",
                            .reason = "not running",
                            .at = *st.last_failure});
    } else if (Chance(8)) {  // an old failure, recovered since
      st.fail_count = cib::Score(1);
      st.last_failure = now_ - std::chrono::hours(Int(1, 48));
    }
    return st;
  }

  cib::ResourceState KnownStopped(const cib::Resource& r,
                                  const std::string& node,
                                  cib::ClusterStatus& s) {
    cib::ResourceState st{.id = r.id, .role = cib::Role::kStopped};
    if (Chance(8)) {  // its start failed: fatal by default
      st.failed = true;
      st.fail_count = cib::Score::Infinity();
      st.last_failure = now_ - std::chrono::seconds(Int(1, 600));
      s.failures.push_back({.resource = r.id,
                            .node = node,
                            .action = "start",
                            .rc = 1,
                            .status = "error",
                            .reason = "unknown error",
                            .at = *st.last_failure});
    }
    return st;
  }

  static long long MonitorInterval(const cib::Resource& r) {
    for (const auto& op : r.ops) {
      if (op.name != "monitor") continue;
      if (const auto* v = op.attrs.Get("interval")) {
        if (auto ms = cib::ParseInterval(*v); ms.ok()) return ms->count();
      }
    }
    return 10000;
  }

  std::mt19937 rng_;
  WallTime now_;
};

// Configurations in the shapes of real estates, small enough to read.
class ShapedConfig {
 public:
  explicit ShapedConfig(unsigned seed) : rng_(seed * 40503u + 11) {}

  cib::Configuration Make() {
    int nodes = Int(2, 5);
    for (int i = 1; i <= nodes; ++i) {
      cib::Node n{.name = "n" + std::to_string(i), .id = unsigned(i)};
      if (Chance(15)) n.attributes.Set("standby", "on");
      c_.nodes.push_back(std::move(n));
    }
    if (Chance(70)) c_.properties.Set("stonith-enabled", "false");
    if (Chance(50)) c_.properties.Set("no-quorum-policy", "ignore");
    if (Chance(80)) {
      c_.rsc_defaults.Set("resource-stickiness",
                          Pick({"0", "50", "100", "INFINITY"}));
    }
    if (Chance(30)) c_.rsc_defaults.Set("migration-threshold", "2");
    int promotable = Int(0, 2);
    for (int i = 0; i < promotable; ++i) AddPromotable(i);
    if (Chance(40)) AddAnonymousClone();
    if (Chance(15)) AddClonedGroup();
    int groups = Int(0, 3);
    for (int i = 0; i < groups; ++i) AddGroup(i);
    int standalone = Int(1, 6);
    for (int i = 0; i < standalone; ++i) AddStandalone(i);
    c_.Canonicalize();
    return std::move(c_);
  }

 private:
  int Int(int lo, int hi) {
    return std::uniform_int_distribution<>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  std::string Pick(std::initializer_list<const char*> items) {
    return *(items.begin() + Int(0, int(items.size()) - 1));
  }
  std::string AnyNode() { return "n" + std::to_string(Int(1, nodes())); }
  int nodes() const { return int(c_.nodes.size()); }

  cib::Resource Primitive(std::string id, const char* agent) {
    cib::Resource r;
    r.id = std::move(id);
    r.agent = *cib::ParseAgentSpec(agent);
    r.ops.push_back({"monitor", {{"interval", "10s"}}});
    if (Chance(6)) r.meta.Set("target-role", "Stopped");
    if (Chance(4)) r.meta.Set("is-managed", "false");
    if (Chance(15)) r.meta.Set("priority", std::to_string(Int(1, 10)));
    if (Chance(15)) {
      r.meta.Set("resource-stickiness", Pick({"0", "200", "INFINITY"}));
    }
    return r;
  }

  void AddPromotable(int i) {
    std::string prim = "drbd" + std::to_string(i);
    c_.resources.push_back(Primitive(prim, "ocf:linbit:drbd"));
    cib::Resource ms;
    ms.id = "ms" + std::to_string(i);
    ms.kind = cib::ResourceKind::kClone;
    ms.promotable = ms.ms_syntax = true;
    ms.children = {prim};
    if (Chance(70)) ms.meta.Set("clone-max", std::to_string(Int(1, nodes())));
    ms.meta.Set("promoted-max", Chance(80) ? "1" : "2");
    if (Chance(50)) ms.meta.Set("notify", "true");
    if (Chance(60)) {
      Locate(ms.id, cib::Role::kPromoted, Pick({"100", "50", "-INFINITY"}));
    }
    promotable_.push_back(ms.id);
    c_.resources.push_back(std::move(ms));
  }

  void AddAnonymousClone() {
    c_.resources.push_back(Primitive("ping", "ocf:pacemaker:ping"));
    cib::Resource cl{.id = "cl_ping", .kind = cib::ResourceKind::kClone};
    cl.children = {"ping"};
    if (Chance(40)) cl.meta.Set("clone-max", std::to_string(Int(1, nodes())));
    if (Chance(30)) Locate(cl.id, cib::Role::kUnknown, "-INFINITY");
    collectives_.push_back(cl.id);
    c_.resources.push_back(std::move(cl));
  }

  void AddClonedGroup() {
    cib::Resource g{.id = "cg", .kind = cib::ResourceKind::kGroup};
    for (const char* m : {"cg_a", "cg_b"}) {
      c_.resources.push_back(Primitive(m, "ocf:heartbeat:Dummy"));
      g.children.push_back(m);
    }
    c_.resources.push_back(std::move(g));
    cib::Resource cl{.id = "cl_cg", .kind = cib::ResourceKind::kClone};
    cl.children = {"cg"};
    collectives_.push_back(cl.id);
    c_.resources.push_back(std::move(cl));
  }

  void AddGroup(int i) {
    cib::Resource g{.id = "grp" + std::to_string(i),
                    .kind = cib::ResourceKind::kGroup};
    int members = Int(1, 4);
    for (int m = 0; m < members; ++m) {
      std::string id = g.id + "_m" + std::to_string(m);
      c_.resources.push_back(Primitive(id, "ocf:heartbeat:Dummy"));
      g.children.push_back(id);
    }
    if (!promotable_.empty() && Chance(70)) {  // the PGServer shape
      const std::string& ms =
          promotable_[size_t(Int(0, int(promotable_.size()) - 1))];
      Colocate(g.id, cib::Role::kUnknown, ms, cib::Role::kPromoted, "INFINITY");
      Order(
          ms, cib::Action::kPromote, g.id, cib::Action::kStart,
          Chance(80) ? cib::OrderKind::kMandatory : cib::OrderKind::kOptional);
    } else if (!collectives_.empty() && Chance(50)) {
      Colocate(g.id, cib::Role::kUnknown, collectives_.back(),
               cib::Role::kUnknown, Pick({"INFINITY", "100"}));
      Order(collectives_.back(), cib::Action::kStart, g.id, cib::Action::kStart,
            cib::OrderKind::kMandatory);
    }
    if (Chance(50)) {
      Locate(g.id, cib::Role::kUnknown, Pick({"100", "-INFINITY"}));
    }
    for (const auto& other : collectives_) {
      if (other.starts_with("grp") && Chance(25)) {
        Colocate(g.id, cib::Role::kUnknown, other, cib::Role::kUnknown,
                 "-INFINITY");
      }
    }
    collectives_.push_back(g.id);
    c_.resources.push_back(std::move(g));
  }

  void AddStandalone(int i) {
    std::string id = "rsc" + std::to_string(i);
    c_.resources.push_back(Primitive(id, "ocf:heartbeat:Dummy"));
    if (Chance(50)) {
      Locate(id, cib::Role::kUnknown, Pick({"50", "200", "INFINITY"}));
    }
    if (Chance(15)) Locate(id, cib::Role::kUnknown, "-INFINITY");
    if (i > 0 && Chance(45)) {  // a chain link
      std::string prev = "rsc" + std::to_string(i - 1);
      Colocate(id, cib::Role::kUnknown, prev, cib::Role::kUnknown,
               Pick({"INFINITY", "INFINITY", "500", "-INFINITY"}));
      if (Chance(60)) {
        Order(prev, cib::Action::kStart, id, cib::Action::kStart,
              Chance(70) ? cib::OrderKind::kMandatory
                         : cib::OrderKind::kOptional);
      }
    } else if (!promotable_.empty() && Chance(25)) {
      Colocate(id, cib::Role::kUnknown, promotable_.front(),
               Int(0, 1) == 0 ? cib::Role::kPromoted : cib::Role::kUnpromoted,
               Pick({"INFINITY", "-INFINITY", "100"}));
    }
  }

  void Locate(const std::string& rsc, cib::Role role,
              const std::string& score) {
    c_.constraints.push_back(cib::Location{.id = NextId("loc"),
                                           .rsc = rsc,
                                           .role = role,
                                           .score = *cib::ParseScore(score),
                                           .node = AnyNode()});
  }
  void Colocate(const std::string& rsc, cib::Role role, const std::string& with,
                cib::Role with_role, const std::string& score) {
    c_.constraints.push_back(cib::Colocation{.id = NextId("col"),
                                             .score = *cib::ParseScore(score),
                                             .rsc = rsc,
                                             .rsc_role = role,
                                             .with_rsc = with,
                                             .with_rsc_role = with_role});
  }
  void Order(const std::string& first, cib::Action first_action,
             const std::string& then, cib::Action then_action,
             cib::OrderKind kind) {
    cib::Order o;
    o.id = NextId("ord");
    o.kind = kind;
    o.first = first;
    o.first_action = first_action;
    o.then = then;
    o.then_action = then_action;
    c_.constraints.push_back(o);
  }
  std::string NextId(const char* prefix) {
    return prefix + std::to_string(++ids_);
  }

  std::mt19937 rng_;
  cib::Configuration c_;
  int ids_ = 0;
  std::vector<std::string> promotable_;
  std::vector<std::string> collectives_;  // clones and groups
};

// Negative stickiness pushes a resource off the node it is on, every time:
// once moved it is pushed again (with one usable node: stopped, then
// started). Pacemaker does the same, so convergence cannot hold for it;
// the convergence cases leave it out.
inline void DropNegativeStickiness(cib::Configuration& c) {
  auto drop = [](cib::Attributes& attrs) {
    for (const char* name : {"resource-stickiness", "stickiness"}) {
      const std::string* v = attrs.Get(name);
      if (!v) continue;
      auto score = cib::ParseScore(*v);
      if (score.ok() && score->value() < 0) attrs.Erase(name);
    }
  };
  drop(c.rsc_defaults);
  for (auto& r : c.resources) drop(r.meta);
}

// ---- Shrinking.

namespace shrink_internal {

using Mutation = std::function<void(cib::Document&)>;

// id and everything inside it.
inline void Subtree(const cib::Configuration& c, const std::string& id,
                    std::vector<std::string>& out) {
  out.push_back(id);
  if (const auto* r = c.FindResource(id)) {
    for (const auto& child : r->children) Subtree(c, child, out);
  }
}

inline bool Names(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Removes resources (ids must be closed under containment, or members of a
// group that keeps at least one member) and everything that refers to them.
inline void RemoveResources(cib::Document& d,
                            const std::vector<std::string>& ids) {
  auto& c = d.config;
  std::erase_if(c.resources,
                [&](const cib::Resource& r) { return Names(ids, r.id); });
  for (auto& r : c.resources) {
    std::erase_if(r.children, [&](const auto& ch) { return Names(ids, ch); });
  }
  std::erase_if(c.constraints, [&](const cib::Constraint& k) {
    for (const auto& rsc : cib::ConstraintResources(k)) {
      if (Names(ids, rsc)) return true;
    }
    return false;
  });
  for (auto& n : d.status.nodes) {
    std::erase_if(n.resources,
                  [&](const auto& st) { return Names(ids, st.id); });
    for (const auto& id : ids) n.attributes.Erase("master-" + id);
  }
  std::erase_if(d.status.failures,
                [&](const auto& f) { return Names(ids, f.resource); });
}

inline void RemoveNode(cib::Document& d, const std::string& name) {
  std::erase_if(d.config.nodes, [&](const auto& n) { return n.name == name; });
  std::erase_if(d.status.nodes, [&](const auto& n) { return n.name == name; });
  std::erase_if(d.config.constraints, [&](const cib::Constraint& k) {
    const auto* l = std::get_if<cib::Location>(&k);
    return l && l->node == name;
  });
  std::erase_if(d.status.failures,
                [&](const auto& f) { return f.node == name; });
  if (d.status.dc == name) d.status.dc.clear();
}

// Every attribute list of the document, by position, so each entry can be
// offered for removal.
struct AttrList {
  enum Where {
    kProperties,
    kRscDefaults,
    kOpDefaults,
    kNodeAttributes,
    kNodeUtilization,
    kStatusAttributes,
    kMeta,
    kParams,
    kUtilization
  } where;
  size_t i = 0;
};

template <typename Doc>
auto& Get(Doc& d, AttrList l) {
  switch (l.where) {
    case AttrList::kProperties:
      return d.config.properties;
    case AttrList::kRscDefaults:
      return d.config.rsc_defaults;
    case AttrList::kOpDefaults:
      return d.config.op_defaults;
    case AttrList::kNodeAttributes:
      return d.config.nodes[l.i].attributes;
    case AttrList::kNodeUtilization:
      return d.config.nodes[l.i].utilization;
    case AttrList::kStatusAttributes:
      return d.status.nodes[l.i].attributes;
    case AttrList::kMeta:
      return d.config.resources[l.i].meta;
    case AttrList::kParams:
      return d.config.resources[l.i].params;
    case AttrList::kUtilization:
      break;
  }
  return d.config.resources[l.i].utilization;
}

inline std::vector<AttrList> AttributeLists(const cib::Document& d) {
  std::vector<AttrList> out = {{AttrList::kProperties},
                               {AttrList::kRscDefaults},
                               {AttrList::kOpDefaults}};
  for (size_t i = 0; i < d.config.nodes.size(); ++i) {
    out.push_back({AttrList::kNodeAttributes, i});
    out.push_back({AttrList::kNodeUtilization, i});
  }
  for (size_t i = 0; i < d.status.nodes.size(); ++i) {
    out.push_back({AttrList::kStatusAttributes, i});
  }
  for (size_t i = 0; i < d.config.resources.size(); ++i) {
    out.push_back({AttrList::kMeta, i});
    out.push_back({AttrList::kParams, i});
    out.push_back({AttrList::kUtilization, i});
  }
  return out;
}

// Candidate simplifications, the big ones first.
inline std::vector<Mutation> Candidates(const cib::Document& d) {
  std::vector<Mutation> out;
  const auto& c = d.config;
  for (const cib::Resource* top : c.TopLevel()) {
    std::vector<std::string> ids;
    Subtree(c, top->id, ids);
    out.push_back([ids](cib::Document& x) { RemoveResources(x, ids); });
  }
  for (const auto& r : c.resources) {
    if (!r.IsGroup() || r.children.size() < 2) continue;
    for (const auto& m : r.children) {
      out.push_back([m](cib::Document& x) { RemoveResources(x, {m}); });
    }
  }
  for (size_t i = 0; i < c.constraints.size(); ++i) {
    std::string id = cib::ConstraintId(c.constraints[i]);
    out.push_back([id](cib::Document& x) {
      std::erase_if(x.config.constraints, [&](const cib::Constraint& k) {
        return cib::ConstraintId(k) == id;
      });
    });
  }
  if (c.nodes.size() > 1) {
    for (const auto& n : c.nodes) {
      out.push_back([name = n.name](cib::Document& x) { RemoveNode(x, name); });
    }
  }
  for (size_t n = 0; n < d.status.nodes.size(); ++n) {
    for (size_t k = d.status.nodes[n].resources.size(); k-- > 0;) {
      out.push_back([n, k](cib::Document& x) {
        auto& v = x.status.nodes[n].resources;
        v.erase(v.begin() + long(k));
      });
      const auto& st = d.status.nodes[n].resources[k];
      if (st.failed || st.fail_count.value() != 0) {
        out.push_back([n, k](cib::Document& x) {
          auto& s = x.status.nodes[n].resources[k];
          s.failed = false;
          s.fail_count = {};
          s.last_failure.reset();
        });
      }
    }
  }
  for (size_t f = d.status.failures.size(); f-- > 0;) {
    out.push_back([f](cib::Document& x) {
      x.status.failures.erase(x.status.failures.begin() + long(f));
    });
  }
  for (size_t i = 0; i < c.resources.size(); ++i) {
    for (size_t o = c.resources[i].ops.size(); o-- > 0;) {
      out.push_back([i, o](cib::Document& x) {
        auto& ops = x.config.resources[i].ops;
        ops.erase(ops.begin() + long(o));
      });
    }
  }
  for (AttrList list : AttributeLists(d)) {
    for (const auto& nv : Get(d, list)) {
      out.push_back([list, name = nv.name](cib::Document& x) {
        Get(x, list).Erase(name);
      });
    }
  }
  return out;
}

}  // namespace shrink_internal

// Greedy shrinking: apply each candidate simplification that keeps the
// configuration valid and `still_fails` true, pass after pass, until a
// whole pass changes nothing (or the budget of property evaluations is
// spent).
inline cib::Document Shrink(
    cib::Document doc,
    const std::function<bool(const cib::Document&)>& still_fails,
    int budget = 4000) {
  auto candidates = shrink_internal::Candidates(doc);
  bool progress = false;
  for (size_t i = 0; budget > 0;) {
    if (i >= candidates.size()) {
      if (!progress) break;
      progress = false;
      i = 0;
      continue;
    }
    cib::Document next = doc;
    candidates[i](next);
    if (next == doc || !cib::Validate(next.config).ok()) {
      ++i;
      continue;
    }
    --budget;
    if (!still_fails(next)) {
      ++i;
      continue;
    }
    doc = std::move(next);
    progress = true;
    // Positions refer to the old document: rebuild, keep going from here.
    candidates = shrink_internal::Candidates(doc);
  }
  return doc;
}

}  // namespace paceline::testing
