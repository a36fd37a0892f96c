// The Paceline data model (the CIB): configuration, status and versions.
//
// Plain values: copyable, comparable with ==, no I/O and no hidden state.
// Every module reads these types; only cib/ edits them (cib/edit.h) and
// stores them (cib/store.h). Strings are kept as the admin wrote them
// (params, meta, op attributes) so that `crm configure show` gives back what
// was typed; typed views (scores, intervals, roles) are parsed on use and
// checked by cib/validate.h.
//
// Resource order matters (Pacemaker assigns resources in configuration
// order), so resources live in one vector in a canonical order: every
// top-level resource is preceded by its descendants (members before their
// group, the child before its clone). Only the relative order of top-level
// resources carries meaning; Canonicalize() restores the layout after edits.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cib/score.h"
#include "common/clock.h"
#include "common/status.h"

namespace paceline::cib {

struct NvPair {
  std::string name;
  std::string value;
  friend bool operator==(const NvPair&, const NvPair&) = default;
};

// An ordered name=value list: params, meta, properties, node attributes.
// Setting an existing name replaces its value in place.
class Attributes {
 public:
  Attributes() = default;
  Attributes(std::initializer_list<NvPair> items);

  const std::string* Get(std::string_view name) const;
  void Set(std::string name, std::string value);
  bool Erase(std::string_view name);
  // Set every pair of `other`, in its order.
  void Merge(const Attributes& other);

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  std::vector<NvPair>::const_iterator begin() const { return items_.begin(); }
  std::vector<NvPair>::const_iterator end() const { return items_.end(); }
  friend bool operator==(const Attributes&, const Attributes&) = default;

 private:
  std::vector<NvPair> items_;
};

// Resource roles. kUnknown in a constraint means "any role".
enum class Role { kUnknown, kStopped, kStarted, kUnpromoted, kPromoted };
// Accepts Started, Stopped, Promoted/Master, Unpromoted/Slave (any case).
std::optional<Role> ParseRole(std::string_view text);
// Pacemaker 2.1 names: Started, Stopped, Promoted, Unpromoted ("" for any).
std::string_view RoleName(Role role);

// Resource actions used by orderings.
enum class Action { kUnspecified, kStart, kStop, kPromote, kDemote };
std::optional<Action> ParseAction(std::string_view text);  // any case
std::string_view ActionName(Action action);                // "" unspecified

// An agent: ocf:PROVIDER:TYPE, lsb:NAME, systemd:NAME, service:NAME,
// stonith:TYPE.
struct AgentSpec {
  std::string standard;  // "ocf", "lsb", "systemd", "service", "stonith"
  std::string provider;  // only for ocf
  std::string type;
  std::string ToString() const;
  friend bool operator==(const AgentSpec&, const AgentSpec&) = default;
};
// Rejects unknown classes, a missing provider for ocf and names that could
// escape the agent directory (slashes, "..", whitespace).
Result<AgentSpec> ParseAgentSpec(std::string_view text);

// One `op NAME k=v ...` of a primitive. interval, timeout, role, on-fail and
// anything else are kept in attrs as written.
struct Operation {
  std::string name;
  Attributes attrs;
  friend bool operator==(const Operation&, const Operation&) = default;
};

enum class ResourceKind { kPrimitive, kGroup, kClone };

struct Resource {
  std::string id;
  ResourceKind kind = ResourceKind::kPrimitive;
  std::string description;
  // Primitive only.
  AgentSpec agent;
  Attributes params;
  Attributes utilization;
  std::vector<Operation> ops;
  // Group: members in order. Clone: exactly one child (primitive or group).
  std::vector<std::string> children;
  // Clone only: promotable (master/slave); ms_syntax remembers that it was
  // written as `ms` (crm) / <master> (XML) rather than `clone ... promotable`.
  bool promotable = false;
  bool ms_syntax = false;
  Attributes meta;

  bool IsPrimitive() const { return kind == ResourceKind::kPrimitive; }
  bool IsGroup() const { return kind == ResourceKind::kGroup; }
  bool IsClone() const { return kind == ResourceKind::kClone; }
  friend bool operator==(const Resource&, const Resource&) = default;
};
std::string_view KindName(const Resource& r);  // primitive|group|clone|ms

struct Location {
  std::string id;
  std::string rsc;
  Role role = Role::kUnknown;
  Score score;
  std::string node;
  // Set by `crm resource migrate ... lifetime=`: the constraint applies only
  // before this instant (a `date lt` rule in Pacemaker terms).
  std::optional<WallTime> expires;
  std::string resource_discovery;  // "", always, never, exclusive
  friend bool operator==(const Location&, const Location&) = default;
};

// `colocation ID SCORE: RSC[:ROLE] WITH_RSC[:ROLE]`: rsc (the dependent) is
// placed relative to with_rsc (the primary).
struct Colocation {
  std::string id;
  Score score;
  std::string rsc;
  Role rsc_role = Role::kUnknown;
  std::string with_rsc;
  Role with_rsc_role = Role::kUnknown;
  friend bool operator==(const Colocation&, const Colocation&) = default;
};

enum class OrderKind { kMandatory, kOptional, kSerialize };
std::optional<OrderKind> ParseOrderKind(std::string_view text);  // any case
std::string_view OrderKindName(OrderKind kind);

// `order ID SCORE|KIND: FIRST[:ACTION] THEN[:ACTION] [symmetrical=BOOL]`.
// Exactly one of kind and score is set, as written.
struct Order {
  std::string id;
  std::optional<OrderKind> kind;
  std::optional<Score> score;
  std::string first;
  Action first_action = Action::kUnspecified;
  std::string then;
  Action then_action = Action::kUnspecified;
  std::optional<bool> symmetrical;
  // Kind after defaults: score > 0 is Mandatory, 0 or less Optional.
  OrderKind EffectiveKind() const;
  friend bool operator==(const Order&, const Order&) = default;
};

using Constraint = std::variant<Location, Colocation, Order>;
const std::string& ConstraintId(const Constraint& c);
std::string_view ConstraintKindName(const Constraint& c);  // location|...
// Resource ids the constraint names, in the order written.
std::vector<std::string> ConstraintResources(const Constraint& c);

struct Node {
  std::string name;
  unsigned id = 0;   // 0: not set
  std::string type;  // "" or member/ping/remote as written
  std::string description;
  Attributes attributes;  // permanent node attributes, e.g. standby=on
  Attributes utilization;
  friend bool operator==(const Node&, const Node&) = default;
};

struct Configuration {
  std::vector<Node> nodes;
  std::vector<Resource> resources;  // canonical order, see the file comment
  std::vector<Constraint> constraints;
  Attributes properties;  // crm_config: cluster options
  Attributes rsc_defaults;
  Attributes op_defaults;

  const Resource* FindResource(std::string_view id) const;
  Resource* FindResource(std::string_view id);
  const Node* FindNode(std::string_view name) const;
  Node* FindNode(std::string_view name);
  const Constraint* FindConstraint(std::string_view id) const;
  // The group or clone that directly contains id, or nullptr.
  const Resource* ParentOf(std::string_view id) const;
  // Top-level resources in configuration order.
  std::vector<const Resource*> TopLevel() const;
  // Reorders resources so each top-level resource follows its descendants,
  // keeping the relative order of top-level resources.
  void Canonicalize();
  friend bool operator==(const Configuration&, const Configuration&) = default;
};

// ---- Status: what is true now. Filled by the controller from the live
// cluster, by `cib import` from Pacemaker XML, and read by `simulate`.

enum class NodeState { kOnline, kOffline, kUnclean, kPending };
std::optional<NodeState> ParseNodeState(std::string_view text);
std::string_view NodeStateName(NodeState s);  // online|offline|unclean|pending

// One resource instance known on one node.
struct ResourceState {
  std::string id;  // primitive id; "id:N" for globally unique clone instances
  Role role = Role::kStopped;
  bool failed = false;  // the last operation failed
  Score fail_count;     // saturating at INFINITY like Pacemaker's
  std::optional<WallTime> last_failure;
  friend bool operator==(const ResourceState&, const ResourceState&) = default;
};

struct NodeStatus {
  std::string name;
  NodeState state = NodeState::kOffline;
  Attributes attributes;  // transient attributes, e.g. master-drbd_pg=10000
  std::vector<ResourceState> resources;
  const ResourceState* Find(std::string_view rsc) const;
  ResourceState* Find(std::string_view rsc);
  friend bool operator==(const NodeStatus&, const NodeStatus&) = default;
};

struct FailedAction {
  std::string resource;
  std::string node;
  std::string action;  // start, stop, monitor, ...
  long long interval_ms = 0;
  int rc = 0;          // OCF exit code
  std::string status;  // "error", "timeout", ...
  std::string reason;  // exit reason or rc meaning
  WallTime at{};
  std::string output;  // the agent's last output lines
  friend bool operator==(const FailedAction&, const FailedAction&) = default;
};

struct ClusterStatus {
  std::string dc;  // "" when unknown
  std::vector<NodeStatus> nodes;
  std::vector<FailedAction> failures;
  // Whether the partition had quorum when the status was recorded
  // (Pacemaker's <cib have-quorum>). `simulate` starts from it; the daemon
  // asks membership instead.
  bool quorate = true;
  const NodeStatus* FindNode(std::string_view name) const;
  NodeStatus* FindNode(std::string_view name);
  bool empty() const {
    return dc.empty() && nodes.empty() && failures.empty() && quorate;
  }
  friend bool operator==(const ClusterStatus&, const ClusterStatus&) = default;
};

// (admin_epoch, epoch, num_updates), compared lexicographically: the highest
// wins when nodes disagree. A configuration change bumps epoch and resets
// num_updates; a status-only change bumps num_updates.
struct Versions {
  long long admin_epoch = 0;
  long long epoch = 0;
  long long num_updates = 0;
  friend auto operator<=>(const Versions&, const Versions&) = default;
};

struct Document {
  Versions versions;
  Configuration config;
  ClusterStatus status;
  friend bool operator==(const Document&, const Document&) = default;
};

// What a crm `configure` command defines: parsed by cli/, applied by
// cib/edit.h.
struct PropertySet {
  enum class Section { kClusterProperties, kRscDefaults, kOpDefaults };
  Section section = Section::kClusterProperties;
  Attributes attrs;
  friend bool operator==(const PropertySet&, const PropertySet&) = default;
};
using ConfigObject = std::variant<Node, Resource, Constraint, PropertySet>;

}  // namespace paceline::cib
