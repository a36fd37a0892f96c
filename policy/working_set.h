// Private to policy/: the scheduler's working set, built by Unpack() and
// refined by the stages in order. Plain data; each stage documents which
// fields it fills. Node and resource order are deterministic: nodes in
// configuration order (then status-only nodes), resources in configuration
// order, clone instances by number.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cib/config_index.h"
#include "cib/duration.h"
#include "cib/model.h"
#include "common/flat_index.h"
#include "policy/policy.h"

namespace paceline::policy::internal {

using cib::Role;
using cib::Score;

// A node's status entries by resource id ("drbd_pg", "ip:1"): built once
// per run for every node (32,000 entries at 32 nodes x 1,000 resources)
// and looked up for each primitive on each node. The ids stay in the
// snapshot.
class StateIndex {
 public:
  void Build(const std::vector<cib::ResourceState>& states) {
    states_ = &states;
    index_.Reset(states.size());
    for (size_t i = 0; i < states.size(); ++i) {
      index_.Insert(states[i].id, uint32_t(i));  // the first of an id wins
    }
  }
  const cib::ResourceState* Find(std::string_view id) const {
    uint32_t i = index_.Find(id);
    return i == FlatIndex::kNone ? nullptr : &(*states_)[i];
  }

 private:
  const std::vector<cib::ResourceState>* states_ = nullptr;
  FlatIndex index_;
};

struct NodeInfo {
  std::string name;
  bool online = false;   // member of the cluster and clean
  bool unclean = false;  // lost without being fenced
  bool standby = false;
  // The node's controller is shutting down (transient attribute
  // "shutdown", as Pacemaker's): nothing may run there any more.
  bool shutdown = false;
  bool maintenance = false;
  const cib::NodeStatus* status = nullptr;  // nullptr: no status known
  const cib::Node* config = nullptr;
  StateIndex states;  // its status entries by resource id
  int assigned = 0;   // resources assigned to it in this run (tie-break)
  // May new resources be placed here?
  bool Available() const {
    return online && !standby && !shutdown && !maintenance;
  }
};

enum class Variant { kPrimitive, kGroup, kClone };

struct Rsc;

struct Coloc {
  std::string id;
  Rsc* dependent = nullptr;
  Rsc* primary = nullptr;
  Score score;
  Role dependent_role = Role::kUnknown;
  Role primary_role = Role::kUnknown;
  // The primary as configured (a group, where `primary` is the member the
  // colocation acts through): it orders the dependent's colocations.
  const Rsc* configured_primary = nullptr;
  // Likewise the dependent as configured: it orders the primary's list.
  const Rsc* configured_dependent = nullptr;
  bool Mandatory() const { return score.IsInfinity(); }
  bool Banned() const { return score.IsMinusInfinity(); }
  // Names the dependent's role (a promotable clone's Promoted/Unpromoted):
  // Pacemaker 2.1.5 skips it while placing (the instance's role is not
  // known yet) and applies it to the role (the promotion stage).
  bool RoleOnly() const {
    return dependent_role == cib::Role::kPromoted ||
           dependent_role == cib::Role::kUnpromoted;
  }
};

struct Ord {
  std::string id;
  Rsc* first = nullptr;
  cib::Action first_action = cib::Action::kStart;
  Rsc* then = nullptr;
  cib::Action then_action = cib::Action::kStart;
  cib::OrderKind kind = cib::OrderKind::kMandatory;
  bool symmetrical = true;
};

// Any resource of the tree: a configured primitive/group/clone, or a clone
// instance (an instance of a cloned group is a group whose members are
// instances too: "grp:0" holds "a:0", "b:0").
struct Rsc {
  int index = -1;  // position in WorkingSet::resources
  std::string id;
  const cib::Resource* config = nullptr;
  Variant variant = Variant::kPrimitive;
  Rsc* parent = nullptr;
  std::vector<Rsc*> children;
  // Itself for a primitive, else every primitive under it in order (set by
  // Unpack for the whole tree).
  std::vector<Rsc*> primitives;
  std::string primitive_id;  // primitives: the configured id (status key)
  int instance = -1;         // clone instances: the number
  bool orphan = false;       // an active instance beyond clone-max

  // Effective meta (own, then inherited from ancestors).
  int priority = 0;
  Score stickiness;
  Score migration_threshold = Score::Infinity();
  std::optional<cib::Millis> failure_timeout;
  bool managed = true;
  Role target_role = Role::kUnknown;  // kUnknown: default (Started)
  // Clones.
  bool promotable = false;
  bool globally_unique = false;
  int clone_max = 0;
  int clone_node_max = 1;
  int promoted_max = 1;
  int promoted_node_max = 1;

  // Current state (unpack). Primitives: where active, in which role.
  std::vector<int> active_on;  // node indexes
  // Anonymous clone instances' primitives: nodes whose history Pacemaker
  // attributes to this instance (active there, or the first instance not
  // active anywhere yet when the node was unpacked): its known_on. Anonymous
  // clones: the nodes with any history of it.
  std::vector<int> known_on;
  Role current_role = Role::kStopped;
  bool failed = false;
  std::string failed_action;
  long long failed_interval_ms = 0;
  std::string on_fail = "restart";  // of the failed operation
  bool blocked = false;  // no actions at all (on-fail=block, unclean node)

  // Node criteria: per-node score (index = node index), and the part of it
  // from this resource's own terms (without its ancestors').
  std::vector<Score> scores;
  std::vector<Score> own_scores;
  // The scores as assignment changes them (Pacemaker's allowed_nodes):
  // `scores` without target-role=Stopped when assignment starts (a stopped
  // resource is banned only when it is assigned), then the colocations this
  // resource depends on and its dependents' preferences, applied in place
  // as they are reached. What its primaries and dependents see of it while
  // they are assigned (a primary assigned in the middle of this one's
  // assignment sees the colocations applied so far).
  std::vector<Score> allowed;

  // Assignment results.
  bool provisional = true;
  // Assigned where it is not running, but its start cannot run (a
  // mandatory order from something that will not start): what must run
  // with it cannot stay beside it (assign.cc Blocker).
  bool start_blocked = false;
  bool assigning = false;
  int assigned = -1;  // node index or -1
  Role next_role = Role::kStopped;
  Score promotion;  // instances of promotable clones
  // Instances: the score their node won with (Pacemaker's allocated_to
  // weight), which a mandatory colocation with a promotable clone's role
  // adds to its dependent's score there.
  Score placed_score;
  // Clones: where the instances are, in the order Pacemaker keeps its
  // instances once assigned (and promoted), which is the order a finite
  // colocation with the clone is applied in, instance by instance, each
  // step rolled back on its own (assign.cc ApplyFinite).
  struct Unit {
    int node = -1;
    Role role = Role::kStopped;
  };
  std::vector<Unit> units;
  // Instances of promotable anonymous clones: what the agent's promotion
  // scores add to their placement (promote.cc PromotionPreferences).
  std::vector<Score> promotion_placement;

  std::vector<Coloc*> this_with;  // colocations where this is the dependent
  std::vector<Coloc*> with_this;  // colocations where this is the primary
  // The colocations whose dependents' preferences feed back into this
  // resource's, as Pacemaker 2.1.5 lists them: those naming it as their
  // primary, the implicit ones of group members, and, on a group's last
  // member, those naming the group; in Pacemaker's order.
  std::vector<Coloc*> named_with_this;

  bool IsPrimitive() const { return variant == Variant::kPrimitive; }
  bool IsGroup() const { return variant == Variant::kGroup; }
  bool IsClone() const { return variant == Variant::kClone; }
  // The clone this resource is an instance of (or inside), or nullptr.
  Rsc* CloneAncestor() const;
  // Top-level ancestor (itself if top-level).
  const Rsc* Top() const;
};

struct WorkingSet {
  explicit WorkingSet(const Snapshot& s) : snapshot(&s), config(s.config) {}
  const Snapshot* snapshot = nullptr;
  cib::ConfigIndex config;  // id lookups over snapshot->config
  const Options* options = nullptr;
  WallTime now;
  std::vector<NodeInfo> nodes;
  std::deque<Rsc> resources;                         // stable addresses
  std::unordered_map<std::string_view, Rsc*> by_id;  // configured ids
  std::vector<Rsc*> top;  // top-level, configuration order
  std::deque<Coloc> colocs;
  std::vector<Ord> orders;
  // Cluster options.
  bool symmetric = true;
  bool stonith_enabled = true;
  bool maintenance_mode = false;
  std::string no_quorum_policy = "stop";
  bool start_failure_is_fatal = true;
  // Outputs collected on the way.
  TransitionGraph* graph = nullptr;

  int NodeIndex(std::string_view name) const;
  Rsc* Find(std::string_view id);
  // Find, but an id inside a clone (whose only Rscs are instances) means
  // the clone.
  Rsc* Resolve(std::string_view id);
  // Records a score term (when asked to) and returns the term's score.
  void Term(const Rsc& rsc, int node, Score score, std::string source,
            bool promotion = false);
  // Whether Term() keeps anything: a caller with a costly source text
  // builds it only then.
  bool Recording() const { return options->record_scores && graph; }
  void Note(std::string text);
  std::unordered_set<std::string> noted;
};

// The stages, in pipeline order.
Status Unpack(WorkingSet& ws);
void ApplyNodeCriteria(WorkingSet& ws);
void AssignResources(WorkingSet& ws);

}  // namespace paceline::policy::internal
