#include "cib/model.h"

#include <algorithm>
#include <unordered_map>

#include "common/strings.h"

namespace paceline::cib {

Attributes::Attributes(std::initializer_list<NvPair> items) {
  for (const auto& p : items) Set(p.name, p.value);
}

const std::string* Attributes::Get(std::string_view name) const {
  for (const auto& p : items_) {
    if (p.name == name) return &p.value;
  }
  return nullptr;
}

void Attributes::Set(std::string name, std::string value) {
  for (auto& p : items_) {
    if (p.name == name) {
      p.value = std::move(value);
      return;
    }
  }
  items_.push_back({std::move(name), std::move(value)});
}

bool Attributes::Erase(std::string_view name) {
  auto it = std::find_if(items_.begin(), items_.end(),
                         [&](const NvPair& p) { return p.name == name; });
  if (it == items_.end()) return false;
  items_.erase(it);
  return true;
}

void Attributes::Merge(const Attributes& other) {
  for (const auto& p : other) Set(p.name, p.value);
}

std::optional<Role> ParseRole(std::string_view text) {
  if (IEquals(text, "Started")) return Role::kStarted;
  if (IEquals(text, "Stopped")) return Role::kStopped;
  if (IEquals(text, "Promoted") || IEquals(text, "Master")) {
    return Role::kPromoted;
  }
  if (IEquals(text, "Unpromoted") || IEquals(text, "Slave")) {
    return Role::kUnpromoted;
  }
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kStarted:
      return "Started";
    case Role::kStopped:
      return "Stopped";
    case Role::kPromoted:
      return "Promoted";
    case Role::kUnpromoted:
      return "Unpromoted";
    case Role::kUnknown:
      break;
  }
  return "";
}

std::optional<Action> ParseAction(std::string_view text) {
  if (IEquals(text, "start")) return Action::kStart;
  if (IEquals(text, "stop")) return Action::kStop;
  if (IEquals(text, "promote")) return Action::kPromote;
  if (IEquals(text, "demote")) return Action::kDemote;
  return std::nullopt;
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kStart:
      return "start";
    case Action::kStop:
      return "stop";
    case Action::kPromote:
      return "promote";
    case Action::kDemote:
      return "demote";
    case Action::kUnspecified:
      break;
  }
  return "";
}

std::string AgentSpec::ToString() const {
  if (standard == "ocf") return standard + ":" + provider + ":" + type;
  return standard + ":" + type;
}

namespace {

bool SafeAgentName(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
              c == '+' || c == '@';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<AgentSpec> ParseAgentSpec(std::string_view text) {
  std::vector<std::string> parts = Split(text, ':');
  const std::string what = "agent " + Quote(text);
  if (parts.size() < 2) {
    return Status::Syntax(what +
                          " needs a class (expected ocf:PROVIDER:TYPE"
                          " or lsb:NAME)");
  }
  AgentSpec spec;
  spec.standard = ToLower(parts[0]);
  if (spec.standard == "ocf") {
    if (parts.size() != 3) {
      return Status::Syntax(what +
                            " needs a provider (expected "
                            "ocf:PROVIDER:TYPE, e.g. ocf:heartbeat:IPaddr2)");
    }
    spec.provider = parts[1];
    spec.type = parts[2];
    if (!SafeAgentName(spec.provider)) {
      return Status::Syntax(what + ": invalid provider " +
                            Quote(spec.provider));
    }
  } else if (spec.standard == "lsb" || spec.standard == "systemd" ||
             spec.standard == "service" || spec.standard == "stonith") {
    if (parts.size() != 2) {
      return Status::Syntax(what + ": expected " + spec.standard + ":NAME");
    }
    spec.type = parts[1];
  } else {
    return Status::Syntax(what + ": unknown class " + Quote(parts[0]) +
                          " (expected ocf, lsb, systemd, service or stonith)");
  }
  if (!SafeAgentName(spec.type)) {
    return Status::Syntax(what + ": invalid agent name " + Quote(spec.type));
  }
  return spec;
}

std::string_view KindName(const Resource& r) {
  switch (r.kind) {
    case ResourceKind::kPrimitive:
      return "primitive";
    case ResourceKind::kGroup:
      return "group";
    case ResourceKind::kClone:
      return r.ms_syntax ? "ms" : "clone";
  }
  return "";
}

std::optional<OrderKind> ParseOrderKind(std::string_view text) {
  if (IEquals(text, "Mandatory")) return OrderKind::kMandatory;
  if (IEquals(text, "Optional")) return OrderKind::kOptional;
  if (IEquals(text, "Serialize")) return OrderKind::kSerialize;
  return std::nullopt;
}

std::string_view OrderKindName(OrderKind kind) {
  switch (kind) {
    case OrderKind::kMandatory:
      return "Mandatory";
    case OrderKind::kOptional:
      return "Optional";
    case OrderKind::kSerialize:
      return "Serialize";
  }
  return "";
}

OrderKind Order::EffectiveKind() const {
  if (kind) return *kind;
  if (score && score->value() <= 0) return OrderKind::kOptional;
  return OrderKind::kMandatory;
}

const std::string& ConstraintId(const Constraint& c) {
  return std::visit([](const auto& x) -> const std::string& { return x.id; },
                    c);
}

std::string_view ConstraintKindName(const Constraint& c) {
  switch (c.index()) {
    case 0:
      return "location";
    case 1:
      return "colocation";
    default:
      return "order";
  }
}

std::vector<std::string> ConstraintResources(const Constraint& c) {
  if (auto* l = std::get_if<Location>(&c)) return {l->rsc};
  if (auto* co = std::get_if<Colocation>(&c)) return {co->rsc, co->with_rsc};
  const auto& o = std::get<Order>(c);
  return {o.first, o.then};
}

const Resource* Configuration::FindResource(std::string_view id) const {
  for (const auto& r : resources) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

Resource* Configuration::FindResource(std::string_view id) {
  return const_cast<Resource*>(std::as_const(*this).FindResource(id));
}

const Node* Configuration::FindNode(std::string_view name) const {
  for (const auto& n : nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

Node* Configuration::FindNode(std::string_view name) {
  return const_cast<Node*>(std::as_const(*this).FindNode(name));
}

const Constraint* Configuration::FindConstraint(std::string_view id) const {
  for (const auto& c : constraints) {
    if (ConstraintId(c) == id) return &c;
  }
  return nullptr;
}

const Resource* Configuration::ParentOf(std::string_view id) const {
  for (const auto& r : resources) {
    if (r.IsPrimitive()) continue;
    for (const auto& child : r.children) {
      if (child == id) return &r;
    }
  }
  return nullptr;
}

std::vector<const Resource*> Configuration::TopLevel() const {
  std::unordered_map<std::string_view, bool> contained;
  for (const auto& r : resources) {
    for (const auto& child : r.children) contained[child] = true;
  }
  std::vector<const Resource*> out;
  for (const auto& r : resources) {
    if (!contained.count(r.id)) out.push_back(&r);
  }
  return out;
}

void Configuration::Canonicalize() {
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < resources.size(); ++i) index[resources[i].id] = i;
  std::vector<bool> placed(resources.size(), false);
  std::vector<size_t> order;
  order.reserve(resources.size());
  // Post-order walk; `placed` also guards against cycles in bad input.
  auto visit = [&](auto&& self, size_t i) -> void {
    if (placed[i]) return;
    placed[i] = true;
    for (const auto& child : resources[i].children) {
      auto it = index.find(child);
      if (it != index.end()) self(self, it->second);
    }
    order.push_back(i);
  };
  for (const Resource* top : TopLevel()) {
    visit(visit, size_t(top - resources.data()));
  }
  for (size_t i = 0; i < resources.size(); ++i) visit(visit, i);  // leftovers
  std::vector<Resource> sorted;
  sorted.reserve(resources.size());
  for (size_t i : order) sorted.push_back(std::move(resources[i]));
  resources = std::move(sorted);
}

std::optional<NodeState> ParseNodeState(std::string_view text) {
  if (IEquals(text, "online")) return NodeState::kOnline;
  if (IEquals(text, "offline")) return NodeState::kOffline;
  if (IEquals(text, "unclean")) return NodeState::kUnclean;
  if (IEquals(text, "pending")) return NodeState::kPending;
  return std::nullopt;
}

std::string_view NodeStateName(NodeState s) {
  switch (s) {
    case NodeState::kOnline:
      return "online";
    case NodeState::kOffline:
      return "offline";
    case NodeState::kUnclean:
      return "unclean";
    case NodeState::kPending:
      return "pending";
  }
  return "";
}

const ResourceState* NodeStatus::Find(std::string_view rsc) const {
  for (const auto& r : resources) {
    if (r.id == rsc) return &r;
  }
  return nullptr;
}

ResourceState* NodeStatus::Find(std::string_view rsc) {
  return const_cast<ResourceState*>(std::as_const(*this).Find(rsc));
}

const NodeStatus* ClusterStatus::FindNode(std::string_view name) const {
  for (const auto& n : nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

NodeStatus* ClusterStatus::FindNode(std::string_view name) {
  return const_cast<NodeStatus*>(std::as_const(*this).FindNode(name));
}

}  // namespace paceline::cib
