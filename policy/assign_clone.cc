// Clones: instances placed one by one (those active now first, keeping
// their node when they may), at most clone-node-max per node; then, for
// promotable clones, the promotion: an instance's priority is the agent's
// master-<rsc> node attribute (-1 if unset) plus role=Promoted locations
// and its colocations in the promoted role; those with a non-negative
// priority add the clone's own node score and the preferences of resources
// colocated with the promoted role (Pacemaker 2.1); the best promoted-max
// instances (promoted-node-max per node) are promoted.
#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "cib/score.h"
#include "policy/assign_internal.h"

namespace paceline::policy::internal {

namespace {

// The instance's own terms (stickiness, bans), members' included.
std::vector<Score> InstanceOwn(const Rsc& inst) {
  std::vector<Score> own = inst.own_scores;
  for (const Rsc* m : inst.children) {
    for (size_t i = 0; i < own.size(); ++i) own[i] += m->own_scores[i];
  }
  for (size_t i = 0; i < inst.promotion_placement.size(); ++i) {
    own[i] += inst.promotion_placement[i];
  }
  return own;
}

// Which of the clone's own colocations ("clone with X") its instances
// take, for their placement and their promotion priority (Pacemaker 2.1.5,
// pcmk__add_collective_constraints): all of them when the clone has fewer
// instances than there are nodes to run them; otherwise only the negative
// and the mandatory ones (where every node gets an instance, a preference
// changes nothing; seed 1: ms16:Promoted with rsc11 at 45 does not raise
// the priority of the instance beside rsc11).
int AvailableNodes(const WorkingSet& ws) {
  return int(std::count_if(ws.nodes.begin(), ws.nodes.end(),
                           [](const NodeInfo& n) { return n.Available(); }));
}

// Fewer instances than nodes to run them: the instances take all of the
// clone's colocations (and its dependents').
bool FewerInstancesThanNodes(const WorkingSet& ws, const Rsc& clone) {
  return clone.clone_max < AvailableNodes(ws);
}

bool InstancesTake(const WorkingSet& ws, const Rsc& clone, const Coloc& c) {
  return FewerInstancesThanNodes(ws, clone) || c.score.value() < 0 ||
         c.Mandatory();
}

void AssignInstance(WorkingSet& ws, Rsc& inst, int node) {
  if (inst.IsPrimitive()) {
    SetAssigned(ws, inst, node, Role::kStarted);
    return;
  }
  bool ok = node >= 0;
  for (Rsc* m : inst.children) {  // a member that cannot run stops the rest
    ok = ok && m->own_scores[size_t(node)].value() >= 0;
    SetAssigned(ws, *m, ok ? node : -1, Role::kStarted);
  }
  inst.assigned = node;
  inst.next_role = node >= 0 ? Role::kStarted : Role::kStopped;
  inst.provisional = false;
}

const std::string* PromotionAttribute(const WorkingSet& ws, const Rsc& p,
                                      const NodeInfo& n) {
  for (const std::string& name :
       {"master-" + p.id, "master-" + p.primitive_id}) {
    if (n.status) {
      if (const auto* v = n.status->attributes.Get(name)) return v;
    }
    if (n.config) {
      if (const auto* v = n.config->attributes.Get(name)) return v;
    }
  }
  return nullptr;
}

// An instance's promotion priority is the agent's score (-1 when the
// agent set none) plus role=Promoted locations and its own
// `clone:Promoted with X` colocations; only an instance whose priority is
// not negative may be promoted. Its final score (as Pacemaker's sort
// index) adds the clone's score on its node and the preferences of the
// resources colocated with the promoted role.
struct Candidate {
  Rsc* inst;
  Score score;
  bool has_agent_score = false;
  bool eligible = false;
  bool promoted_now = false;
  // For the order of promotion (see NodeInstance).
  size_t rank = 0;
  Role current = Role::kStopped;
};

void AddTerm(WorkingSet& ws, Candidate& c, Score s, const std::string& why) {
  c.score += s;
  ws.Term(*c.inst, c.inst->assigned, s, why, true);
}

// Whether node n's promotion score counts for primitive k of an instance
// of a promotable anonymous clone (Pacemaker 2.1.5's
// promotion_score_applies, without its is_allowed check): on a node where
// a copy is active, for that copy only; on a node where none is, for every
// instance once the resource's history there is known; and in both cases
// for an instance Pacemaker has seen nowhere (or whose history is there).
bool PromotionScoreApplies(const Rsc& clone, const Rsc& inst, size_t k, int n) {
  if (clone.globally_unique || k >= inst.primitives.size()) return true;
  auto has = [&](const std::vector<int>& v) {
    return std::find(v.begin(), v.end(), n) != v.end();
  };
  const Rsc& p = *inst.primitives[k];
  const Rsc* active = nullptr;  // the primitive's copy active on n
  for (const Rsc* other : clone.children) {
    if (k < other->primitives.size() && has(other->primitives[k]->active_on)) {
      active = other->primitives[k];
      break;
    }
  }
  if (active ? active == &p : has(clone.known_on)) return true;
  bool seen = !p.active_on.empty() || !p.known_on.empty();
  return !seen || has(p.known_on);
}

// What the agents' promotion scores add to where an instance of a
// promotable anonymous clone is placed (Pacemaker 2.1.5's
// pcmk__add_promotion_scores, before the instances are assigned): each
// available node's positive score where it applies to the instance and
// the instance is allowed.
std::vector<Score> PromotionPreferences(WorkingSet& ws, const Rsc& clone,
                                        Rsc& inst) {
  std::vector<Score> out(ws.nodes.size(), Score());
  if (clone.globally_unique) return out;
  const std::vector<Score> own = InstanceOwn(inst);
  for (size_t k = 0; k < inst.primitives.size(); ++k) {
    const Rsc& p = *inst.primitives[k];
    for (size_t n = 0; n < ws.nodes.size(); ++n) {
      // Only where the instance is allowed (Pacemaker's is_allowed).
      if (!ws.nodes[n].Available() || (clone.scores[n] + own[n]).value() < 0 ||
          !PromotionScoreApplies(clone, inst, k, int(n))) {
        continue;
      }
      const std::string* v = PromotionAttribute(ws, p, ws.nodes[n]);
      if (!v) continue;
      auto s = cib::ParseScore(*v);
      if (s.ok() && s->value() > 0) {
        out[n] += *s;
        ws.Term(inst, int(n), *s,
                "promotion score master-" + p.primitive_id + "=" + *v +
                    " (placement)");
      }
    }
  }
  return out;
}

// The agent's promotion score of the instance's node, where it applies
// to `as`, the instance Pacemaker placed on that node (see
// PromotionScoreApplies); else the score counts as unset.
void ScoreFromAgent(WorkingSet& ws, const Rsc& clone, Candidate& c,
                    const Rsc& as) {
  const std::vector<Rsc*>& prims = c.inst->primitives;
  int node = c.inst->assigned;
  const NodeInfo& n = ws.nodes[size_t(node)];
  for (size_t k = 0; k < prims.size(); ++k) {
    Rsc* p = prims[k];
    const std::string* v = PromotionAttribute(ws, *p, n);
    if (!v) continue;
    if (!PromotionScoreApplies(clone, as, k, node)) {
      ws.Term(*c.inst, node, Score(),
              "promotion score master-" + p->primitive_id + "=" + *v +
                  " not counted (another copy is active there, or the "
                  "node was never probed)",
              true);
      continue;
    }
    auto s = cib::ParseScore(*v);
    if (!s.ok()) {
      ws.Note("ignoring promotion score '" + *v + "' of " + p->id + " on " +
              n.name);
      continue;
    }
    c.has_agent_score = true;
    AddTerm(ws, c, *s, "promotion score master-" + p->primitive_id + "=" + *v);
  }
  if (!c.has_agent_score) {
    AddTerm(ws, c, Score(-1), "no promotion score set (counts as -1)");
  }
}

void PriorityFromColocations(WorkingSet& ws, Rsc& clone, Candidate& c);

void PriorityFromConstraints(WorkingSet& ws, Rsc& clone, Candidate& c) {
  int node = c.inst->assigned;
  for (const auto& k : ws.snapshot->config.constraints) {
    const auto* l = std::get_if<cib::Location>(&k);
    if (!l || l->role != Role::kPromoted ||
        l->node != ws.nodes[size_t(node)].name)
      continue;
    if (l->expires && *l->expires <= ws.now) continue;
    Rsc* r = ws.Resolve(l->rsc);
    if (r && r != &clone && r->CloneAncestor() != &clone) continue;
    if (!r) continue;
    AddTerm(ws, c, l->score, "location " + l->id + " (role Promoted)");
  }
  PriorityFromColocations(ws, clone, c);
}

// The final score of an instance whose priority is not negative: plus the
// clone's score on its node (locations, preferences of its dependents),
// and the preferences of resources colocated with the promoted role.
// What merging r's scores at a colocation's strength adds on `node`.
// r's scores and its dependents', merged at the colocation's strength for
// the promotion of `clone`, whose own merge is under way: a walk that comes
// back to the clone stops there (Pacemaker: "Breaking dependency loop";
// seed 749).
Score MergedAt(const WorkingSet& ws, const Rsc& clone, const Rsc& r,
               Score strength, int node) {
  std::vector<Score> work(ws.nodes.size(), Score());
  AddDependentScores(ws, r, double(strength.value()) / cib::kInfinity, work,
                     &clone);
  return work[size_t(node)];
}

void FinalScore(WorkingSet& ws, Rsc& clone, Candidate& c, Score clone_score) {
  int node = c.inst->assigned;
  if (clone_score.value() != 0) {
    AddTerm(ws, c, clone_score,
            "the clone's score on " + ws.nodes[size_t(node)].name);
  }
  // clone:Promoted with X: X's scores (as its assignment and promotion
  // left them) merged in at the colocation's strength (Pacemaker's
  // apply_coloc_to_dependent; ms13's promoted node draws ms9's promotion).
  for (const Coloc* k : clone.this_with) {
    if (k->dependent_role != Role::kPromoted) continue;
    Score delta = MergedAt(ws, clone, *k->primary, k->score, node);
    if (delta.value() == 0) continue;
    AddTerm(ws, c, delta,
            "colocation " + k->id + ": the score of " + k->primary->id);
  }
  for (const Coloc* k : clone.with_this) {  // X with clone:Promoted
    if (k->primary_role != Role::kPromoted) continue;
    Score delta = MergedAt(ws, clone, *k->dependent, k->score, node);
    if (delta.value() == 0) continue;
    std::string why = "colocation " + k->id + ": " + k->dependent->id +
                      " follows the promoted instance";
    // As Pacemaker: a dependent's aversion may lower an instance's score
    // but not below 1 when it was positive (stopping PGServer must not
    // demote drbd; a PGServer banned from node 1 moves the promotion to
    // node 2), and does not touch a score that was not positive.
    if ((c.score + delta).value() < 0) {
      if (c.score.value() <= 0) continue;
      ws.Term(*c.inst, node, delta, why + " (score clamped to 1)", true);
      c.score = Score(1);
      continue;
    }
    AddTerm(ws, c, delta, why);
  }
}

void PriorityFromColocations(WorkingSet& ws, Rsc& clone, Candidate& c) {
  int node = c.inst->assigned;
  // clone:Promoted with X and clone:Unpromoted with X, as Pacemaker 2.1.5
  // applies them to the role (apply_coloc_to_priority): the score where X
  // runs (so a mandatory one promotes there even without an agent score),
  // turned around for the Unpromoted role (an unpromoted instance kept away
  // from X means the promoted one goes beside it); a mandatory one for the
  // Promoted role also forbids the promotion where X does not run.
  for (const Coloc* k : clone.this_with) {
    if (!k->RoleOnly() || !InstancesTake(ws, clone, *k)) continue;
    bool promoted = k->dependent_role == Role::kPromoted;
    // A primary that is not a clone and runs nowhere changes nothing.
    if (!k->primary->IsClone() && k->primary->assigned < 0) continue;
    // A mandatory colocation with a clone, unless the promoted role's with
    // a promotable clone's role, only restricted where the instances could
    // go.
    if (k->primary->IsClone() && k->Mandatory() &&
        (!promoted || !k->primary->promotable ||
         k->primary_role == Role::kUnknown)) {
      continue;
    }
    std::vector<bool> there = PrimaryNodes(ws, *k->primary, k->primary_role);
    std::string what = "colocation " + k->id;
    if (!there[size_t(node)]) {
      if (k->Mandatory() && promoted) {
        AddTerm(ws, c, Score::MinusInfinity(),
                what + ": promoted only with " + k->primary->id);
      }
      continue;
    }
    if (promoted) {
      AddTerm(ws, c, k->score,
              k->Mandatory() ? what + ": promoted with " + k->primary->id
              : k->Banned()  ? what + ": never promoted with " + k->primary->id
                             : what);
    } else {
      AddTerm(ws, c, Score(-k->score.value()),
              what + " (the Unpromoted role's, turned around)");
    }
  }
}

void SetRole(Rsc& inst, Role role) {
  inst.next_role = role;
  for (Rsc* m : inst.children) {
    if (m->assigned >= 0) m->next_role = role;
  }
}

// Who Pacemaker's instance on a node is, for the promotion (its score and
// order): the first instance, in the assignment's order, that was placed
// there (before KeepInstancesInPlace renumbered them), and its role now.
struct NodeInstance {
  size_t rank = SIZE_MAX;
  Role current = Role::kStopped;
  const Rsc* inst = nullptr;
};

// The candidates for promotion, scored: priorities first, then (as
// Pacemaker sums the sort indexes of the instances on a node into the
// clone's node score) the final scores of those that may be promoted.
std::vector<Candidate> ScoreCandidates(
    WorkingSet& ws, Rsc& clone, const std::vector<Score>& scores,
    const std::vector<NodeInstance>& by_node) {
  std::vector<Candidate> candidates;
  for (Rsc* inst : clone.children) {
    if (inst->assigned < 0) continue;
    Candidate c{inst};
    const std::vector<Rsc*>& prims = inst->primitives;
    c.promoted_now =
        !prims.empty() && prims[0]->current_role == Role::kPromoted;
    bool pinned = std::any_of(prims.begin(), prims.end(),
                              [](const Rsc* p) { return Pinned(*p); });
    if (pinned) {
      SetRole(*inst, c.promoted_now ? Role::kPromoted : Role::kUnpromoted);
      continue;
    }
    const Rsc* as = by_node[size_t(inst->assigned)].inst;
    ScoreFromAgent(ws, clone, c, as ? *as : *inst);
    PriorityFromConstraints(ws, clone, c);
    c.eligible = c.score.value() >= 0;
    candidates.push_back(c);
  }
  std::vector<Score> on_node(ws.nodes.size(), Score());
  for (const Candidate& c : candidates) {
    if (c.eligible) on_node[size_t(c.inst->assigned)] += c.score;
  }
  for (Candidate& c : candidates) {
    if (!c.eligible) continue;
    size_t node = size_t(c.inst->assigned);
    Score others = on_node[node] + Score(-c.score.value());
    if (c.score.IsInfinity() || on_node[node].IsInfinity()) others = Score();
    if (others.value() != 0) {
      AddTerm(ws, c, others, "other instances' priorities on the same node");
    }
    FinalScore(ws, clone, c, scores[node]);
  }
  for (Candidate& c : candidates) {
    Rsc* inst = c.inst;
    if (clone.target_role == Role::kUnpromoted ||
        inst->target_role == Role::kUnpromoted) {
      c.eligible = false;
    }
    if (!ws.snapshot->quorate &&
        ((ws.no_quorum_policy == "freeze" && !c.promoted_now) ||
         ws.no_quorum_policy == "demote")) {
      c.eligible = false;  // nothing (new) is promoted without quorum
      ws.Note(inst->id + " cannot be promoted without quorum");
    }
  }
  return candidates;
}

// Pacemaker's order of promotion (cmp_promotable_instance): the higher
// score, then the higher current role, then the instance order the
// assignment used (pcmk__cmp_instance), all of the instance Pacemaker
// placed on the node. Returns the instances in that order.
std::vector<Rsc*> Promote(WorkingSet& ws, Rsc& clone,
                          const std::vector<Score>& scores,
                          const std::vector<NodeInstance>& by_node) {
  std::vector<Candidate> candidates =
      ScoreCandidates(ws, clone, scores, by_node);
  // The clone's node scores become the promotion's final ones where an
  // instance may be promoted (Pacemaker sets the clone's node weights so),
  // which is what a promotable clone colocated with its promoted role
  // merges in.
  for (const Candidate& c : candidates) {
    if (c.score.value() >= 0) clone.allowed[size_t(c.inst->assigned)] = c.score;
  }
  for (Candidate& c : candidates) {
    const NodeInstance& first = by_node[size_t(c.inst->assigned)];
    c.rank = first.rank;
    c.current = first.current;
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.eligible != b.eligible) return a.eligible;
                     if (a.score != b.score) return a.score > b.score;
                     if (a.current != b.current) return a.current > b.current;
                     return a.rank < b.rank;
                   });
  int promoted = 0;
  std::vector<int> per_node(ws.nodes.size(), 0);
  for (Rsc* inst : clone.children) {
    if (inst->assigned >= 0 && inst->next_role == Role::kPromoted) {
      ++promoted;  // pinned promoted instances count
      per_node[size_t(inst->assigned)]++;
    }
  }
  for (Candidate& c : candidates) {
    int node = c.inst->assigned;
    bool yes = c.eligible && c.score.value() >= 0 &&
               promoted < clone.promoted_max &&
               per_node[size_t(node)] < clone.promoted_node_max;
    SetRole(*c.inst, yes ? Role::kPromoted : Role::kUnpromoted);
    if (yes) {
      ++promoted;
      per_node[size_t(node)]++;
    }
    if (ws.graph) {
      ws.graph->decisions.push_back(
          {c.inst->id, ws.nodes[size_t(node)].name,
           std::string(yes ? "promoted" : "not promoted") +
               ": promotion score " + c.score.ToString() +
               (c.eligible ? "" : " (may not be promoted)")});
    }
  }
  std::vector<Rsc*> out;
  for (const Candidate& c : candidates) out.push_back(c.inst);
  return out;
}

// An instance with an unmanaged or blocked primitive stays exactly as it
// is, members included.
bool InstancePinned(Rsc* inst) {
  const std::vector<Rsc*>& prims = inst->primitives;
  return std::any_of(prims.begin(), prims.end(),
                     [](Rsc* p) { return Pinned(*p); });
}

// A colocation naming the role of the clone's instances ("clone:Promoted
// with X"), applied to an instance being placed, its role not chosen yet,
// as Pacemaker 2.1.5 does: with a promotable clone's role in full
// (pcmk__update_dependent_with_promotable does not look at the dependent's
// role), but for a mandatory Promoted-with-Promoted, which waits for the
// promotion; with another clone, a mandatory one keeps the instances to
// its nodes; else (pcmk__colocation_affects) a positive one waits for the
// promotion and a negative one acts as if it named no role (seeds 319, 363,
// 384, 566). It is reverted when it leaves no node if it names the
// Promoted role or is finite and negative.
void ApplyRoleColocation(WorkingSet& ws, Rsc& clone, std::vector<Score>& mine,
                         const Coloc& c) {
  bool promoted = c.dependent_role == Role::kPromoted;
  std::vector<Score> before;
  bool revert = promoted || (c.score.value() < 0 && !c.Banned());
  if (revert) before = mine;
  if (WithPromotableRole(c)) {
    if (c.Mandatory() && promoted && c.primary_role == Role::kPromoted) return;
    ApplyWithPromotableRole(ws, clone, mine, c, false);
  } else if (c.primary->IsClone() && c.Mandatory()) {
    std::vector<bool> there = PrimaryNodes(ws, *c.primary, Role::kUnknown);
    for (size_t i = 0; i < mine.size(); ++i) {
      if (!there[i]) mine[i] = Score::MinusInfinity();
    }
  } else if (c.score.value() >= 0) {
    return;
  } else if (c.Banned()) {
    std::vector<bool> there = PrimaryNodes(ws, *c.primary, c.primary_role);
    for (size_t i = 0; i < mine.size(); ++i) {
      if (there[i]) mine[i] = Score::MinusInfinity();
    }
  } else {
    ApplyFinite(ws, clone, mine, c, "", false);
  }
  if (revert && !AnyRunnable(ws, mine)) mine = std::move(before);
}

// The pinned primitives stay as they are; the managed members of the same
// instance stay with them where they may run, else stop.
void KeepPinned(WorkingSet& ws, Rsc& inst, const std::vector<Score>& scores) {
  const std::vector<Rsc*>& prims = inst.primitives;
  int node = -1;
  for (Rsc* p : prims) {
    if (Pinned(*p) && !p->active_on.empty()) node = p->active_on[0];
  }
  for (Rsc* p : prims) {
    if (Pinned(*p)) {
      SetAssigned(ws, *p, p->active_on.empty() ? -1 : p->active_on[0],
                  p->current_role);
      continue;
    }
    bool ok = node >= 0 && ws.nodes[size_t(node)].Available() &&
              (scores[size_t(node)] + p->own_scores[size_t(node)]).value() >= 0;
    SetAssigned(ws, *p, ok ? node : -1, Role::kStarted);
  }
  inst.assigned = node;
  inst.next_role = node >= 0 ? Role::kStarted : Role::kStopped;
  inst.provisional = false;
  if (node >= 0) {
    inst.placed_score = scores[size_t(node)] + InstanceOwn(inst)[size_t(node)];
  }
}

int CurrentNode(Rsc* inst) {
  const std::vector<Rsc*>& prims = inst->primitives;
  for (Rsc* p : prims) {
    if (!p->active_on.empty()) return p->active_on[0];
  }
  return -1;
}

void ReleaseLoad(WorkingSet& ws, Rsc& inst) {
  const std::vector<Rsc*>& prims = inst.primitives;
  for (Rsc* p : prims) {
    if (p->assigned >= 0) ws.nodes[size_t(p->assigned)].assigned--;
  }
}

// Anonymous instances are interchangeable: once the clone's set of nodes
// is chosen, map the instances onto it so that every instance whose node
// is in the set stays there. Otherwise instances would swap nodes and
// restart for nothing (and everything ordered after the clone with them).
void KeepInstancesInPlace(WorkingSet& ws, Rsc& clone) {
  std::vector<int> wanted(ws.nodes.size(), 0);
  std::vector<Rsc*> movable;
  for (Rsc* inst : clone.children) {
    if (InstancePinned(inst) || inst->orphan) continue;
    if (inst->assigned >= 0) wanted[size_t(inst->assigned)]++;
    movable.push_back(inst);
  }
  // The score a node was won with stays with the node.
  std::vector<Score> won(ws.nodes.size());
  for (const Rsc* inst : movable) {
    if (inst->assigned >= 0) won[size_t(inst->assigned)] = inst->placed_score;
  }
  std::vector<int> target(movable.size(), -1);
  for (size_t i = 0; i < movable.size(); ++i) {  // stay where possible
    int cur = CurrentNode(movable[i]);
    if (cur >= 0 && wanted[size_t(cur)] > 0) {
      target[i] = cur;
      wanted[size_t(cur)]--;
    }
  }
  size_t next = 0;
  for (size_t i = 0; i < movable.size(); ++i) {  // the rest fill the gaps
    if (target[i] >= 0) continue;
    while (next < wanted.size() && wanted[next] == 0) ++next;
    if (next < wanted.size()) {
      target[i] = int(next);
      wanted[next]--;
    }
  }
  for (size_t i = 0; i < movable.size(); ++i) {
    if (movable[i]->assigned == target[i]) continue;
    ReleaseLoad(ws, *movable[i]);
    AssignInstance(ws, *movable[i], target[i]);
    if (target[i] >= 0) movable[i]->placed_score = won[size_t(target[i])];
    if (!ws.graph) continue;
    for (auto& d : ws.graph->decisions) {  // the decision now names its node
      if (d.resource != movable[i]->id) continue;
      d.node = target[i] >= 0 ? ws.nodes[size_t(target[i])].name : "";
      d.why = target[i] == CurrentNode(movable[i])
                  ? "stays where it runs (the clone's nodes are chosen first)"
                  : "takes one of the clone's chosen nodes";
    }
  }
}

// Pacemaker 2.1.5's order of assigning instances (pcmk__cmp_instance):
// the less multiply active first, then those not active on a node they may
// no longer use, the active before the inactive, those on a node that can
// run resources, the healthy before the failed, the higher colocation
// score on the current node, then the instance number.
struct InstanceOrder {
  WorkingSet& ws;
  std::vector<int> active;    // nodes active on
  std::vector<int> current;   // current node or -1
  std::vector<bool> allowed;  // inactive, or allowed where active
  std::vector<bool> failed;
  std::vector<Score> coloc;  // colocation score on the current node
  // The priority meta attribute, raised to the best promotion score that
  // counts for the instance's placement (pcmk__add_promotion_scores).
  std::vector<Score> priority;

  bool Before(size_t a, size_t b) const {
    if (active[a] > 0 && active[b] > 0 && active[a] != active[b]) {
      return active[a] < active[b];
    }
    if (allowed[a] != allowed[b]) return allowed[a];
    if (priority[a] != priority[b]) return priority[a] > priority[b];
    int na = allowed[a] ? current[a] : -1;
    int nb = allowed[b] ? current[b] : -1;
    if (na < 0 || nb < 0) return na >= 0 && nb < 0;
    bool ca = ws.nodes[size_t(na)].Available();
    bool cb = ws.nodes[size_t(nb)].Available();
    if (ca != cb) return ca;
    if (failed[a] != failed[b]) return !failed[a];
    if (coloc[a] != coloc[b]) return coloc[a] > coloc[b];
    return false;  // stable: instance number
  }
};

std::vector<Rsc*> SortInstances(WorkingSet& ws, Rsc& clone,
                                const std::vector<Score>& base) {
  const std::vector<Rsc*>& kids = clone.children;
  InstanceOrder o{ws, {}, {}, {}, {}, {}, {}};
  for (Rsc* inst : kids) {
    const std::vector<Rsc*>& prims = inst->primitives;
    std::vector<bool> on(ws.nodes.size(), false);
    bool failed = false;
    for (const Rsc* p : prims) {
      for (int n : p->active_on) on[size_t(n)] = true;
      failed = failed || p->failed;
    }
    int count = int(std::count(on.begin(), on.end(), true));
    int cur = CurrentNode(inst);
    std::vector<Score> own = InstanceOwn(*inst);
    // Allowed on its current node: Pacemaker keeps a score there when the
    // node cannot run resources (standby...) and checks that apart, so
    // such a node counts by the clone's and the instance's own terms.
    bool ok = true;
    if (cur >= 0) {
      Score there = ws.nodes[size_t(cur)].Available()
                        ? base[size_t(cur)] + own[size_t(cur)]
                        : clone.own_scores[size_t(cur)] + own[size_t(cur)];
      ok = there.value() >= 0;
    }
    Score coloc;
    if (cur >= 0) {  // the clone's colocations, on the current node only
      std::vector<Score> one(ws.nodes.size(), Score());
      for (const Coloc* c : clone.this_with) {
        if (c->primary->assigned < 0 && !c->primary->IsClone()) continue;
        std::vector<bool> there =
            PrimaryNodes(ws, *c->primary, c->primary_role);
        if (there[size_t(cur)]) one[size_t(cur)] += c->score;
      }
      ApplyDependents(ws, clone, one, clone.promotable, true, true, nullptr,
                      false);
      coloc = one[size_t(cur)];
    }
    o.active.push_back(count);
    o.current.push_back(cur);
    o.allowed.push_back(ok);
    o.failed.push_back(failed);
    o.coloc.push_back(coloc);
    Score priority(inst->priority);
    for (Score s : inst->promotion_placement) priority = std::max(priority, s);
    o.priority.push_back(priority);
  }
  std::vector<size_t> idx(kids.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(),
                   [&](size_t a, size_t b) { return o.Before(a, b); });
  std::vector<Rsc*> out;
  for (size_t i : idx) out.push_back(kids[i]);
  return out;
}

}  // namespace

void AssignClone(WorkingSet& ws, Rsc& clone) {
  if (!clone.provisional || clone.assigning) return;
  clone.assigning = true;
  if (clone.promotable) {
    for (Rsc* inst : clone.children) {
      inst->promotion_placement = PromotionPreferences(ws, clone, *inst);
    }
  }
  for (Coloc* c : clone.this_with) Assign(ws, *c->primary);
  // As Pacemaker 2.1.5: the clone's own score on a node (a base of the
  // promotion score, and what may forbid a node to every instance) has its
  // locations and its dependents' preferences, but these never turn it
  // negative.
  std::vector<Score> clone_scores = clone.scores;
  ApplyDependents(ws, clone, clone_scores, false, true, true, nullptr, false);
  clone.allowed = clone_scores;
  // Instances are assigned one by one (distribute_children), with the
  // clone's colocations they take (InstancesTake); of its dependents', all
  // when the clone has fewer instances than nodes, else the negative ones.
  int available = AvailableNodes(ws);
  bool all = FewerInstancesThanNodes(ws, clone);
  std::vector<Score> base = clone.scores;
  for (Coloc* c : clone.this_with) {
    if (InstancesTake(ws, clone, *c)) ApplyToDependent(ws, clone, base, *c);
  }
  std::vector<int> per_node(ws.nodes.size(), 0);
  // Terms are recorded when the instance is placed, not for a pass that
  // only tries its current node.
  // Pacemaker appends the clone's colocations to an instance each time it
  // tries to place it, and never removes them: an instance whose
  // pre-assignment to its current node failed has them twice when it is
  // placed for real, so finite ones and its dependents' preferences count
  // twice (seeds 77, 290).
  std::unordered_map<const Rsc*, int> tries;
  auto instance_scores = [&](Rsc& inst, bool record) {
    int times = 1 + tries[&inst];
    std::vector<Score> mine = clone.scores;
    std::vector<Score> own = InstanceOwn(inst);
    for (size_t i = 0; i < mine.size(); ++i) {
      mine[i] += own[i];
      if (!ws.nodes[i].Available() || inst.orphan ||
          per_node[i] >= clone.clone_node_max) {
        mine[i] = Score::MinusInfinity();
      } else if (clone_scores[i].value() < 0) {
        mine[i] = clone_scores[i];
      }
    }
    // The clone's colocations (as `base` has them, for the terms), applied
    // to this instance once the nodes it may not use are closed: a finite
    // one that would leave it nowhere is rolled back (Pacemaker appends
    // them to each instance as it places it).
    for (int t = 0; t < times; ++t) {
      for (Coloc* c : clone.this_with) {
        if (!InstancesTake(ws, clone, *c)) continue;
        if (c->primary->provisional) continue;
        if (c->RoleOnly()) {
          ApplyRoleColocation(ws, clone, mine, *c);
        } else if (c->Mandatory() && WithPromotableRole(*c)) {
          ApplyWithPromotableRole(ws, clone, mine, *c, false);
        } else if (c->Mandatory() || c->Banned()) {
          std::vector<bool> there =
              PrimaryNodes(ws, *c->primary, c->primary_role);
          for (size_t i = 0; i < mine.size(); ++i) {
            if (there[i] != c->Mandatory()) mine[i] = Score::MinusInfinity();
          }
        } else {
          ApplyFinite(ws, clone, mine, *c, "", false);
        }
      }
    }
    for (int t = 0; t < times; ++t) {
      ApplyDependents(ws, clone, mine, false, false, all, &inst, record);
    }
    return mine;
  };
  int allocated = 0;
  auto place = [&](Rsc& inst, int node, const std::vector<Score>& mine) {
    Decide(ws, inst, node, mine);
    AssignInstance(ws, inst, node);
    if (node >= 0) {
      inst.placed_score = mine[size_t(node)];
      per_node[size_t(node)]++;
      ++allocated;
    }
  };
  std::vector<Rsc*> order = SortInstances(ws, clone, base);
  for (Rsc* inst : order) {  // pinned instances stay exactly as they are
    if (!InstancePinned(inst)) continue;
    KeepPinned(ws, *inst, base);
    if (inst->assigned >= 0) {
      per_node[size_t(inst->assigned)]++;
      ++allocated;
    }
  }
  // First, as many active, healthy instances as may stay, each on its
  // current node (at most clone-max / available nodes per node here).
  int loop_max = std::max(1, available ? clone.clone_max / available : 1);
  for (Rsc* inst : order) {
    if (allocated >= clone.clone_max) break;
    int cur = CurrentNode(inst);
    if (!inst->provisional || cur < 0 || !ws.nodes[size_t(cur)].Available() ||
        per_node[size_t(cur)] >= loop_max) {
      continue;
    }
    const std::vector<Rsc*>& prims = inst->primitives;
    if (std::any_of(prims.begin(), prims.end(),
                    [](const Rsc* p) { return p->failed; })) {
      continue;
    }
    std::vector<Score> mine = instance_scores(*inst, false);
    Rsc& lead = prims.empty() ? *inst : *prims[0];
    int node = ChooseNode(ws, lead, mine, nullptr);
    if (node >= 0 && node != cur && mine[size_t(cur)] == mine[size_t(node)] &&
        mine[size_t(cur)].value() >= 0) {
      node = cur;  // the preferred node wins a tie
    }
    if (node == cur) {
      place(*inst, node, instance_scores(*inst, true));
    } else if ((clone.scores[size_t(cur)] + InstanceOwn(*inst)[size_t(cur)])
                   .value() >= 0) {
      tries[inst]++;  // a failed try (Pacemaker tries only where allowed)
    }
  }
  // Then the rest, in the same order.
  for (Rsc* inst : order) {
    if (!inst->provisional) continue;
    std::vector<Score> mine = instance_scores(*inst, true);
    int node = -1;
    if (allocated < clone.clone_max) {
      const std::vector<Rsc*>& prims = inst->primitives;
      Rsc& lead = prims.empty() ? *inst : *prims[0];
      node = ChooseNode(ws, lead, mine, nullptr);
    }
    place(*inst, node, mine);
  }
  std::vector<NodeInstance> by_node(ws.nodes.size());
  for (size_t i = 0; i < order.size(); ++i) {
    Rsc* inst = order[i];
    if (inst->assigned < 0 || by_node[size_t(inst->assigned)].rank <= i) {
      continue;
    }
    const std::vector<Rsc*>& prims = inst->primitives;
    by_node[size_t(inst->assigned)] = {
        i, prims.empty() ? Role::kStopped : prims[0]->current_role, inst};
  }
  std::vector<Rsc::Unit> placed;  // before the instances are renumbered
  if (!clone.promotable) {
    for (Rsc* inst : order) placed.push_back({inst->assigned, Role::kStarted});
  }
  // Without quorum under freeze or demote, whether a start may run depends
  // on whether the instance placed there is active (Blocker), so the
  // instances keep the numbers the assignment gave them.
  bool frozen = !ws.snapshot->quorate && (ws.no_quorum_policy == "freeze" ||
                                          ws.no_quorum_policy == "demote");
  if (!clone.globally_unique && !frozen) KeepInstancesInPlace(ws, clone);
  clone.units.clear();
  if (clone.promotable) {
    std::vector<Rsc*> promoted = Promote(ws, clone, clone_scores, by_node);
    for (Rsc* inst : promoted) {
      clone.units.push_back({inst->assigned, inst->next_role});
    }
    for (Rsc* inst : order) {  // pinned and unassigned instances after them
      if (std::find(promoted.begin(), promoted.end(), inst) == promoted.end()) {
        clone.units.push_back({inst->assigned, inst->next_role});
      }
    }
  } else {
    clone.units = std::move(placed);
  }
  clone.provisional = false;
  clone.assigning = false;
}

}  // namespace paceline::policy::internal
