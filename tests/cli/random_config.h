// A generator of random but valid configurations for property tests:
// nodes, primitives with awkward parameter values, groups, clones and
// promotable clones, every constraint form, properties and defaults.
// Deterministic for a seed.
#pragma once

#include <random>
#include <set>
#include <string>

#include "cib/duration.h"
#include "cib/model.h"

namespace paceline::testing {

class RandomConfig {
 public:
  explicit RandomConfig(unsigned seed) : rng_(seed) {}

  cib::Configuration Make() {
    cib::Configuration c;
    int nodes = Int(1, 5);
    for (int i = 0; i < nodes; ++i) c.nodes.push_back(MakeNode(i));
    int prims = Int(1, 14);
    for (int i = 0; i < prims; ++i) c.resources.push_back(MakePrimitive(i));
    MakeContainers(c);
    c.Canonicalize();
    int constraints = Int(0, 8);
    for (int i = 0; i < constraints; ++i) MakeConstraint(c, i);
    if (Chance(70))
      c.properties.Set("stonith-enabled", Pick({"false", "true"}));
    if (Chance(50)) {
      c.properties.Set("no-quorum-policy", Pick({"ignore", "stop", "freeze"}));
    }
    if (Chance(30)) c.properties.Set("k-custom-prop", Value());
    if (Chance(60)) c.rsc_defaults.Set("resource-stickiness", Score());
    if (Chance(30)) c.rsc_defaults.Set("migration-threshold", "3");
    if (Chance(40)) c.op_defaults.Set("timeout", Interval());
    return c;
  }

 private:
  int Int(int lo, int hi) {
    return std::uniform_int_distribution<>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  T Pick(std::initializer_list<T> items) {
    return *(items.begin() + Int(0, int(items.size()) - 1));
  }
  std::string Pick(std::initializer_list<const char*> items) {
    return *(items.begin() + Int(0, int(items.size()) - 1));
  }

  // Values that stress quoting: blanks, quotes, '#', '=', ':', backslashes,
  // unicode, empty.
  std::string Value() {
    static const char* kPieces[] = {"pg",  "/dev/VG_PG/LV_DATA",
                                    " ",   "\"",
                                    "'",   "#",
                                    "=",   ":",
                                    "\\",  "é",
                                    "a b", "noatime,nodiratime",
                                    "100", "true",
                                    "x"};
    if (Chance(5)) return "";
    std::string v;
    int n = Int(1, 4);
    for (int i = 0; i < n; ++i) v += kPieces[Int(0, 14)];
    return v;
  }
  std::string Name(const char* prefix, int i) {
    return std::string(prefix) + std::to_string(i) +
           (Chance(30) ? Pick({"_a", "-b", ".c"}) : "");
  }
  std::string Score() {
    return Pick({"INFINITY", "-INFINITY", "0", "100", "-50", "2000"});
  }
  std::string Interval() {
    return Pick({"0", "15", "15s", "500ms", "1min", "2h", "PT1M"});
  }

  cib::Node MakeNode(int i) {
    cib::Node n;
    n.name = Name("node", i);
    if (Chance(70)) n.id = unsigned(i + 1);
    if (Chance(20)) n.type = "member";
    if (Chance(20)) n.description = Value();
    if (Chance(50)) n.attributes.Set("standby", Pick({"on", "off"}));
    if (Chance(20)) n.attributes.Set("k-rack", Value());
    if (Chance(10)) n.utilization.Set("cpu", "4");
    node_names_.push_back(n.name);
    return n;
  }

  cib::Resource MakePrimitive(int i) {
    cib::Resource r;
    r.id = Name("rsc", i);
    r.agent = *cib::ParseAgentSpec(Pick(
        {"ocf:heartbeat:Dummy", "ocf:pacemaker:Stateful", "ocf:linbit:drbd",
         "lsb:postgresql", "systemd:nginx", "ocf:heartbeat:IPaddr2"}));
    if (Chance(15)) r.description = Value();
    int params = Int(0, 3);
    for (int p = 0; p < params; ++p)
      r.params.Set("k" + std::to_string(p), Value());
    if (Chance(30)) r.meta.Set("target-role", Pick({"Started", "Stopped"}));
    if (Chance(30)) r.meta.Set("resource-stickiness", Score());
    if (Chance(20)) r.meta.Set("is-managed", Pick({"true", "false"}));
    if (Chance(10)) r.utilization.Set("memory", "512");
    std::vector<std::string> ops = {"start",   "stop",   "monitor",
                                    "promote", "demote", "notify"};
    for (const auto& op : ops) {
      if (!Chance(40)) continue;
      cib::Operation o{op, {}};
      o.attrs.Set("interval", op == "monitor" ? Pick({"15", "10s", "1min"})
                                              : Pick({"0", "0s"}));
      if (Chance(60)) o.attrs.Set("timeout", Interval());
      if (op == "monitor" && Chance(20)) o.attrs.Set("on-fail", "restart");
      if (Chance(10)) o.attrs.Set("OCF_CHECK_LEVEL", "10");
      r.ops.push_back(std::move(o));
    }
    return r;
  }

  void MakeContainers(cib::Configuration& c) {
    std::vector<std::string> free;  // primitives, then groups, uncontained
    for (const auto& r : c.resources) free.push_back(r.id);
    std::shuffle(free.begin(), free.end(), rng_);
    int groups = 0;
    size_t primitives = free.size();  // groups hold only primitives
    while (primitives >= 2 && Chance(40)) {
      cib::Resource g;
      g.id = Name("grp", groups++);
      g.kind = cib::ResourceKind::kGroup;
      int n = Int(1, std::min<int>(4, int(primitives)));
      for (int i = 0; i < n; ++i) {
        g.children.push_back(free.back());
        free.pop_back();
        --primitives;
      }
      if (Chance(30)) g.meta.Set("target-role", "Started");
      free.insert(free.begin(), g.id);  // a group may be cloned too
      c.resources.push_back(std::move(g));
    }
    int clones = 0;
    while (!free.empty() && Chance(40)) {
      cib::Resource k;
      k.id = Name("cln", clones++);
      k.kind = cib::ResourceKind::kClone;
      k.children = {free.back()};
      free.pop_back();
      int form = Int(0, 2);  // clone, ms, clone with promotable=true
      k.promotable = form != 0;
      k.ms_syntax = form == 1;
      if (form == 2) k.meta.Set("promotable", "true");
      if (Chance(60)) k.meta.Set("clone-max", std::to_string(Int(1, 3)));
      if (form != 0 && Chance(60)) k.meta.Set("promoted-max", "1");
      if (Chance(40)) k.meta.Set("notify", "true");
      if (k.promotable) promotable_.insert(k.id);
      if (k.promotable) promotable_.insert(k.children[0]);
      c.resources.push_back(std::move(k));
    }
    for (auto& r : c.resources) {  // members of promotable groups
      if (r.IsGroup() && promotable_.count(r.id)) {
        for (const auto& m : r.children) promotable_.insert(m);
      }
    }
  }

  cib::Role RoleFor(const std::string& rsc) {
    if (promotable_.count(rsc) && Chance(60)) {
      return Pick({cib::Role::kPromoted, cib::Role::kUnpromoted});
    }
    return Chance(30) ? cib::Role::kStarted : cib::Role::kUnknown;
  }

  void MakeConstraint(cib::Configuration& c, int i) {
    const auto& rs = c.resources;
    std::string a = rs[Int(0, int(rs.size()) - 1)].id;
    std::string b = rs[Int(0, int(rs.size()) - 1)].id;
    int kind = Int(0, 2);
    if (kind == 0) {
      cib::Location l;
      l.id = Name("loc", i);
      l.rsc = a;
      l.role = RoleFor(a);
      l.score = *cib::ParseScore(Score());
      l.node = node_names_[Int(0, int(node_names_.size()) - 1)];
      if (Chance(20)) {
        l.expires = *cib::ParseTimestamp(
            "2027-01-0" + std::to_string(Int(1, 9)) + "T10:00:00Z");
      } else if (Chance(15)) {
        l.resource_discovery = Pick({"never", "exclusive", "always"});
      }
      c.constraints.push_back(l);
    } else if (a != b && kind == 1) {
      cib::Colocation co{.id = Name("col", i),
                         .score = *cib::ParseScore(Score()),
                         .rsc = a,
                         .rsc_role = RoleFor(a),
                         .with_rsc = b,
                         .with_rsc_role = RoleFor(b)};
      c.constraints.push_back(co);
    } else if (a != b) {
      cib::Order o;
      o.id = Name("ord", i);
      if (Chance(50)) {
        o.kind = Pick({cib::OrderKind::kMandatory, cib::OrderKind::kOptional,
                       cib::OrderKind::kSerialize});
      } else {
        o.score = *cib::ParseScore(Score());
      }
      o.first = a;
      o.then = b;
      o.first_action = ActionFor(a);
      o.then_action = ActionFor(b);
      if (Chance(30)) o.symmetrical = Chance(50);
      c.constraints.push_back(o);
    }
  }

  cib::Action ActionFor(const std::string& rsc) {
    if (promotable_.count(rsc) && Chance(50)) {
      return Pick({cib::Action::kPromote, cib::Action::kDemote});
    }
    return Pick(
        {cib::Action::kUnspecified, cib::Action::kStart, cib::Action::kStop});
  }

  std::mt19937 rng_;
  std::vector<std::string> node_names_;
  std::set<std::string> promotable_;
};

}  // namespace paceline::testing
