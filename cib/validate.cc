// Structural checks: ids, references, containment, constraints.
#include "cib/validate.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "cib/duration.h"
#include "common/strings.h"

namespace paceline::cib {

namespace {

// "; did you mean IPaddr2?" when an agent differs only in case from one
// that is installed (the talk writes ocf:heartbeat:IPAddr2).
std::string SuggestAgent(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = path.substr(0, slash), name = path.substr(slash + 1);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string candidate = entry.path().filename().string();
    if (IEquals(candidate, name)) return "; did you mean " + candidate + "?";
  }
  return "";
}

class Checker {
 public:
  Checker(const Configuration& config, const CheckOptions& options)
      : config_(config), options_(options) {}

  std::vector<Problem> Run() {
    IndexIds();
    for (const auto& node : config_.nodes) CheckNode(node);
    for (const auto& r : config_.resources) CheckResource(r);
    for (const auto& c : config_.constraints) CheckConstraint(c);
    CheckProperties();
    CheckDefaults();
    return std::move(problems_);
  }

 private:
  void Error(StatusCode code, std::string msg) {
    problems_.push_back({true, code, std::move(msg)});
  }
  void Warn(std::string msg) {
    problems_.push_back({false, StatusCode::kOk, std::move(msg)});
  }
  void ErrorFrom(const Status& s, const std::string& prefix) {
    if (!s.ok()) Error(s.code(), prefix + ": " + s.message());
  }

  void CheckNames(const Attributes& attrs, const std::string& what);
  static bool BadName(std::string_view name);
  // No bad name: CheckNames would say nothing (and its message's context
  // need not be built).
  static bool NamesOk(const Attributes& attrs);
  void IndexIds();
  void CheckNode(const Node& node);
  void CheckResource(const Resource& r);
  void CheckPrimitive(const Resource& r);
  void CheckOps(const Resource& r);
  void CheckContainer(const Resource& r);
  void CheckConstraint(const Constraint& c);
  void CheckLocation(const Location& l);
  void CheckReference(std::string_view owner, const std::string& rsc,
                      Role role);
  void CheckProperties();
  void CheckDefaults();
  bool InPromotable(std::string_view rsc) const;

  const Configuration& config_;
  const CheckOptions& options_;
  std::vector<Problem> problems_;
  std::unordered_map<std::string_view, const Resource*> resources_;
  std::unordered_map<std::string_view, const Resource*> parent_;
  std::unordered_set<std::string_view> node_names_;
};

// A name the crm syntax and the YAML layout cannot carry: empty, with a
// blank, a quote or '=', a leading '$' (crm reads "$id=" as an id) or a
// trailing ':' (read as a set id).
bool Checker::BadName(std::string_view name) {
  return name.empty() || name[0] == '$' || name.back() == ':' ||
         name.find_first_of("= \t\n\"'") != std::string_view::npos;
}

bool Checker::NamesOk(const Attributes& attrs) {
  return std::none_of(attrs.begin(), attrs.end(),
                      [](const auto& a) { return BadName(a.name); });
}

void Checker::CheckNames(const Attributes& attrs, const std::string& what) {
  for (const auto& a : attrs) {
    if (BadName(a.name)) {
      Error(StatusCode::kSyntax,
            what + ": invalid attribute name " + Quote(a.name));
    }
  }
}

void Checker::IndexIds() {
  std::unordered_map<std::string_view, std::string_view> ids;  // id -> kind
  auto claim = [&](std::string_view id, std::string_view kind) {
    if (!IsValidId(id)) {
      Error(StatusCode::kSyntax,
            std::string(kind) + " " + Quote(id) +
                ": invalid id (expected a letter or '_' followed by letters, "
                "digits, '_', '.' or '-')");
    }
    auto [it, inserted] = ids.emplace(id, kind);
    if (!inserted) {
      Error(StatusCode::kConflict, "duplicate id " + Quote(id) + ": used by " +
                                       std::string(it->second) + " and " +
                                       std::string(kind));
    }
  };
  for (const auto& r : config_.resources) {
    claim(r.id, KindName(r));
    resources_.emplace(r.id, &r);
  }
  for (const auto& c : config_.constraints) {
    claim(ConstraintId(c), ConstraintKindName(c));
  }
  std::unordered_map<unsigned, std::string_view> numeric;
  for (const auto& n : config_.nodes) {
    if (!node_names_.insert(n.name).second) {
      Error(StatusCode::kConflict, "duplicate node " + Quote(n.name));
    }
    if (n.id == 0) continue;
    auto [it, inserted] = numeric.emplace(n.id, n.name);
    if (!inserted) {
      Error(StatusCode::kConflict,
            "node " + Quote(n.name) + ": id " + std::to_string(n.id) +
                " is already used by node " + Quote(it->second));
    }
  }
}

void Checker::CheckNode(const Node& node) {
  const std::string what = "node " + Quote(node.name);
  if (!NamesOk(node.attributes))
    CheckNames(node.attributes, what + ": attributes");
  if (!NamesOk(node.utilization))
    CheckNames(node.utilization, what + ": utilization");
  bool bad_name = node.name.empty();
  for (char c : node.name) bad_name |= (c == ' ' || c == '\t' || c == ':');
  if (bad_name) Error(StatusCode::kSyntax, what + ": invalid node name");
  if (!node.type.empty() && !IEquals(node.type, "normal") &&
      !IEquals(node.type, "member") && !IEquals(node.type, "ping") &&
      !IEquals(node.type, "remote")) {
    Error(StatusCode::kSyntax, what + ": unknown node type " +
                                   Quote(node.type) +
                                   " (expected member, ping or remote)");
  }
  for (const auto& a : node.attributes) {
    bool b = false;
    if ((a.name == "standby" || a.name == "maintenance") &&
        !ParseBool(a.value, &b)) {
      Error(StatusCode::kSyntax, what + ": attribute " + a.name + "=" +
                                     a.value + ": expected on or off");
    }
  }
}

void Checker::CheckResource(const Resource& r) {
  // Built only for a message: a large CIB has thousands of resources.
  auto what = [&] { return std::string(KindName(r)) + " " + Quote(r.id); };
  if (!NamesOk(r.meta)) CheckNames(r.meta, what() + ": meta");
  if (!NamesOk(r.params)) CheckNames(r.params, what() + ": params");
  if (!NamesOk(r.utilization))
    CheckNames(r.utilization, what() + ": utilization");
  for (const auto& m : r.meta) {
    if (Status s = CheckMetaAttribute(m.name, m.value); !s.ok()) {
      ErrorFrom(s, what());
    }
  }
  if (r.IsPrimitive()) {
    CheckPrimitive(r);
  } else {
    CheckContainer(r);
  }
}

void Checker::CheckPrimitive(const Resource& r) {
  auto what = [&] { return "primitive " + Quote(r.id); };
  if (!r.children.empty()) {
    Error(StatusCode::kInvalid, what() + ": a primitive has no members");
  }
  auto spec = ParseAgentSpec(r.agent.ToString());
  if (!spec.ok() || !(*spec == r.agent)) {
    Error(StatusCode::kSyntax, what() + ": " + spec.status().message());
    return;
  }
  for (const auto& p : r.params) {
    if (p.name.empty()) {
      Error(StatusCode::kSyntax, what() + ": empty param name");
    }
  }
  CheckOps(r);
  if (options_.ocf_root.empty()) return;
  std::string path;
  if (r.agent.standard == "ocf") {
    path = options_.ocf_root + "/resource.d/" + r.agent.provider + "/" +
           r.agent.type;
  } else if (r.agent.standard == "lsb") {
    path = options_.lsb_root + "/" + r.agent.type;
  }
  struct stat st;
  if (!path.empty() && stat(path.c_str(), &st) != 0) {
    Warn(what() + ": agent " + r.agent.ToString() + " is not installed here (" +
         path + " not found)" + SuggestAgent(path));
  }
}

void Checker::CheckOps(const Resource& r) {
  // The messages' context is built only for a message: a large CIB has
  // thousands of ops, nearly all of them fine.
  auto what = [&] { return "primitive " + Quote(r.id); };
  struct Key {
    std::string_view name;
    long long interval;
    std::string role;
  };
  std::vector<Key> seen;
  for (const auto& op : r.ops) {
    auto op_what = [&] { return what() + ": op " + op.name; };
    if (!IsKnownOperation(op.name)) {
      Error(StatusCode::kSyntax,
            what() + ": unknown operation " + Quote(op.name) +
                " (expected start, stop, monitor, promote, demote, notify, "
                "reload, migrate_to, migrate_from, ...)");
      continue;
    }
    if (!NamesOk(op.attrs)) CheckNames(op.attrs, op_what());
    for (const auto& a : op.attrs) {
      if (a.name == "name") {
        Error(StatusCode::kSyntax,
              op_what() + ": 'name' is not an op attribute");
      }
      if (Status st = CheckOpAttribute(a.name, a.value); !st.ok()) {
        ErrorFrom(st, op_what());
      }
    }
    long long interval = 0;
    if (const auto* iv = op.attrs.Get("interval")) {
      auto parsed = ParseInterval(*iv);
      if (parsed.ok()) interval = parsed->count();
    }
    std::string role;
    if (const auto* rl = op.attrs.Get("role")) {
      if (auto parsed = ParseRole(*rl)) role = RoleName(*parsed);
    }
    bool duplicate = std::any_of(seen.begin(), seen.end(), [&](const Key& k) {
      return k.name == op.name && k.interval == interval && k.role == role;
    });
    if (duplicate) {
      Error(StatusCode::kConflict,
            what() + ": duplicate op " + op.name + " with interval " +
                std::to_string(interval / 1000) + "s" +
                (role.empty() ? "" : " and role " + role));
    } else {
      seen.push_back({op.name, interval, role});
    }
    if (op.name != "monitor" && interval != 0) {
      Error(StatusCode::kInvalid, op_what() +
                                      ": only monitor may recur "
                                      "(expected interval=0)");
    }
  }
}

void Checker::CheckContainer(const Resource& r) {
  const std::string what = std::string(KindName(r)) + " " + Quote(r.id);
  if (r.IsGroup() && r.children.empty()) {
    Error(StatusCode::kInvalid, what + ": a group needs at least one member");
  }
  if (r.IsClone() && r.children.size() != 1) {
    Error(StatusCode::kInvalid, what + ": a clone has exactly one child");
  }
  if (r.IsGroup() && r.promotable) {
    Error(StatusCode::kInvalid, what + ": only clones can be promotable");
  }
  // `promotable` is the typed view of how the clone was written: `ms`, or
  // `clone` with meta promotable=true. Anything else would not survive a
  // round trip through the crm syntax.
  if (r.IsClone()) {
    bool meta = false;
    const std::string* v = r.meta.Get("promotable");
    bool meta_true = v && ParseBool(*v, &meta) && meta;
    if (r.ms_syntax ? !r.promotable : r.promotable != meta_true) {
      Error(StatusCode::kInvalid,
            what +
                ": promotable must be written as `ms` or as meta "
                "promotable=true");
    }
  }
  std::unordered_set<std::string_view> seen;
  for (const auto& child : r.children) {
    if (!seen.insert(child).second) {
      Error(StatusCode::kConflict, what + ": lists " + Quote(child) + " twice");
      continue;
    }
    auto it = resources_.find(child);
    if (it == resources_.end()) {
      Error(StatusCode::kNotFound, what + ": unknown resource " + Quote(child));
      continue;
    }
    const Resource& c = *it->second;
    if (c.id == r.id) {
      Error(StatusCode::kInvalid, what + ": cannot contain itself");
    } else if (r.IsGroup() && !c.IsPrimitive()) {
      Error(StatusCode::kInvalid, what + ": member " + Quote(child) + " is a " +
                                      std::string(KindName(c)) +
                                      "; groups contain only primitives");
    } else if (r.IsClone() && c.IsClone()) {
      Error(StatusCode::kInvalid,
            what + ": child " + Quote(child) + " is already a clone");
    }
    auto [pit, inserted] = parent_.emplace(c.id, &r);
    if (!inserted) {
      const Resource& other = *pit->second;
      Error(StatusCode::kConflict,
            "resource " + Quote(child) + " is already in " +
                std::string(KindName(other)) + " " + Quote(other.id) +
                "; it cannot also be in " + std::string(KindName(r)) + " " +
                Quote(r.id));
    }
  }
}

void Checker::CheckConstraint(const Constraint& c) {
  const std::string what =
      std::string(ConstraintKindName(c)) + " " + Quote(ConstraintId(c));
  if (const auto* l = std::get_if<Location>(&c)) {
    CheckLocation(*l);
  } else if (const auto* co = std::get_if<Colocation>(&c)) {
    CheckReference(what, co->rsc, co->rsc_role);
    CheckReference(what, co->with_rsc, co->with_rsc_role);
    if (co->rsc == co->with_rsc) {
      Error(StatusCode::kInvalid,
            what + ": " + Quote(co->rsc) + " cannot be colocated with itself");
    }
  } else {
    const auto& o = std::get<Order>(c);
    auto role_of = [](Action a) {
      return (a == Action::kPromote || a == Action::kDemote) ? Role::kPromoted
                                                             : Role::kUnknown;
    };
    CheckReference(what, o.first, role_of(o.first_action));
    CheckReference(what, o.then, role_of(o.then_action));
    if (o.first == o.then && o.first_action == o.then_action) {
      Error(StatusCode::kInvalid,
            what + ": " + Quote(o.first) + " cannot be ordered after itself");
    }
  }
}

void Checker::CheckLocation(const Location& l) {
  const std::string what = "location " + Quote(l.id);
  CheckReference(what, l.rsc, l.role);
  if (l.node.empty()) {
    Error(StatusCode::kInvalid, what + ": missing node");
  } else if (!node_names_.count(l.node)) {
    Warn(what + ": node " + Quote(l.node) + " is not declared (yet)");
  }
  if (!l.resource_discovery.empty() && l.resource_discovery != "always" &&
      l.resource_discovery != "never" && l.resource_discovery != "exclusive") {
    Error(StatusCode::kSyntax,
          what + ": resource-discovery=" + l.resource_discovery +
              ": expected always, never or exclusive");
  }
}

void Checker::CheckReference(std::string_view owner, const std::string& rsc,
                             Role role) {
  const std::string what(owner);
  if (!resources_.count(rsc)) {
    Error(StatusCode::kNotFound, what + ": unknown resource " + Quote(rsc));
    return;
  }
  if ((role == Role::kPromoted || role == Role::kUnpromoted) &&
      !InPromotable(rsc)) {
    Error(StatusCode::kInvalid,
          what + ": " + Quote(rsc) +
              " is not promotable, so it has no Promoted/Unpromoted role or "
              "promote/demote action");
  }
}

bool Checker::InPromotable(std::string_view rsc) const {
  std::string_view cur = rsc;
  for (int depth = 0; depth < 4; ++depth) {  // primitive -> group -> clone
    auto it = resources_.find(cur);
    if (it != resources_.end() && it->second->IsClone() &&
        it->second->promotable) {
      return true;
    }
    auto p = parent_.find(cur);
    if (p == parent_.end()) return false;
    cur = p->second->id;
  }
  return false;
}

void Checker::CheckProperties() {
  if (!NamesOk(config_.properties)) CheckNames(config_.properties, "property");
  if (!NamesOk(config_.rsc_defaults))
    CheckNames(config_.rsc_defaults, "rsc_defaults");
  if (!NamesOk(config_.op_defaults))
    CheckNames(config_.op_defaults, "op_defaults");
  for (const auto& p : config_.properties) {
    bool known = true;
    Status s = CheckProperty(p.name, p.value, &known);
    if (!s.ok()) {
      Error(s.code(), s.message());
    } else if (!known) {
      Warn("property " + p.name +
           ": not a cluster option Paceline knows "
           "(kept as written)");
    }
  }
}

void Checker::CheckDefaults() {
  for (const auto& m : config_.rsc_defaults) {
    ErrorFrom(CheckMetaAttribute(m.name, m.value), "rsc_defaults");
  }
  for (const auto& m : config_.op_defaults) {
    ErrorFrom(CheckOpAttribute(m.name, m.value), "op_defaults");
  }
}

}  // namespace

bool IsValidId(std::string_view id) {
  if (id.empty()) return false;
  // Words the crm grammar reads as section keywords inside a statement.
  for (std::string_view keyword :
       {"params", "meta", "utilization", "op", "attributes", "rule"}) {
    if (IEquals(id, keyword)) return false;
  }
  auto letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (!letter(id[0])) return false;
  for (char c : id) {
    if (!(letter(c) || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
      return false;
    }
  }
  return true;
}

std::vector<Problem> Check(const Configuration& config,
                           const CheckOptions& options) {
  return Checker(config, options).Run();
}

Status Validate(const Configuration& config) {
  for (const auto& p : Check(config)) {
    if (!p.error) continue;
    switch (p.code) {
      case StatusCode::kSyntax:
        return Status::Syntax(p.message);
      case StatusCode::kConflict:
        return Status::Conflict(p.message);
      case StatusCode::kNotFound:
        return Status::NotFound(p.message);
      default:
        return Status::Invalid(p.message);
    }
  }
  return Status::Ok();
}

}  // namespace paceline::cib
