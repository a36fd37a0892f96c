// Clones: instances placed one by one (those active now first, keeping
// their node when they may), at most clone-node-max per node; then, for
// promotable clones, the promotion (promote.cc).
#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "cib/score.h"
#include "policy/assign_internal.h"

namespace paceline::policy::internal {

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

int AvailableNodes(const WorkingSet& ws) {
  return int(std::count_if(ws.nodes.begin(), ws.nodes.end(),
                           [](const NodeInfo& n) { return n.Available(); }));
}

bool FewerInstancesThanNodes(const WorkingSet& ws, const Rsc& clone) {
  return clone.clone_max < AvailableNodes(ws);
}

// Where every node gets an instance, a preference changes nothing (seed 1:
// ms16:Promoted with rsc11 at 45 does not raise the priority of the
// instance beside rsc11).
bool InstancesTake(const WorkingSet& ws, const Rsc& clone, const Coloc& c) {
  return FewerInstancesThanNodes(ws, clone) || c.score.value() < 0 ||
         c.Mandatory();
}

namespace {

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
