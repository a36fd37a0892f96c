// Stage 3, assign: a node (and for promotable clones a role) for every
// resource, in priority then configuration order.
//
// For one resource, as Pacemaker does it: first assign the primaries it is
// colocated with, and apply those colocations to its scores; then add the
// preferences of resources colocated with it (its dependents), scaled by
// score/INFINITY and followed recursively, rolled back if they would leave
// it nowhere to run; then pick the node with the highest score, ties broken
// by fewer resources assigned in this run, then the node it is on now, then
// the node name. A negative score means "cannot run there".
#include <algorithm>
#include <cmath>
#include <deque>
#include <unordered_set>

#include "policy/assign_internal.h"

namespace paceline::policy::internal {

namespace {

std::string Name(const WorkingSet& ws, int node) {
  return ws.nodes[size_t(node)].name;
}

}  // namespace

bool AnyRunnable(const WorkingSet& ws, const std::vector<Score>& scores) {
  for (size_t i = 0; i < scores.size(); ++i) {
    if (ws.nodes[i].Available() && scores[i].value() >= 0) return true;
  }
  return false;
}

bool WithPromotableRole(const Coloc& c) {
  return c.primary->IsClone() && c.primary->promotable &&
         (c.primary_role == Role::kPromoted ||
          c.primary_role == Role::kUnpromoted);
}

void ApplyWithPromotableRole(WorkingSet& ws, Rsc& dependent,
                             std::vector<Score>& scores, const Coloc& c,
                             bool record) {
  // Pacemaker lists the instances' nodes by prepending and looks a node
  // up from the front: of two instances on one node, the later one's
  // score counts.
  std::vector<const Rsc*> on(scores.size(), nullptr);
  for (const Rsc* inst : c.primary->children) {
    if (inst->assigned >= 0 && inst->next_role == c.primary_role) {
      on[size_t(inst->assigned)] = inst;
    }
  }
  std::string source;
  if (record && ws.Recording()) {
    source = "colocation " + c.id +
             (c.Mandatory() ? ": must be with " : " with ") + c.primary->id +
             ":" + std::string(cib::RoleName(c.primary_role));
  }
  for (size_t i = 0; i < scores.size(); ++i) {
    Score delta;
    if (c.Mandatory()) {
      delta = on[i] ? on[i]->placed_score : Score::MinusInfinity();
    } else if (on[i]) {
      delta = c.score;
    }
    if (delta.value() == 0) continue;
    scores[i] += delta;
    if (record) ws.Term(dependent, int(i), delta, source);
  }
}

Score Scale(Score s, double factor) {
  if (factor == 1.0) return s;
  long long scaled = std::llround(double(s.value()) * factor);
  // As Pacemaker: a small factor must not erase a nonzero score; the
  // result then takes the factor's sign.
  if (scaled == 0 && s.value() != 0 && factor != 0)
    scaled = factor > 0 ? 1 : -1;
  return Score(scaled);
}

std::vector<bool> PrimaryNodes(const WorkingSet& ws, const Rsc& primary,
                               Role role) {
  std::vector<bool> out(ws.nodes.size(), false);
  auto matches = [&](const Rsc& r) {
    if (r.assigned < 0) return false;
    if (role == Role::kPromoted || role == Role::kUnpromoted) {
      return r.next_role == role;
    }
    return true;
  };
  if (primary.IsClone()) {
    for (const Rsc* inst : primary.children) {
      if (matches(*inst)) out[size_t(inst->assigned)] = true;
    }
  } else if (matches(primary)) {
    out[size_t(primary.assigned)] = true;
  }
  return out;
}

// A finite colocation of a primitive or group, as Pacemaker applies it:
// one step for a primitive or group primary, one per instance of a clone
// primary (in instance order). A step adds the score where that primary
// (instance) runs — or, for a positive score and a primary that runs
// nowhere, subtracts it everywhere — and is rolled back when it would
// leave the dependent no node to run on.
void ApplyFinite(WorkingSet& ws, Rsc& dependent, std::vector<Score>& scores,
                 const Coloc& c, const std::string& role, bool record) {
  const Rsc& primary = *c.primary;
  std::vector<Rsc::Unit> units;
  if (primary.IsClone()) {
    units = primary.units;  // Pacemaker's instance order
    if (units.empty()) {
      for (const Rsc* inst : primary.children) {
        units.push_back({inst->assigned, inst->next_role});
      }
    }
  } else {
    units.push_back({primary.assigned, primary.next_role});
  }
  bool role_specific =
      c.primary_role == Role::kPromoted || c.primary_role == Role::kUnpromoted;
  for (const Rsc::Unit& u : units) {
    if (role_specific && u.role != c.primary_role) continue;
    std::vector<Score> work = scores;
    std::string source;
    if (u.node >= 0) {
      work[size_t(u.node)] += c.score;
      if (record && ws.Recording()) {
        source = "colocation " + c.id + " with " + primary.id + role;
      }
    } else if (c.score.value() > 0) {
      for (Score& w : work) w += Score(-c.score.value());
      if (record && ws.Recording()) {
        source = "colocation " + c.id + ": an instance of " + primary.id +
                 " runs nowhere";
      }
    } else {
      continue;
    }
    if (!AnyRunnable(ws, work)) continue;  // rolled back
    for (size_t i = 0; i < scores.size() && record; ++i) {
      if (work[i] == scores[i]) continue;
      ws.Term(dependent, int(i),
              u.node >= 0 ? c.score : Score(-c.score.value()), source);
    }
    scores = std::move(work);
  }
}

void ApplyToDependent(WorkingSet& ws, Rsc& dependent,
                      std::vector<Score>& scores, const Coloc& c) {
  if (c.RoleOnly()) return;  // promotion stage
  const Rsc& primary = *c.primary;
  if (primary.provisional) {
    ws.Note("colocation " + c.id + " is part of a loop; " + primary.id +
            " was not assigned before " + dependent.id);
    return;
  }
  std::string role = c.primary_role == Role::kUnknown
                         ? ""
                         : ":" + std::string(cib::RoleName(c.primary_role));
  if (!c.Mandatory() && !c.Banned() && !dependent.IsClone()) {
    ApplyFinite(ws, dependent, scores, c, role, true);
    return;
  }
  if (c.Mandatory() && !dependent.IsClone() && WithPromotableRole(c)) {
    ApplyWithPromotableRole(ws, dependent, scores, c, true);
    return;
  }
  std::vector<bool> there = PrimaryNodes(ws, primary, c.primary_role);
  // The term's text is the same on every node it touches.
  std::string source;
  if (ws.Recording()) {
    source = "colocation " + c.id +
             (c.Mandatory() ? ": must be with "
              : c.Banned()  ? ": must not be with "
                            : " with ") +
             primary.id + role;
  }
  for (size_t i = 0; i < scores.size(); ++i) {
    Score delta;
    if (c.Mandatory() && !there[i]) {
      delta = Score::MinusInfinity();
    } else if (c.Banned() && there[i]) {
      delta = Score::MinusInfinity();
    } else if (!c.Mandatory() && !c.Banned() && there[i]) {
      delta = c.score;
    } else {
      continue;
    }
    scores[i] += delta;
    ws.Term(dependent, int(i), delta, source);
  }
}

// "X with group" reaches the group's last member's list only when the
// group's assignment begins (Pacemaker 2.1.5 expands group colocations
// then); before that, X's preferences do not feed back through the group.
bool Listed(const Coloc& c) {
  const Rsc* g = c.configured_primary;
  return !g || !g->IsGroup() || g->assigning || !g->provisional;
}

// Pacemaker 2.1.5's merge of dependents' preferences into a primary's
// scores (add_colocated_node_scores), step by step, because its quirks
// decide placements:
//  - a dependent adds its current scores times the factor (a nonzero score
//    never scales to 0); a negative factor skips its negative scores; a
//    group adds its first member's (with that member's own chain);
//  - then the dependents of that dependent (for a group: of its last
//    member, where "X with group" lives), each at its colocation's
//    strength with the chain's sign (factors do not compound), whatever
//    role it names (seed 1: cl4 with ms16:Promoted);
//  - each level is dropped when it would leave no node to run on;
//  - positive_only (merging into a clone's scores): a node whose score
//    would turn negative keeps 0, or, if it was positive, is skipped by
//    the rest of the level and ends at 1;
//  - a resource already being merged further up the chain is skipped.
class DependentMerge {
 public:
  // `merging`: a resource whose merge is under way (the walk stops there).
  DependentMerge(const WorkingSet& ws, bool positive_only,
                 const Rsc* merging = nullptr)
      : ws_(ws), positive_only_(positive_only) {
    if (merging) merging_.insert(merging);
  }

  void Add(const Rsc& dependent, double factor, std::vector<Score>& work) {
    Work w{work, std::vector<bool>(work.size(), false)};
    Merge(dependent, factor, w);
    work = std::move(w.scores);
  }

 private:
  struct Work {
    std::vector<Score> scores;
    std::vector<bool> unusable;  // Pacemaker's INFINITY_HACK
  };

  static const Rsc& Named(const Coloc& c) {
    return c.configured_dependent ? *c.configured_dependent : *c.dependent;
  }

  void AddScores(const Rsc& r, double factor, Work& level) {
    for (size_t i = 0; i < level.scores.size(); ++i) {
      Score d = r.allowed[i];
      if (factor < 0 && d.value() < 0) continue;  // no double negatives
      if (level.unusable[i]) continue;
      Score now = level.scores[i];
      Score next = now + Scale(d, factor);
      if (positive_only_ && next.value() < 0 && now.value() >= 0) {
        if (now.value() > 0) level.unusable[i] = true;
        continue;
      }
      level.scores[i] = next;
    }
  }

  void Merge(const Rsc& r, double factor, Work& work) {
    if (!merging_.insert(&r).second) return;
    bool group = r.IsGroup() && !r.children.empty();
    Work level = work;
    if (group) {
      Merge(*r.children.front(), factor, level);
    } else {
      AddScores(r, factor, level);
    }
    bool any = false;
    for (size_t i = 0; i < level.scores.size(); ++i) {
      any = any || (!level.unusable[i] && ws_.nodes[i].Available() &&
                    level.scores[i].value() >= 0);
    }
    if (!any) {  // rolled back
      merging_.erase(&r);
      return;
    }
    const Rsc& lister = group ? *r.children.back() : r;
    double sign = factor < 0 ? -1.0 : 1.0;
    for (const Coloc* c : lister.named_with_this) {
      if (!Listed(*c)) continue;
      Merge(Named(*c), sign * double(c->score.value()) / cib::kInfinity, level);
    }
    if (positive_only_) {
      for (size_t i = 0; i < level.scores.size(); ++i) {
        if (!level.unusable[i]) continue;
        level.scores[i] = Score(1);
        level.unusable[i] = false;
      }
    }
    work = std::move(level);
    merging_.erase(&r);
  }

  const WorkingSet& ws_;
  bool positive_only_;
  std::unordered_set<const Rsc*> merging_;
};

void AddDependentScores(const WorkingSet& ws, const Rsc& dependent,
                        double factor, std::vector<Score>& work,
                        const Rsc* merging) {
  DependentMerge(ws, false, merging).Add(dependent, factor, work);
}

void ApplyDependents(WorkingSet& ws, Rsc& primary, std::vector<Score>& scores,
                     bool promotable_roles, bool positive_only,
                     bool with_positive, Rsc* term_owner, bool record) {
  for (const Coloc* c : primary.named_with_this) {
    if (!Listed(*c)) continue;
    if (!with_positive && c->score.value() >= 0) continue;
    bool role_specific = c->primary_role == Role::kPromoted ||
                         c->primary_role == Role::kUnpromoted;
    if (role_specific && promotable_roles) continue;  // promotion stage
    // A dependent's colocation that names its own role still feeds its
    // preferences back here, as Pacemaker's apply_with_this does (seed
    // 213: ms11:Promoted with cl6 brings ms11's -100 on node1).
    std::vector<Score> work = scores;
    double factor = double(c->score.value()) / cib::kInfinity;
    const Rsc& dependent =
        c->configured_dependent ? *c->configured_dependent : *c->dependent;
    DependentMerge(ws, positive_only).Add(dependent, factor, work);
    if (!AnyRunnable(ws, work)) continue;  // roll back: it would kill us
    for (size_t i = 0; i < scores.size(); ++i) {
      if (work[i] == scores[i]) continue;
      if (positive_only || !record) {  // a scratch computation: no terms
        scores[i] = work[i];
        continue;
      }
      // The dependent's influence on this node, as one term.
      Score delta = (work[i].IsInfinity() || work[i].IsMinusInfinity())
                        ? work[i]
                        : Score(work[i].value() - scores[i].value());
      ws.Term(term_owner ? *term_owner : primary, int(i), delta,
              ws.Recording() ? "preference of " + c->dependent->id +
                                   " (colocation " + c->id + ")"
                             : std::string());
      scores[i] = work[i];
    }
  }
}

int ChooseNode(WorkingSet& ws, const Rsc& r, const std::vector<Score>& scores,
               const std::vector<bool>* excluded) {
  auto usable = [&](size_t k) {
    return ws.nodes[k].Available() && scores[k].value() >= 0 &&
           !(excluded && (*excluded)[k]);
  };
  // Pacemaker's current node: the first it found the resource on (a
  // multiply active one too).
  int current = r.active_on.empty() ? -1 : r.active_on[0];
  int best = -1;
  for (size_t k = 0; k < ws.nodes.size(); ++k) {
    if (!usable(k)) continue;
    int i = int(k);
    if (best < 0) {
      best = i;
      continue;
    }
    const NodeInfo& n = ws.nodes[k];
    const NodeInfo& b = ws.nodes[size_t(best)];
    if (scores[k] != scores[size_t(best)]) {
      if (scores[k] > scores[size_t(best)]) best = i;
    } else if (n.assigned != b.assigned) {
      if (n.assigned < b.assigned) best = i;
    } else if (i == current || best == current) {
      if (i == current) best = i;
    } else if (n.name < b.name) {
      best = i;
    }
  }
  // As Pacemaker 2.1 (assign_best_node): with a positive best score a tie
  // goes to the node the resource is on now, before load; at 0 load
  // decides, for clone instances too (seed 872: a failed instance with no
  // stickiness recovers on the emptiest node). The clone's first pass,
  // which keeps instances where they are, breaks its ties itself.
  if (best >= 0 && current >= 0 && current != best && usable(size_t(current)) &&
      scores[size_t(current)] == scores[size_t(best)] &&
      scores[size_t(best)].value() > 0) {
    best = current;
  }
  return best;
}

void Decide(WorkingSet& ws, const Rsc& r, int node,
            const std::vector<Score>& scores) {
  if (!ws.graph) return;
  std::string why;
  if (node >= 0) {
    why = "score " + scores[size_t(node)].ToString() + " on " + Name(ws, node);
    int ties = 0;
    for (size_t i = 0; i < scores.size(); ++i) {
      ties += int(i) != node && ws.nodes[i].Available() &&
              scores[i] == scores[size_t(node)];
    }
    if (ties) why += " (tie broken by load, current node, then name)";
  } else {
    why = "no available node with a score >= 0";
  }
  ws.graph->decisions.push_back(
      {r.id, node >= 0 ? Name(ws, node) : "", std::move(why)});
}

void SetAssigned(WorkingSet& ws, Rsc& r, int node, Role role) {
  r.assigned = node;
  r.next_role = node >= 0 ? role : Role::kStopped;
  r.provisional = false;
  if (node >= 0 && r.IsPrimitive()) ws.nodes[size_t(node)].assigned++;
}

// Unmanaged and blocked resources stay exactly as they are.
bool Pinned(const Rsc& r) { return !r.managed || r.blocked; }

void AssignPrimitive(WorkingSet& ws, Rsc& r) {
  if (!r.provisional) return;
  if (r.assigning) return;  // a colocation loop (ApplyToDependent notes it)
  r.assigning = true;
  if (Pinned(r)) {
    int node = r.active_on.empty() ? -1 : r.active_on[0];
    SetAssigned(ws, r, node, r.current_role);
    r.assigning = false;
    return;
  }
  // As Pacemaker: each primary is assigned just before its colocation is
  // applied, so it sees the ones applied before it.
  std::vector<Score>& scores = r.allowed;
  for (Coloc* c : r.this_with) {
    Assign(ws, *c->primary);
    ApplyToDependent(ws, r, scores, *c);
  }
  ApplyDependents(ws, r, scores, false, false, true, nullptr, true);
  // target-role=Stopped bans it only now (its term is already recorded):
  // until here the others saw its preferences, as in Pacemaker.
  for (const Rsc* a = &r; a; a = a->parent) {
    if (a->target_role != Role::kStopped) continue;
    std::fill(scores.begin(), scores.end(), Score::MinusInfinity());
    break;
  }
  int node = -1;
  const std::string* multiple = r.config->meta.Get("multiple-active");
  if (r.failed && r.on_fail == "stop") {
    ws.Note(r.id + " failed with on-fail=stop: it stays stopped");
  } else if (r.active_on.size() > 1 && multiple && *multiple == "stop_only") {
    ws.Note(r.id + " is active on several nodes (multiple-active=stop_only)");
  } else {
    node = ChooseNode(ws, r, scores, nullptr);
  }
  Decide(ws, r, node, scores);
  SetAssigned(ws, r, node, Role::kStarted);
  r.assigning = false;
}

void AssignGroup(WorkingSet& ws, Rsc& g) {
  if (!g.provisional) return;
  g.assigning = true;
  for (Rsc* m : g.children) Assign(ws, *m);
  g.assigned = g.children.empty() ? -1 : g.children.front()->assigned;
  g.provisional = false;
  g.assigning = false;
}

void Assign(WorkingSet& ws, Rsc& r) {
  // As Pacemaker, a group member is never assigned before its group has
  // begun (a colocation with a group acts through one of its members).
  Rsc* g = r.parent;
  if (g && g->IsGroup() && !g->CloneAncestor() && g->provisional &&
      !g->assigning) {
    AssignGroup(ws, *g);
    return;
  }
  switch (r.variant) {
    case Variant::kPrimitive:
      AssignPrimitive(ws, r);
      break;
    case Variant::kGroup:
      AssignGroup(ws, r);
      break;
    case Variant::kClone:
      AssignClone(ws, r);
      break;
  }
}

bool WillRun(const Rsc& r, bool promoted) {
  if (r.IsPrimitive()) {
    return r.assigned >= 0 && (!promoted || r.next_role == Role::kPromoted);
  }
  // A group starts only when every member does (Pacemaker 2.1.5: a group's
  // start is unrunnable when a member will not start; seed 511, a member
  // that can run nowhere blocks what is ordered after its group); a clone
  // when one of its instances does.
  const std::vector<Rsc*>& kids = r.children;
  auto runs = [&](const Rsc* c) { return WillRun(*c, promoted); };
  if (r.IsGroup() && !promoted && !kids.empty()) {
    return std::all_of(kids.begin(), kids.end(), runs);
  }
  return std::any_of(kids.begin(), kids.end(), runs);
}

namespace {

bool Unassign(WorkingSet& ws, Rsc& p, const std::string& why) {
  if (p.assigned < 0 || Pinned(p)) return false;
  p.assigned = -1;
  p.next_role = Role::kStopped;
  ws.Note(p.id + " cannot run: " + why);
  if (ws.graph) {  // the placement decided before no longer holds
    for (auto& d : ws.graph->decisions) {
      if (d.resource == p.id && !d.node.empty()) {
        d.why += "; then stopped: " + why;
      }
    }
  }
  return true;
}

// What an unassignment takes with it: the `then` of a mandatory order
// whose `first` will not run (or be promoted), and the dependents of a hard
// colocation whose primary is not (or is) there. A worklist keeps this
// linear: a change to a primitive re-examines only the orders and
// colocations that name it or one of its ancestors.
class Blocker {
 public:
  explicit Blocker(WorkingSet& ws) : ws_(ws) {
    // As Pacemaker: without quorum, placement is left alone (what would
    // run still counts where it would go, for ties by load), then: freeze
    // makes the start of an inactive resource unrunnable (what runs may
    // move); stop stops everything; demote stops everything but the
    // instances of promotable clones (demoted), of which an inactive one
    // does not start.
    const std::string& policy = ws.no_quorum_policy;
    if (!ws.snapshot->quorate &&
        (policy == "freeze" || policy == "demote" || policy == "stop")) {
      for (Rsc& r : ws.resources) {
        if (!r.IsPrimitive()) continue;
        const Rsc* top = r.Top();
        bool stops = policy == "stop" || (policy == "demote" &&
                                          !(top->IsClone() && top->promotable));
        if (stops || r.active_on.empty()) {
          Unassign(ws, r, "no quorum (no-quorum-policy=" + policy + ")");
        }
      }
    }
    by_first_.resize(ws.resources.size());
    by_primary_.resize(ws.resources.size());
    for (size_t i = 0; i < ws.orders.size(); ++i) {
      by_first_[size_t(ws.orders[i].first->index)].push_back(i);
      work_.push_back({true, i});
    }
    for (size_t i = 0; i < ws.colocs.size(); ++i) {
      by_primary_[size_t(ws.colocs[i].primary->index)].push_back(i);
      work_.push_back({false, i});
    }
  }

  void Run() {
    while (!work_.empty()) {
      auto [is_order, i] = work_.front();
      work_.pop_front();
      if (is_order) {
        Order(ws_.orders[i]);
      } else {
        Colocation(ws_.colocs[i]);
      }
    }
  }

 private:
  // p changed: whatever depends on it, or on an ancestor, gets a new look.
  void Changed(const Rsc& p) {
    for (const Rsc* r = &p; r; r = r->parent) {
      for (size_t i : by_first_[size_t(r->index)]) work_.push_back({true, i});
      for (size_t i : by_primary_[size_t(r->index)]) {
        work_.push_back({false, i});
      }
    }
  }

  void Order(const Ord& o) {
    bool blocks = o.kind == cib::OrderKind::kMandatory &&
                  (o.first_action == cib::Action::kStart ||
                   o.first_action == cib::Action::kPromote);
    if (!blocks || WillRun(*o.first, o.first_action == cib::Action::kPromote)) {
      return;
    }
    std::string why = "order " + o.id + ": " + o.first->id + " cannot " +
                      std::string(cib::ActionName(o.first_action));
    for (Rsc* p : o.then->primitives) {
      if (o.then_action == cib::Action::kPromote) {
        // Only the promotion depends on it: stay, unpromoted. An instance
        // promoted already where it stays needs no promote, so the order
        // has nothing to block (Pacemaker leaves it promoted).
        bool stays_promoted =
            p->current_role == Role::kPromoted &&
            std::find(p->active_on.begin(), p->active_on.end(), p->assigned) !=
                p->active_on.end();
        if (p->next_role == Role::kPromoted && !Pinned(*p) && !stays_promoted) {
          p->next_role = Role::kUnpromoted;
          ws_.Note(p->id + " cannot be promoted: " + why);
          Changed(*p);
        }
        continue;
      }
      if (o.then_action != cib::Action::kStart) continue;
      // A `then` that is not running keeps its assignment: its start stays
      // in the graph, unrunnable, so the summary can say why. One that runs
      // must stop.
      if (!p->active_on.empty()) {
        if (Unassign(ws_, *p, why)) Changed(*p);
      } else if (p->assigned >= 0 && !p->start_blocked) {
        p->start_blocked = true;
        Changed(*p);
      }
    }
    if (o.then_action == cib::Action::kPromote && o.then->IsClone()) {
      BlockPromotedDependents(*o.then, why);
    }
  }

  // As Pacemaker (pcmk__block_colocation_dependents): when an order makes
  // a promotable clone's promote unrunnable, what must run with its
  // promoted role cannot start, even where an instance stays promoted (the
  // clone's promote is blocked all the same); what runs there already
  // stops, its start -- the optional half of a restart -- blocked, as in
  // Colocation() below. (Blocked starts and promote actions block their
  // dependents in orderings.cc; this is the case with no promote action to
  // block.)
  void BlockPromotedDependents(Rsc& clone, const std::string& why) {
    for (const Coloc* c : clone.with_this) {
      if (!c->Mandatory() || c->primary_role != Role::kPromoted) continue;
      for (Rsc* d : c->dependent->primitives) {
        if (d->assigned < 0 || Pinned(*d)) continue;
        if (Unassign(ws_, *d, why + " (" + clone.id + " cannot promote)")) {
          Changed(*d);
        }
      }
    }
  }

  void Colocation(const Coloc& c) {
    bool hard = c.Mandatory() || c.Banned();
    if (!hard || c.RoleOnly()) return;
    std::vector<bool> there = PrimaryNodes(ws_, *c.primary, c.primary_role);
    if (c.Mandatory()) {
      // As Pacemaker (pcmk__block_colocation_dependents): a primary whose
      // start cannot run is not there for what must run with it. A
      // dependent that runs there stops (its start, kept optional for a
      // restart, is blocked, so its stop is required; seed 663); one that
      // would start there keeps its blocked start.
      // A node is blocked when every copy of the primary placed there is
      // (another instance may run there after all).
      std::vector<bool> blocked(there.size(), false), live(there.size(), false);
      for (const Rsc* p : c.primary->primitives) {
        if (p->assigned < 0) continue;
        (p->start_blocked ? blocked : live)[size_t(p->assigned)] = true;
      }
      for (size_t i = 0; i < blocked.size(); ++i) {
        blocked[i] = blocked[i] && !live[i];
      }
      for (Rsc* d : c.dependent->primitives) {
        if (d->assigned < 0 || !there[size_t(d->assigned)] ||
            !blocked[size_t(d->assigned)] || Pinned(*d)) {
          continue;
        }
        bool runs_there = std::find(d->active_on.begin(), d->active_on.end(),
                                    d->assigned) != d->active_on.end();
        if (!runs_there) {
          if (!d->start_blocked) {
            d->start_blocked = true;
            Changed(*d);
          }
        } else if (Unassign(ws_, *d,
                            "colocation " + c.id + ": " + c.primary->id +
                                " cannot start")) {
          Changed(*d);
        }
      }
    }
    for (Rsc* d : c.dependent->primitives) {
      if (d->assigned < 0 || there[size_t(d->assigned)] == c.Mandatory()) {
        continue;
      }
      // Colocation loops assign one side before the other can see it;
      // what still breaks a hard colocation does not run.
      std::string why = "colocation " + c.id + ": " +
                        (c.Mandatory() ? "needs " : "excludes ") +
                        c.primary->id;
      if (Unassign(ws_, *d, why)) Changed(*d);
    }
  }

  WorkingSet& ws_;
  std::vector<std::vector<size_t>> by_first_;
  std::vector<std::vector<size_t>> by_primary_;
  std::deque<std::pair<bool, size_t>> work_;
};

}  // namespace

void AssignResources(WorkingSet& ws) {
  std::vector<Rsc*> order = ws.top;
  std::stable_sort(order.begin(), order.end(), [](const Rsc* a, const Rsc* b) {
    return a->priority > b->priority;
  });
  for (Rsc* r : order) Assign(ws, *r);
  Blocker(ws).Run();
}

}  // namespace paceline::policy::internal
