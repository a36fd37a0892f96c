// Promotable clones, once their instances are placed: each placed
// instance's priority is the agent's master-<rsc> node attribute (-1 if
// unset) plus role=Promoted locations and its colocations in the promoted
// role; those with a non-negative priority add the clone's own node score
// and the preferences of resources colocated with the promoted role
// (Pacemaker 2.1); the best promoted-max instances (promoted-node-max per
// node) are promoted. Also what the agents' scores add to where the
// instances are placed (PromotionPreferences).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "cib/score.h"
#include "policy/assign_internal.h"

namespace paceline::policy::internal {

namespace {

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

}  // namespace

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

}  // namespace paceline::policy::internal
