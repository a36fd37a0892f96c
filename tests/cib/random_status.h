// Random but consistent status sections for a configuration, for property
// tests of the Pacemaker XML export/import: every declared node gets a
// state; every primitive instance a role that fits it (Unpromoted/Promoted
// only under a promotable clone; anonymous clone instances under the
// primitive id, globally unique ones as "id:N"); failures with a matching
// failed action; fail counts, last failures, promotion scores. Times are
// whole seconds (the XML keeps seconds). Deterministic for a seed.
#pragma once

#include <random>
#include <set>
#include <string>

#include "cib/model.h"
#include "common/strings.h"

namespace paceline::testing {

class RandomStatus {
 public:
  explicit RandomStatus(unsigned seed) : rng_(seed) {}

  // At most one active copy of each primitive outside clones (Pacemaker
  // reports more as an error of the cluster, which crm_verify counts).
  bool single_active = false;

  cib::ClusterStatus Make(const cib::Configuration& c) {
    cib::ClusterStatus s;
    bool fencing = true;
    if (const auto* v = c.properties.Get("stonith-enabled")) {
      ParseBool(*v, &fencing);
    }
    for (const auto& node : c.nodes) {
      cib::NodeStatus ns;
      ns.name = node.name;
      int pick = Int(0, 9);
      ns.state = pick < 6               ? cib::NodeState::kOnline
                 : pick < 8             ? cib::NodeState::kOffline
                 : pick < 9 || !fencing ? cib::NodeState::kUnclean
                                        : cib::NodeState::kPending;
      if (Chance(20)) ns.attributes.Set("k-attr", std::to_string(Int(0, 9)));
      for (const auto& r : c.resources) {
        if (r.IsPrimitive()) AddInstances(c, r, ns, s);
      }
      s.nodes.push_back(std::move(ns));
    }
    if (!c.nodes.empty() && Chance(60)) {
      s.dc = c.nodes[size_t(Int(0, int(c.nodes.size()) - 1))].name;
    }
    return s;
  }

 private:
  int Int(int lo, int hi) {
    return std::uniform_int_distribution<>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Int(1, 100) <= percent; }

  const cib::Resource* CloneOf(const cib::Configuration& c,
                               const std::string& id) {
    const cib::Resource* p = c.ParentOf(id);
    if (p && p->IsGroup()) p = c.ParentOf(p->id);
    return p && p->IsClone() ? p : nullptr;
  }

  void AddInstances(const cib::Configuration& c, const cib::Resource& r,
                    cib::NodeStatus& ns, cib::ClusterStatus& s) {
    const cib::Resource* clone = CloneOf(c, r.id);
    bool unique = false;
    if (clone) {
      if (const auto* v = clone->meta.Get("globally-unique")) {
        ParseBool(*v, &unique);
      }
    }
    if (!Chance(70)) return;  // never probed there
    std::string id = unique ? r.id + ":" + std::to_string(Int(0, 2)) : r.id;
    if (ns.Find(id)) return;
    cib::ResourceState rs;
    rs.id = id;
    bool promotable = clone && clone->promotable;
    int pick = Int(0, 2);
    if (single_active && !clone && active_.count(id)) pick = 0;
    if (pick != 0) active_.insert(id);
    rs.role = pick == 0     ? cib::Role::kStopped
              : !promotable ? cib::Role::kStarted
              : pick == 1   ? cib::Role::kUnpromoted
                            : cib::Role::kPromoted;
    if (rs.role != cib::Role::kStopped && Chance(25)) {
      rs.failed = true;
      long long interval = Chance(50) ? 10000 : 0;
      std::string action = interval ? "monitor" : "start";
      cib::FailedAction f{
          id,
          ns.name,
          action,
          interval,
          Chance(50) ? 1 : 7,
          "error",
          Chance(50) ? "error" : "oh no \"x\"",
          WallTime(std::chrono::seconds(1795000000 + Int(0, 9))),
          ""};
      if (rs.role == cib::Role::kPromoted && !interval) f.action = "promote";
      s.failures.push_back(f);
      rs.fail_count = cib::Score(Chance(20) ? cib::kInfinity : Int(1, 3));
      rs.last_failure = f.at;
    }
    ns.resources.push_back(rs);
    if (promotable && Chance(40)) {
      ns.attributes.Set("master-" + r.id, std::to_string(Int(-5, 100)));
    }
  }

  std::mt19937 rng_;
  std::set<std::string> active_;
};

}  // namespace paceline::testing
