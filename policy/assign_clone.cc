// Clones: instances placed one by one (those active now first, keeping
// their node when they may), at most clone-node-max per node; then, for
// promotable clones, the promotion: an instance's priority is the agent's
// master-<rsc> node attribute (-1 if unset) plus role=Promoted locations
// and its colocations in the promoted role; those with a non-negative
// priority add the clone's own node score and the preferences of resources
// colocated with the promoted role (Pacemaker 2.1); the best promoted-max
// instances (promoted-node-max per node) are promoted.
#include <algorithm>

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
  return own;
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
};

void AddTerm(WorkingSet& ws, Candidate& c, Score s, const std::string& why) {
  c.score += s;
  ws.Term(*c.inst, c.inst->assigned, s, why, true);
}

void ScoreFromAgent(WorkingSet& ws, Candidate& c) {
  const std::vector<Rsc*>& prims = c.inst->primitives;
  const NodeInfo& n = ws.nodes[size_t(c.inst->assigned)];
  for (Rsc* p : prims) {
    const std::string* v = PromotionAttribute(ws, *p, n);
    if (!v) continue;
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
void FinalScore(WorkingSet& ws, Rsc& clone, Candidate& c, Score clone_score) {
  int node = c.inst->assigned;
  if (clone_score.value() != 0) {
    AddTerm(ws, c, clone_score,
            "the clone's score on " + ws.nodes[size_t(node)].name);
  }
  for (const Coloc* k : clone.with_this) {  // X with clone:Promoted
    if (k->primary_role != Role::kPromoted) continue;
    std::vector<Score> work(ws.nodes.size(), Score());
    AddDependentScores(ws, *k->dependent,
                       double(k->score.value()) / cib::kInfinity, work);
    Score delta = work[size_t(node)];
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
  for (const Coloc* k : clone.this_with) {  // clone:Promoted with X
    if (k->dependent_role != Role::kPromoted) continue;
    std::vector<bool> there = PrimaryNodes(ws, *k->primary, k->primary_role);
    if (k->Mandatory() && !there[size_t(node)]) {
      AddTerm(ws, c, Score::MinusInfinity(),
              "colocation " + k->id + ": promoted only with " + k->primary->id);
    } else if (k->Banned() && there[size_t(node)]) {
      AddTerm(
          ws, c, Score::MinusInfinity(),
          "colocation " + k->id + ": never promoted with " + k->primary->id);
    } else if (!k->Mandatory() && !k->Banned() && there[size_t(node)]) {
      AddTerm(ws, c, k->score, "colocation " + k->id);
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
std::vector<Candidate> ScoreCandidates(WorkingSet& ws, Rsc& clone,
                                       const std::vector<Score>& scores) {
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
    ScoreFromAgent(ws, c);
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

void Promote(WorkingSet& ws, Rsc& clone, const std::vector<Score>& scores) {
  std::vector<Candidate> candidates = ScoreCandidates(ws, clone, scores);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.eligible != b.eligible) return a.eligible;
                     if (a.score != b.score) return a.score > b.score;
                     return a.promoted_now && !b.promoted_now;
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
}

// An instance with an unmanaged or blocked primitive stays exactly as it
// is, members included.
bool InstancePinned(Rsc* inst) {
  const std::vector<Rsc*>& prims = inst->primitives;
  return std::any_of(prims.begin(), prims.end(),
                     [](Rsc* p) { return Pinned(*p); });
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

}  // namespace

void AssignClone(WorkingSet& ws, Rsc& clone) {
  if (!clone.provisional || clone.assigning) return;
  clone.assigning = true;
  for (Coloc* c : clone.this_with) Assign(ws, *c->primary);
  // As Pacemaker: the clone's own score on a node (a base of the promotion
  // score) has its locations and its dependents' preferences, but these
  // never turn it negative; the instances' scores take the dependents'
  // preferences in full, and the clone's colocations with other resources.
  std::vector<Score> clone_scores = clone.scores;
  ApplyDependents(ws, clone, clone_scores, clone.promotable, true);
  clone.allowed = clone_scores;
  std::vector<Score> scores = clone.scores;
  for (Coloc* c : clone.this_with) ApplyToDependent(ws, clone, scores, *c);
  ApplyDependents(ws, clone, scores, clone.promotable, false);
  // Instances that can stay where they are go first, then the other active
  // ones, then the rest: a displaced instance must not take the node of one
  // that could have stayed (that would restart a healthy instance).
  auto rank = [&](Rsc* inst) {
    const std::vector<Rsc*>& prims = inst->primitives;
    int node = -1;
    for (Rsc* p : prims) {
      if (!p->active_on.empty()) node = p->active_on[0];
    }
    if (node < 0) return 2;
    Score here = scores[size_t(node)] + InstanceOwn(*inst)[size_t(node)];
    return ws.nodes[size_t(node)].Available() && here.value() >= 0 ? 0 : 1;
  };
  std::vector<Rsc*> order;
  for (int pass = 0; pass < 3; ++pass) {
    for (Rsc* inst : clone.children) {
      if (rank(inst) == pass) order.push_back(inst);
    }
  }
  std::vector<bool> full(ws.nodes.size(), false);
  std::vector<int> per_node(ws.nodes.size(), 0);
  for (Rsc* inst : order) {
    const std::vector<Rsc*>& prims = inst->primitives;
    Rsc& lead = prims.empty() ? *inst : *prims[0];
    int node = -1;
    if (InstancePinned(inst)) {
      KeepPinned(ws, *inst, scores);
      node = inst->assigned;
    } else {
      std::vector<Score> own = InstanceOwn(*inst);
      std::vector<Score> mine = scores;
      for (size_t i = 0; i < mine.size(); ++i) mine[i] += own[i];
      node = ChooseNode(ws, lead, mine, &full);
      Decide(ws, *inst, node, mine);
      AssignInstance(ws, *inst, node);
    }
    if (node >= 0 && ++per_node[size_t(node)] >= clone.clone_node_max) {
      full[size_t(node)] = true;
    }
  }
  if (!clone.globally_unique) KeepInstancesInPlace(ws, clone);
  if (clone.promotable) Promote(ws, clone, clone_scores);
  clone.provisional = false;
  clone.assigning = false;
}

}  // namespace paceline::policy::internal
