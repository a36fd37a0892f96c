// Properties of the scheduler over random clusters (issue 3, "Property
// tests"): the same input gives the same graph, the graph is acyclic, no
// final placement violates a -INFINITY constraint, and applying a
// transition then scheduling again asks for nothing more.
//
// Inputs: tests/cli/random_config.h's configurations and ShapedConfig's
// (tests/policy/random_cluster.h), each with a RandomStatus, at a fixed
// `now`. A failing property prints every failing seed, and for the first
// few a reproducer shrunk by Shrink(), as the YAML of a cib.yaml.
//
// How the properties read the configuration (Pacemaker's rules):
//  - a role filter of Started (or none) selects every active role;
//  - a constraint naming anything inside a clone means the clone;
//  - a location with `expires` at or before now is not in force;
//  - an unmanaged instance stays where it is, so it is exempt as the
//    thing placed (it still counts as a colocation's primary);
//  - colocations between a resource and its own container say nothing
//    beyond containment and are not checked;
//  - a standby attribute in the status overrides the configuration's.
// Cases whose orderings form a cycle are refused by the engine, listed and
// skipped. Convergence leaves out negative stickiness (it pushes a
// resource off wherever it runs, in Pacemaker too, so it never settles).
//
//   PACELINE_PROPERTY_SEEDS=N   seeds per generator (default 300)
//   PACELINE_PROPERTY_ONLY=shaped:17 | random:4   one case
//   PACELINE_PROPERTY_LIST=N    failing cases described (default 25)
//   PACELINE_PROPERTY_SHRINK=N  reproducers shrunk per property (default 3)
//   PACELINE_PROPERTY_DUMP=DIR  also write them as DIR/PROPERTY-CASE.yaml
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "../cli/random_config.h"
#include "cib/store.h"
#include "common/strings.h"
#include "policy/policy.h"
#include "random_cluster.h"

namespace paceline::testing {
namespace {

using cib::Role;
using policy::TransitionGraph;

const WallTime kNow = *cib::ParseTimestamp("2026-11-25T10:00:00Z");

// ---- Cases.

enum class Family { kRandom, kShaped };

std::string_view FamilyName(Family f) {
  return f == Family::kRandom ? "random" : "shaped";
}

struct CaseId {
  Family family;
  unsigned seed;
  std::string Name() const {
    return std::string(FamilyName(family)) + ":" + std::to_string(seed);
  }
};

size_t EnvCount(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  return v ? size_t(std::max(0, std::atoi(v))) : fallback;
}

std::vector<CaseId> Cases() {
  if (const char* only = std::getenv("PACELINE_PROPERTY_ONLY")) {
    std::string s = only;
    size_t colon = s.find(':');
    Family f =
        s.substr(0, colon) == "shaped" ? Family::kShaped : Family::kRandom;
    return {{f, unsigned(std::atoi(s.c_str() + colon + 1))}};
  }
  size_t seeds = std::max<size_t>(1, EnvCount("PACELINE_PROPERTY_SEEDS", 300));
  std::vector<CaseId> out;
  for (Family f : {Family::kRandom, Family::kShaped}) {
    for (size_t s = 1; s <= seeds; ++s) out.push_back({f, unsigned(s)});
  }
  return out;
}

cib::Document MakeCase(CaseId id) {
  cib::Document d;
  d.config = id.family == Family::kRandom ? RandomConfig(id.seed).Make()
                                          : ShapedConfig(id.seed).Make();
  d.status = RandomStatus(id.seed, kNow).Make(d.config);
  return d;
}

policy::Snapshot SnapshotOf(const cib::Document& d) {
  return {.config = d.config, .status = d.status, .quorate = true};
}

Result<TransitionGraph> Plan(const cib::Document& d,
                             policy::Options options = {}) {
  return policy::Schedule(SnapshotOf(d), options, kNow);
}

// A configuration error the engine may refuse to schedule (orderings that
// form a cycle); such cases are skipped by the properties and listed.
bool IsCycleError(const Result<TransitionGraph>& g) {
  return !g.ok() &&
         ToLower(g.status().message()).find("cycle") != std::string::npos;
}

// ---- Reading graphs.

// Every field of the plan, one line each, for exact comparison.
std::string Dump(const Result<TransitionGraph>& g, bool scores = false) {
  if (!g.ok()) return "error: " + g.status().message() + "\n";
  std::ostringstream o;
  for (const auto& a : g->actions) {
    o << "action " << a.id << ' ' << policy::TaskName(a.task) << ' ' << a.pseudo
      << ' ' << a.resource << ' ' << a.primitive << ' ' << a.node << ' '
      << a.interval_ms << ' ' << a.timeout_ms << ' ' << cib::RoleName(a.role)
      << ' ' << a.runnable << ' ' << a.reason << '\n';
  }
  for (const auto& e : g->edges)
    o << "edge " << e.first << ' ' << e.then << '\n';
  for (const auto& p : g->placements) {
    o << "placement " << p.instance << ' ' << p.primitive << ' ' << p.parent
      << ' ' << p.group << ' ' << p.agent << ' ' << p.node << ' '
      << cib::RoleName(p.role) << ' ' << p.managed << ' ' << p.failed << '\n';
  }
  for (const auto& n : g->notes) o << "note " << n << '\n';
  for (const auto& d : g->decisions) {
    o << "decision " << d.resource << ' ' << d.node << ' ' << d.why << '\n';
  }
  if (scores) {
    for (const auto& s : g->scores) {
      o << "score " << s.resource << ' ' << s.node << ' ' << s.score.ToString()
        << ' ' << s.source << ' ' << s.promotion << '\n';
    }
  }
  return o.str();
}

std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ga = bool(std::getline(x, la)), gb = bool(std::getline(y, lb));
    if (!ga && !gb) return "identical";
    if (!ga || !gb || la != lb) {
      return "line " + std::to_string(line) + ": '" + (ga ? la : "<end>") +
             "' vs '" + (gb ? lb : "<end>") + "'";
    }
  }
}

bool IsActive(const policy::Placement& p) {
  return !p.node.empty() && p.role != Role::kStopped;
}

// Does a constraint's role filter select an instance in `role`? No filter
// and Started select every active role (Pacemaker reads Started as "any").
bool RoleMatches(Role filter, Role role) {
  switch (filter) {
    case Role::kUnknown:
    case Role::kStarted:
      return role != Role::kStopped;
    case Role::kPromoted:
      return role == Role::kPromoted;
    case Role::kUnpromoted:
      return role == Role::kUnpromoted || role == Role::kStarted;
    case Role::kStopped:
      return false;
  }
  return false;
}

// The configuration as the properties read it.
class Model {
 public:
  explicit Model(const cib::Document& d) : d_(d) {}

  // A constraint naming anything inside a clone means the clone
  // (Pacemaker's rule for constraints on clone children).
  std::string Resolve(const std::string& id) const {
    const cib::Resource* clone = CloneOf(d_.config, id);
    return clone ? clone->id : id;
  }
  std::set<std::string> Primitives(const std::string& id) const {
    std::set<std::string> out;
    Collect(id, out);
    return out;
  }
  // Same resource, or one contains the other: colocating them says
  // nothing the containment does not already say.
  bool Related(const std::string& a, const std::string& b) const {
    return Contains(a, b) || Contains(b, a);
  }
  // Online and not in standby (a transient attribute overrides the
  // permanent one; the generator only ever sets it to "on").
  bool Usable(const std::string& node) const {
    const cib::NodeStatus* st = d_.status.FindNode(node);
    if (!st || st->state != cib::NodeState::kOnline) return false;
    const std::string* v = st->attributes.Get("standby");
    if (!v) {
      const cib::Node* n = d_.config.FindNode(node);
      v = n ? n->attributes.Get("standby") : nullptr;
    }
    bool on = false;
    return !(v && ParseBool(*v, &on) && on);
  }

 private:
  void Collect(const std::string& id, std::set<std::string>& out) const {
    const cib::Resource* r = d_.config.FindResource(id);
    if (!r) return;
    if (r->IsPrimitive()) out.insert(id);
    for (const auto& c : r->children) Collect(c, out);
  }
  bool Contains(const std::string& outer, const std::string& inner) const {
    for (const cib::Resource* p = d_.config.FindResource(inner); p;
         p = d_.config.ParentOf(p->id)) {
      if (p->id == outer) return true;
    }
    return false;
  }
  const cib::Document& d_;
};

std::string Where(const policy::Placement& p) {
  return p.instance + " " + std::string(cib::RoleName(p.role)) + " on " +
         p.node;
}

// ---- The properties. Each returns what is violated, or nothing.

using Property =
    std::function<std::optional<std::string>(const cib::Document&)>;

std::optional<std::string> Deterministic(const cib::Document& d) {
  std::string first = Dump(Plan(d));
  std::string again = Dump(Plan(d));
  if (first != again) {
    return "two runs differ at " + FirstDifference(first, again);
  }
  cib::Document copy = d;  // same input at other addresses
  std::string copied = Dump(Plan(copy));
  if (first != copied) {
    return "a copy of the input differs at " + FirstDifference(first, copied);
  }
  auto reread = cib::ParseDocument(cib::SerializeDocument(d));
  if (reread.ok() && *reread == d) {
    std::string from_yaml = Dump(Plan(*reread));
    if (first != from_yaml) {
      return "the input read back from YAML differs at " +
             FirstDifference(first, from_yaml);
    }
  }
  policy::Options scores{.record_scores = true};
  auto with = Plan(d, scores);
  if (Dump(with) != first) {
    return "recording scores changes the plan at " +
           FirstDifference(first, Dump(with));
  }
  std::string s1 = Dump(with, true), s2 = Dump(Plan(copy, scores), true);
  if (s1 != s2)
    return "scores differ between runs at " + FirstDifference(s1, s2);
  return std::nullopt;
}

// Real actions reachable from `from` through pseudo-actions only.
void RealSuccessors(const TransitionGraph& g,
                    const std::vector<std::vector<int>>& out, int from,
                    std::vector<int>& found) {
  std::vector<int> stack = out[size_t(from)];
  std::vector<bool> seen(g.actions.size());
  while (!stack.empty()) {
    int v = stack.back();
    stack.pop_back();
    if (seen[size_t(v)]) continue;
    seen[size_t(v)] = true;
    if (!g.actions[size_t(v)].pseudo) {
      found.push_back(v);
    } else {
      for (int w : out[size_t(v)]) stack.push_back(w);
    }
  }
}

std::optional<std::string> Acyclic(const cib::Document& d) {
  auto g = Plan(d);
  if (IsCycleError(g)) return std::nullopt;
  if (!g.ok()) return "Schedule failed: " + g.status().message();
  int n = int(g->actions.size());
  for (int i = 0; i < n; ++i) {
    if (g->actions[size_t(i)].id != i) {
      return "action " + std::to_string(i) + " has id " +
             std::to_string(g->actions[size_t(i)].id);
    }
  }
  std::vector<std::vector<int>> out(static_cast<size_t>(n));
  for (const auto& e : g->edges) {
    if (e.first < 0 || e.first >= n || e.then < 0 || e.then >= n ||
        e.first == e.then) {
      return "bad edge " + std::to_string(e.first) + " -> " +
             std::to_string(e.then);
    }
    out[size_t(e.first)].push_back(e.then);
  }
  Status v = policy::ValidateGraph(*g);
  if (!v.ok()) return "ValidateGraph: " + v.message();
  // TopologicalOrder must list each real action once, after everything
  // ordered before it (directly or through pseudo-actions).
  std::vector<int> order = g->TopologicalOrder();
  std::vector<int> pos(size_t(n), -1);
  for (size_t i = 0; i < order.size(); ++i) {
    int a = order[i];
    if (a < 0 || a >= n || g->actions[size_t(a)].pseudo ||
        pos[size_t(a)] >= 0) {
      return "TopologicalOrder lists " + std::to_string(a) +
             " (pseudo, repeated or out of range)";
    }
    pos[size_t(a)] = int(i);
  }
  for (int a = 0; a < n; ++a) {
    if (g->actions[size_t(a)].pseudo) continue;
    if (pos[size_t(a)] < 0) {
      return "TopologicalOrder misses " + g->actions[size_t(a)].Key();
    }
    std::vector<int> next;
    RealSuccessors(*g, out, a, next);
    for (int b : next) {
      if (pos[size_t(b)] < pos[size_t(a)]) {
        return "TopologicalOrder puts " + g->actions[size_t(b)].Key() +
               " before " + g->actions[size_t(a)].Key();
      }
    }
  }
  return std::nullopt;
}

// Locations with -INFINITY that are in force at kNow.
void CheckLocations(const cib::Document& d, const Model& m,
                    const TransitionGraph& g, std::vector<std::string>& bad) {
  for (const auto& k : d.config.constraints) {
    const auto* l = std::get_if<cib::Location>(&k);
    if (!l || !l->score.IsMinusInfinity() ||
        (l->expires && *l->expires <= kNow)) {
      continue;
    }
    auto prims = m.Primitives(l->rsc);
    // A group's location binds its first member; each other member follows
    // the one before it (Pacemaker 2.1.5 resets their scores, the ban's
    // too), even onto the banned node when that one stays there unmanaged.
    std::unordered_map<std::string, std::string> before;
    if (const cib::Resource* r = d.config.FindResource(l->rsc);
        r && r->IsGroup()) {
      for (size_t i = 1; i < r->children.size(); ++i) {
        before[r->children[i]] = r->children[i - 1];
      }
    }
    auto there = [&](const std::string& primitive) {
      for (const auto& p : g.placements) {
        if (p.primitive == primitive && IsActive(p) && p.node == l->node) {
          return true;
        }
      }
      return false;
    };
    for (const auto& p : g.placements) {
      auto b = before.find(p.primitive);
      if (b != before.end() && there(b->second)) continue;
      if (p.managed && IsActive(p) && p.node == l->node &&
          prims.count(p.primitive) && RoleMatches(l->role, p.role)) {
        bad.push_back(Where(p) + " despite location " + l->id);
      }
    }
  }
}

void CheckNodes(const Model& m, const TransitionGraph& g,
                std::vector<std::string>& bad) {
  for (const auto& p : g.placements) {
    if (p.managed && IsActive(p) && !m.Usable(p.node)) {
      bad.push_back(Where(p) + ", a node offline or in standby");
    }
  }
}

// Mandatory colocations between two placed resources. An unmanaged
// dependent stays where it is whatever the constraint says.
void CheckColocations(const cib::Document& d, const Model& m,
                      const TransitionGraph& g, std::vector<std::string>& bad) {
  for (const auto& k : d.config.constraints) {
    const auto* c = std::get_if<cib::Colocation>(&k);
    if (!c || !(c->score.IsInfinity() || c->score.IsMinusInfinity())) continue;
    std::string dep = m.Resolve(c->rsc), pri = m.Resolve(c->with_rsc);
    if (m.Related(dep, pri)) continue;
    auto dep_prims = m.Primitives(dep), pri_prims = m.Primitives(pri);
    // A group colocates through its first member (Pacemaker's rule too);
    // when that member is unmanaged it stays where it is and the members
    // after it follow it, so the group-level colocation cannot be honoured.
    const cib::Resource* dep_rsc = d.config.FindResource(dep);
    if (dep_rsc && dep_rsc->IsGroup() && !dep_rsc->children.empty()) {
      bool pinned = false;
      for (const auto& x : g.placements) {
        pinned |= x.primitive == dep_rsc->children.front() && !x.managed;
      }
      if (pinned) continue;
    }
    for (const auto& x : g.placements) {
      if (!x.managed || !IsActive(x) || !dep_prims.count(x.primitive) ||
          !RoleMatches(c->rsc_role, x.role)) {
        continue;
      }
      const policy::Placement* with = nullptr;
      for (const auto& y : g.placements) {
        if (IsActive(y) && y.node == x.node && pri_prims.count(y.primitive) &&
            RoleMatches(c->with_rsc_role, y.role)) {
          with = &y;
          break;
        }
      }
      if (c->score.IsMinusInfinity() && with) {
        bad.push_back(Where(x) + " with " + Where(*with) + " despite " + c->id);
      } else if (c->score.IsInfinity() && !with) {
        bad.push_back(Where(x) + " without " + pri + " there, despite " +
                      c->id);
      }
    }
  }
}

std::optional<std::string> NoMinusInfinity(const cib::Document& d) {
  auto g = Plan(d);
  if (!g.ok()) return std::nullopt;  // Acyclic reports failures
  Model m(d);
  std::vector<std::string> bad;
  CheckLocations(d, m, *g, bad);
  CheckNodes(m, *g, bad);
  CheckColocations(d, m, *g, bad);
  if (bad.empty()) return std::nullopt;
  if (bad.size() > 6) bad.resize(6);
  return Join(bad, "; ");
}

bool ChangesSomething(const policy::Action& a) {
  using policy::Task;
  return !a.pseudo && a.runnable &&
         (a.task == Task::kStart || a.task == Task::kStop ||
          a.task == Task::kPromote || a.task == Task::kDemote);
}

cib::Document AfterTransition(const cib::Document& d,
                              const TransitionGraph& g) {
  cib::Document after = d;
  after.status = policy::ApplyTransition(SnapshotOf(d), g);
  return after;
}

// An unmanaged resource in a hard (+/-INFINITY) colocation stays put while
// the others arrange around it; the dependents' preferences it feeds back
// are rolled back when they would leave nowhere to run, and can apply only
// once the first transition moved something. Pacemaker's feedback works
// the same way. Such configurations must converge in two transitions.
bool PinnedInHardColocation(const cib::Document& d) {
  auto pinned = [&](const std::string& id) {
    for (const cib::Resource* r = d.config.FindResource(id); r;
         r = d.config.ParentOf(r->id)) {
      const std::string* v = r->meta.Get("is-managed");
      if (v && *v == "false") return true;
      for (const auto& child : r->children) {
        const cib::Resource* c = d.config.FindResource(child);
        const std::string* cv = c ? c->meta.Get("is-managed") : nullptr;
        if (cv && *cv == "false") return true;
      }
    }
    return false;
  };
  for (const auto& k : d.config.constraints) {
    const auto* c = std::get_if<cib::Colocation>(&k);
    if (c && (c->score.IsInfinity() || c->score.IsMinusInfinity()) &&
        (pinned(c->rsc) || pinned(c->with_rsc))) {
      return true;
    }
  }
  return false;
}

// A resource with target-role=Stopped is banned only when it is assigned;
// until then its own dependents' preferences reach the resources it
// depends on through it (a group member relays those of the members after
// it). Once those dependents have stopped, their stickiness is gone and
// the placement may change once more: Pacemaker does the same (a group
// whose middle member is disabled stops the members after it, then moves
// to its preferred node). Such configurations must converge in two
// transitions.
bool SomethingStoppedByRole(const cib::Document& d) {
  for (const auto& r : d.config.resources) {
    const std::string* v = r.meta.Get("target-role");
    if (v && *v == "Stopped") return true;
  }
  return false;
}

// A resource colocated with a promotable clone's Unpromoted role feeds its
// stickiness into the clone's score, which Pacemaker 2.1.5 adds to the
// promotion score: once it runs beside the unpromoted instance, that
// instance is promoted and it must move, forever (crm_simulate flaps the
// same way on the shrunk case: promote n1, then demote n1 / promote n3 /
// move, and so on). We follow Pacemaker; such cases are exempt.
bool ColocatedWithUnpromoted(const cib::Document& d) {
  for (const auto& k : d.config.constraints) {
    const auto* c = std::get_if<cib::Colocation>(&k);
    if (c && c->with_rsc_role == cib::Role::kUnpromoted) return true;
  }
  return false;
}

// Promotion scores steer where the instances of a promotable clone go,
// but a node's score counts only for the instance active there, or, where
// none is, once the resource's state there is known (Pacemaker 2.1.5's
// pcmk__add_promotion_scores). So each transition that stops, moves or
// probes an instance can make another node's score count: a probe reveals
// a node with a high score, a stopped extra copy frees a node whose score
// then draws the promoted instance, and the instance that leaves a node
// lets another follow onto it. Such configurations take up to two
// transitions more. crm_simulate (ocf:pacemaker:Stateful, stonith
// disabled) takes the same steps on the shrunk cases: (1) leave a standby
// node; move the promoted instance to the probed node; move the other onto
// the node it left; (2) stop the extra copy; move the instance there.
bool PromotionScoresSet(const cib::Document& d) {
  for (const auto& n : d.status.nodes) {
    for (const auto& a : n.attributes) {
      if (a.name.starts_with("master-")) return true;
    }
  }
  return false;
}

std::optional<std::string> ConvergesWithin(const cib::Document& d, int steps);

std::optional<std::string> Converges(const cib::Document& d) {
  if (ColocatedWithUnpromoted(d)) return std::nullopt;
  bool two = PinnedInHardColocation(d) || SomethingStoppedByRole(d);
  int steps = (two ? 2 : 1) + (PromotionScoresSet(d) ? 2 : 0);
  return ConvergesWithin(d, steps);
}

std::optional<std::string> ConvergesWithin(const cib::Document& d, int steps) {
  auto g = Plan(d);
  if (!g.ok()) return std::nullopt;
  if (steps > 1) {
    cib::Document next = AfterTransition(d, *g);
    auto second = ConvergesWithin(next, steps - 1);
    return second ? "(in " + std::to_string(steps) + " transitions) " + *second
                  : second;
  }
  auto again = Plan(AfterTransition(d, *g));
  if (IsCycleError(again)) return std::nullopt;  // see RefusedLater
  if (!again.ok()) {
    return "the second Schedule failed: " + again.status().message();
  }
  std::vector<std::string> left;
  for (const auto& a : again->actions) {
    if (ChangesSomething(a)) left.push_back(a.Key() + " (" + a.reason + ")");
  }
  if (left.empty()) return std::nullopt;
  if (left.size() > 8) left.resize(8);
  return "after the transition, still: " + Join(left, ", ");
}

// ---- Driver.

// Cases a property says nothing about: configurations the engine rightly
// refuses (orderings that form a cycle). They are listed, not hidden.
bool Refused(const cib::Document& d) { return IsCycleError(Plan(d)); }

// A cyclic ordering can involve actions that only exist once something
// runs (a stop), so the refusal may come one transition later.
bool RefusedLater(const cib::Document& d) {
  auto g = Plan(d);
  if (IsCycleError(g)) return true;
  return g.ok() && IsCycleError(Plan(AfterTransition(d, *g)));
}

struct PropertySpec {
  const char* name;
  Property violation;
  // Adapts generated cases to the property's preconditions (see callers).
  std::function<void(cib::Document&)> prepare;
  std::function<bool(const cib::Document&)> refused = Refused;
};

struct Failure {
  CaseId id;
  std::string what;
};

cib::Document MakeCaseFor(const PropertySpec& p, CaseId id) {
  cib::Document d = MakeCase(id);
  if (p.prepare) p.prepare(d);
  return d;
}

// The failing cases, each described, and the first few shrunk to a YAML
// reproducer (also written to $PACELINE_PROPERTY_DUMP when set).
std::string Report(const PropertySpec& p, const std::vector<Failure>& failures,
                   size_t total) {
  std::ostringstream report;
  report << p.name << " fails for " << failures.size() << " of " << total
         << " cases:";
  for (const auto& f : failures) report << ' ' << f.id.Name();
  report << "\n";
  size_t list = EnvCount("PACELINE_PROPERTY_LIST", 25);
  for (size_t i = 0; i < std::min(failures.size(), list); ++i) {
    report << "  " << failures[i].id.Name() << ": " << failures[i].what << "\n";
  }
  size_t shrink = EnvCount("PACELINE_PROPERTY_SHRINK", 3);
  const char* dump = std::getenv("PACELINE_PROPERTY_DUMP");
  for (size_t i = 0; i < std::min(failures.size(), shrink); ++i) {
    const Failure& f = failures[i];
    cib::Document small =
        Shrink(MakeCaseFor(p, f.id), [&](const cib::Document& x) {
          return !p.refused(x) && p.violation(x).has_value();
        });
    auto still = p.violation(small);
    std::string yaml = cib::SerializeDocument(small);
    report << "--- " << f.id.Name()
           << " shrunk: " << (still ? *still : "(no longer fails)") << "\n"
           << yaml << "\n";
    if (dump) {
      std::string file = std::string(dump) + "/" + p.name + "-" +
                         std::string(FamilyName(f.id.family)) + "-" +
                         std::to_string(f.id.seed) + ".yaml";
      std::ofstream(file) << "# " << (still ? *still : "") << "\n" << yaml;
    }
  }
  return report.str();
}

void CheckProperty(const PropertySpec& p) {
  std::vector<Failure> failures;
  std::vector<std::string> refused;
  auto cases = Cases();
  for (const CaseId& id : cases) {
    cib::Document d = MakeCaseFor(p, id);
    if (p.refused(d)) {
      refused.push_back(id.Name());
    } else if (auto v = p.violation(d)) {
      failures.push_back({id, *v});
    }
  }
  if (!refused.empty()) {
    std::cout << p.name << ": " << refused.size() << " of " << cases.size()
              << " cases refused as ordering cycles: " << Join(refused, " ")
              << "\n";
  }
  if (!failures.empty()) ADD_FAILURE() << Report(p, failures, cases.size());
}

TEST(PolicyPropertyTest, GeneratedConfigurationsAreValid) {
  for (const CaseId& id : Cases()) {
    Status s = cib::Validate(MakeCase(id).config);
    EXPECT_TRUE(s.ok()) << id.Name() << ": " << s.message();
  }
}

TEST(PolicyPropertyTest, SameInputGivesTheSameGraph) {
  CheckProperty({.name = "determinism", .violation = Deterministic});
}

TEST(PolicyPropertyTest, GraphIsAcyclic) {
  CheckProperty({.name = "acyclic", .violation = Acyclic});
}

TEST(PolicyPropertyTest, NoPlacementViolatesMinusInfinity) {
  CheckProperty({.name = "no-minus-infinity", .violation = NoMinusInfinity});
}

TEST(PolicyPropertyTest, ApplyingTheTransitionConverges) {
  CheckProperty(
      {.name = "convergence",
       .violation = Converges,
       .prepare = [](cib::Document& d) { DropNegativeStickiness(d.config); },
       .refused = RefusedLater});
}

}  // namespace
}  // namespace paceline::testing
