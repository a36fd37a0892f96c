// Private to the assign stage (assign.cc, assign_clone.cc, promote.cc).
#pragma once

#include <cstdint>
#include <unordered_set>
#include <vector>

#include "policy/working_set.h"

namespace paceline::policy::internal {

void Assign(WorkingSet& ws, Rsc& r);
void AssignClone(WorkingSet& ws, Rsc& clone);

// Clones (assign_clone.cc). An instance's own terms (stickiness, bans),
// its members' included.
std::vector<Score> InstanceOwn(const Rsc& inst);
int AvailableNodes(const WorkingSet& ws);
// Fewer instances than nodes to run them: the instances take all of the
// clone's colocations (and its dependents').
bool FewerInstancesThanNodes(const WorkingSet& ws, const Rsc& clone);
// Which of the clone's own colocations ("clone with X") its instances
// take, for their placement and their promotion priority (Pacemaker 2.1.5,
// pcmk__add_collective_constraints): all of them when the clone has fewer
// instances than there are nodes to run them; otherwise only the negative
// and the mandatory ones (seed 1).
bool InstancesTake(const WorkingSet& ws, const Rsc& clone, const Coloc& c);

// The promotion (promote.cc).
// Who Pacemaker's instance on a node is, for the promotion (its score and
// order): the first instance, in the assignment's order, that was placed
// there (before KeepInstancesInPlace renumbered them), and its role now.
struct NodeInstance {
  size_t rank = SIZE_MAX;
  Role current = Role::kStopped;
  const Rsc* inst = nullptr;
};

// What the agents' promotion scores add to where an instance of a
// promotable anonymous clone is placed (Pacemaker 2.1.5's
// pcmk__add_promotion_scores, before the instances are assigned): each
// available node's positive score where it applies to the instance and
// the instance is allowed.
std::vector<Score> PromotionPreferences(WorkingSet& ws, const Rsc& clone,
                                        Rsc& inst);

// Pacemaker's order of promotion (cmp_promotable_instance): the higher
// score, then the higher current role, then the instance order the
// assignment used (pcmk__cmp_instance), all of the instance Pacemaker
// placed on the node. Returns the instances in that order.
std::vector<Rsc*> Promote(WorkingSet& ws, Rsc& clone,
                          const std::vector<Score>& scores,
                          const std::vector<NodeInstance>& by_node);

// score * factor, saturating; factor 1 keeps +/-INFINITY exact; a nonzero
// score never scales to 0 (+/-1, the sign of the factor, as Pacemaker).
Score Scale(Score s, double factor);
// Nodes where primary is (after assignment) in role (kUnknown: any role).
std::vector<bool> PrimaryNodes(const WorkingSet& ws, const Rsc& primary,
                               Role role);
// Some available node has a score >= 0.
bool AnyRunnable(const WorkingSet& ws, const std::vector<Score>& scores);
// "X with clone:Promoted" (or :Unpromoted) for a promotable clone.
bool WithPromotableRole(const Coloc& c);
// Such a colocation while X (or an instance of X) is placed, as Pacemaker
// 2.1.5 applies it (pcmk__update_dependent_with_promotable): a mandatory
// one bans the nodes where no instance will have the role and adds, where
// one will, the score that instance's node won with (node_list_exclude
// merging scores); a finite one adds its score where one will.
void ApplyWithPromotableRole(WorkingSet& ws, Rsc& dependent,
                             std::vector<Score>& scores, const Coloc& c,
                             bool record);
// One colocation applied to a dependent's scores, its primary assigned.
void ApplyToDependent(WorkingSet& ws, Rsc& dependent,
                      std::vector<Score>& scores, const Coloc& c);
// A finite colocation, step by step (once per instance of a clone
// primary), each step rolled back when it would leave no node; terms
// recorded on `dependent` when `record`. `role` is the primary role's
// suffix for the terms (":Promoted" or "").
void ApplyFinite(WorkingSet& ws, Rsc& dependent, std::vector<Score>& scores,
                 const Coloc& c, const std::string& role, bool record);
// The preferences of the resources colocated with primary, fed back into
// its scores (role-specific ones skipped when promotable_roles: those feed
// the promotion scores instead). positive_only, as Pacemaker merges them
// into a clone's own scores: a node's score never turns negative (a
// positive one drops to 1, others stay), and no terms are recorded.
void ApplyDependents(WorkingSet& ws, Rsc& primary, std::vector<Score>& scores,
                     bool promotable_roles, bool positive_only,
                     bool with_positive, Rsc* term_owner, bool record);
// `merging`, if given, is being merged itself: the walk stops there (as
// Pacemaker's pe_rsc_merging breaks the loop).
void AddDependentScores(const WorkingSet& ws, const Rsc& dependent,
                        double factor, std::vector<Score>& work,
                        const Rsc* merging = nullptr);
// Best available node with a score >= 0, or -1. `excluded` nodes are
// skipped (clone-node-max reached).
int ChooseNode(WorkingSet& ws, const Rsc& r, const std::vector<Score>& scores,
               const std::vector<bool>* excluded);
void Decide(WorkingSet& ws, const Rsc& r, int node,
            const std::vector<Score>& scores);
void SetAssigned(WorkingSet& ws, Rsc& r, int node, Role role);
bool Pinned(const Rsc& r);
// Will r be active -- promoted, if asked -- after the transition, as
// assigned? A group only if all of its members are, a clone if one of its
// instances is.
bool WillRun(const Rsc& r, bool promoted);

}  // namespace paceline::policy::internal
