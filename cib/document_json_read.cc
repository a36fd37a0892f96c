// Reading the document tree of cib/document_json.h back into a Document.
//
// Strict about structure, lenient about scalar types: every object declares
// the keys it may hold and an unknown one is reported before anything else
// (a misspelt required key then reads as "unknown key 'rcs'", not as
// "missing 'rsc'"). Scalars may be JSON strings, numbers or booleans because
// the YAML codec hands over everything as a string. Values are parsed with
// the model's own parsers (scores, roles, agents, timestamps) but nothing is
// checked against anything else: references and ids are cib/validate.h's
// business. Every error is kCorrupt and starts with the path of the
// offending value, e.g. "configuration.resources[3].ops[0]".
#include <climits>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "cib/document_json.h"
#include "cib/duration.h"
#include "common/strings.h"

namespace paceline::cib {
namespace {

namespace json = boost::json;

// Where a value sits in the tree, e.g. "configuration.resources[3].ops[0]".
// A chain of links in the callers' frames, pointing at keys in the tree:
// the text exists only once an error message needs it, so reading a valid
// document builds no paths. A link must outlive the links made from it,
// which holds as long as they live in locals, Fields and arguments.
class JsonPath {
 public:
  JsonPath() = default;  // the top level

  JsonPath Key(std::string_view key) const { return {this, key, kNoIndex}; }
  JsonPath Index(size_t i) const { return {this, {}, i}; }

  // "" at the top level.
  std::string Text() const {
    if (parent_ == nullptr) return "";
    std::string text = parent_->Text();
    if (index_ != kNoIndex) return text + "[" + std::to_string(index_) + "]";
    return text.empty() ? std::string(key_) : text + "." + std::string(key_);
  }
  // The subject of a message about the value itself.
  std::string Where() const {
    std::string text = Text();
    return text.empty() ? "top level" : text;
  }

 private:
  static constexpr size_t kNoIndex = static_cast<size_t>(-1);
  JsonPath(const JsonPath* parent, std::string_view key, size_t index)
      : parent_(parent), key_(key), index_(index) {}

  const JsonPath* parent_ = nullptr;
  std::string_view key_;
  size_t index_ = kNoIndex;
};

std::string Describe(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "the string " + Quote(v.get_string());
    case json::kind::array:
      return "a list";
    case json::kind::object:
      return "a map";
  }
  return "a value";
}

Status Bad(const std::string& path, const std::string& what) {
  return Status::Corrupt(path + ": " + what);
}

Status Expected(const std::string& path, std::string_view what,
                const json::value& got) {
  return Bad(path, "expected " + std::string(what) + ", got " + Describe(got));
}

// A scalar as text: strings as they are, integers and booleans spelt out.
Result<std::string> ScalarText(const json::value& v, const JsonPath& path) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::bool_:
      return std::string(v.get_bool() ? "true" : "false");
    default:
      return Expected(path.Text(), "a string", v);
  }
}

Result<long long> IntegerValue(const json::value& v, const JsonPath& path,
                               long long min, long long max) {
  long long n = 0;
  bool ok = false;
  if (v.is_int64()) {
    n = v.get_int64();
    ok = true;
  } else if (v.is_uint64()) {
    ok = v.get_uint64() <= static_cast<std::uint64_t>(LLONG_MAX);
    n = static_cast<long long>(v.get_uint64());
  } else if (v.is_string()) {
    ok = ParseInt64(std::string_view(v.get_string()), &n);
  }
  if (!ok || n < min || n > max) {
    return Expected(
        path.Text(),
        "an integer from " + std::to_string(min) + " to " + std::to_string(max),
        v);
  }
  return n;
}

Result<bool> BoolValue(const json::value& v, const JsonPath& path) {
  if (v.is_bool()) return v.get_bool();
  bool b = false;
  if (v.is_string() && ParseBool(std::string_view(v.get_string()), &b)) {
    return b;
  }
  return Expected(path.Text(), "true or false", v);
}

// One object of the schema, with its path for error messages.
class Fields {
 public:
  enum Need { kOptional, kRequired };

  // Fails unless v is an object whose keys are all in `allowed` (an empty
  // list allows any key).
  static Result<Fields> Open(const json::value& v, const JsonPath& path,
                             std::initializer_list<std::string_view> allowed) {
    if (!v.is_object()) return Expected(path.Where(), "a map", v);
    Fields f(v.get_object(), path);
    if (allowed.size() == 0) return f;
    for (const auto& kv : *f.obj_) {
      bool known = false;
      for (std::string_view a : allowed) known = known || kv.key() == a;
      if (!known) {
        return Bad(path.Where(), "unknown key " + Quote(kv.key()));
      }
    }
    return f;
  }

  const json::object& object() const { return *obj_; }
  JsonPath Path(std::string_view key) const { return path_.Key(key); }
  const json::value* Find(std::string_view key) const {
    return obj_->if_contains(key);
  }

  // Looks up key; a missing required key is an error, a missing optional
  // one leaves *out as it was (nullptr).
  Status Get(std::string_view key, Need need, const json::value** out) const {
    *out = Find(key);
    if (*out == nullptr && need == kRequired) {
      return Bad(path_.Where(), "missing required key " + Quote(key));
    }
    return Status::Ok();
  }

  Status String(std::string_view key, std::string* out,
                Need need = kOptional) const {
    const json::value* v = nullptr;
    PL_RETURN_IF_ERROR(Get(key, need, &v));
    if (v == nullptr) return Status::Ok();
    PL_ASSIGN_OR_RETURN(*out, ScalarText(*v, Path(key)));
    return Status::Ok();
  }

  Status Integer(std::string_view key, long long min, long long max,
                 long long* out, Need need = kOptional) const {
    const json::value* v = nullptr;
    PL_RETURN_IF_ERROR(Get(key, need, &v));
    if (v == nullptr) return Status::Ok();
    PL_ASSIGN_OR_RETURN(*out, IntegerValue(*v, Path(key), min, max));
    return Status::Ok();
  }

  Status Bool(std::string_view key, bool* out) const {
    const json::value* v = Find(key);
    if (v == nullptr) return Status::Ok();
    PL_ASSIGN_OR_RETURN(*out, BoolValue(*v, Path(key)));
    return Status::Ok();
  }

  // A text field run through one of the model's parsers, whose message
  // follows the path. Strings are parsed in place, without a copy.
  template <typename T, typename Parse>
  Status Parsed(std::string_view key, Parse parse, T* out,
                Need need = kOptional) const {
    const json::value* v = nullptr;
    PL_RETURN_IF_ERROR(Get(key, need, &v));
    if (v == nullptr) return Status::Ok();
    std::string spelt;
    std::string_view text;
    if (v->is_string()) {
      text = v->get_string();
    } else {
      PL_ASSIGN_OR_RETURN(spelt, ScalarText(*v, Path(key)));
      text = spelt;
    }
    auto parsed = parse(text);
    if (!parsed.ok()) return Bad(Path(key).Text(), parsed.status().message());
    *out = std::move(parsed).value();
    return Status::Ok();
  }

  Status RoleField(std::string_view key, Role* out) const {
    auto parse = [](std::string_view text) -> Result<Role> {
      if (auto role = ParseRole(text)) return *role;
      return Status::Corrupt("invalid role " + Quote(text) +
                             " (expected Started, Stopped, Promoted or "
                             "Unpromoted)");
    };
    return Parsed(key, parse, out);
  }

  Status Attrs(std::string_view key, Attributes* out) const {
    const json::value* v = Find(key);
    if (v == nullptr) return Status::Ok();
    PL_ASSIGN_OR_RETURN(Fields map, Open(*v, Path(key), {}));
    for (const auto& kv : map.object()) {
      PL_ASSIGN_OR_RETURN(std::string value,
                          ScalarText(kv.value(), map.Path(kv.key())));
      out->Set(std::string(kv.key()), std::move(value));
    }
    return Status::Ok();
  }

  Status Strings(std::string_view key, std::vector<std::string>* out,
                 Need need = kOptional) const {
    const json::value* v = nullptr;
    PL_RETURN_IF_ERROR(Get(key, need, &v));
    if (v == nullptr) return Status::Ok();
    const JsonPath list = Path(key);
    if (!v->is_array()) return Expected(list.Text(), "a list", *v);
    out->reserve(out->size() + v->get_array().size());
    size_t i = 0;
    for (const json::value& item : v->get_array()) {
      PL_ASSIGN_OR_RETURN(std::string s, ScalarText(item, list.Index(i++)));
      out->push_back(std::move(s));
    }
    return Status::Ok();
  }

  // Calls read(item, path) for each element of the list at key.
  template <typename T, typename Read>
  Status List(std::string_view key, Read read, std::vector<T>* out) const {
    const json::value* v = Find(key);
    if (v == nullptr) return Status::Ok();
    const JsonPath list = Path(key);
    if (!v->is_array()) return Expected(list.Text(), "a list", *v);
    out->reserve(out->size() + v->get_array().size());
    size_t i = 0;
    for (const json::value& item : v->get_array()) {
      PL_ASSIGN_OR_RETURN(T element, read(item, list.Index(i++)));
      out->push_back(std::move(element));
    }
    return Status::Ok();
  }

  // Which of `kinds` is present: exactly one must be.
  Result<std::string_view> Kind(
      std::initializer_list<std::string_view> kinds) const {
    std::string_view found;
    for (std::string_view k : kinds) {
      if (Find(k) == nullptr) continue;
      if (!found.empty()) {
        return Bad(path_.Where(), "has both " + Quote(found) + " and " +
                                      Quote(k) + " (one kind key per entry)");
      }
      found = k;
    }
    if (found.empty()) {
      std::string names;
      for (std::string_view k : kinds) {
        names += (names.empty() ? "" : ", ") + std::string(k);
      }
      return Bad(path_.Where(), "missing the kind key (one of " + names + ")");
    }
    return found;
  }

 private:
  Fields(const json::object& obj, const JsonPath& path)
      : obj_(&obj), path_(path) {}

  const json::object* obj_;
  JsonPath path_;
};

constexpr Fields::Need kRequired = Fields::kRequired;

Result<Node> ReadNode(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(
      Fields f, Fields::Open(v, path,
                             {"name", "id", "type", "description", "attributes",
                              "utilization"}));
  Node node;
  long long id = 0;
  PL_RETURN_IF_ERROR(f.String("name", &node.name, kRequired));
  PL_RETURN_IF_ERROR(f.Integer("id", 0, UINT_MAX, &id));
  node.id = static_cast<unsigned>(id);
  PL_RETURN_IF_ERROR(f.String("type", &node.type));
  PL_RETURN_IF_ERROR(f.String("description", &node.description));
  PL_RETURN_IF_ERROR(f.Attrs("attributes", &node.attributes));
  PL_RETURN_IF_ERROR(f.Attrs("utilization", &node.utilization));
  return node;
}

// An op is a flat map: its name, then its attributes as written.
Result<Operation> ReadOperation(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(Fields f, Fields::Open(v, path, {}));
  Operation op;
  PL_RETURN_IF_ERROR(f.String("name", &op.name, kRequired));
  for (const auto& kv : f.object()) {
    if (kv.key() == "name") continue;
    PL_ASSIGN_OR_RETURN(std::string value,
                        ScalarText(kv.value(), f.Path(kv.key())));
    op.attrs.Set(std::string(kv.key()), std::move(value));
  }
  return op;
}

Status ReadPrimitive(const Fields& f, Resource* r) {
  PL_RETURN_IF_ERROR(f.Parsed("agent", ParseAgentSpec, &r->agent, kRequired));
  PL_RETURN_IF_ERROR(f.Attrs("params", &r->params));
  PL_RETURN_IF_ERROR(f.Attrs("utilization", &r->utilization));
  return f.List("ops", ReadOperation, &r->ops);
}

Status ReadClone(const Fields& f, Resource* r) {
  const bool has_child = f.Find("child") != nullptr;
  const bool has_children = f.Find("children") != nullptr;
  if (has_child && has_children) {
    return Status::Corrupt(f.Path("children").Text() +
                           ": a clone has either 'child' or 'children'");
  }
  if (has_children) {
    PL_RETURN_IF_ERROR(f.Strings("children", &r->children));
  } else {
    std::string child;
    PL_RETURN_IF_ERROR(f.String("child", &child, kRequired));
    r->children.push_back(std::move(child));
  }
  r->promotable = r->ms_syntax;
  return f.Bool("promotable", &r->promotable);
}

// The keys a resource entry may hold depend on its kind key.
Result<Fields> OpenResource(const json::value& v, const JsonPath& path,
                            std::string_view kind) {
  if (kind == "primitive") {
    return Fields::Open(v, path,
                        {"primitive", "agent", "description", "params",
                         "utilization", "ops", "meta"});
  }
  if (kind == "group") {
    return Fields::Open(v, path, {"group", "description", "members", "meta"});
  }
  return Fields::Open(
      v, path,
      {kind, "description", "child", "children", "promotable", "meta"});
}

Result<Resource> ReadResource(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(Fields any, Fields::Open(v, path, {}));
  PL_ASSIGN_OR_RETURN(std::string_view kind,
                      any.Kind({"primitive", "group", "clone", "ms"}));
  PL_ASSIGN_OR_RETURN(Fields f, OpenResource(v, path, kind));
  Resource r;
  if (kind == "group") r.kind = ResourceKind::kGroup;
  if (kind == "clone" || kind == "ms") r.kind = ResourceKind::kClone;
  r.ms_syntax = kind == "ms";
  PL_RETURN_IF_ERROR(f.String(kind, &r.id, kRequired));
  PL_RETURN_IF_ERROR(f.String("description", &r.description));
  if (r.IsPrimitive()) PL_RETURN_IF_ERROR(ReadPrimitive(f, &r));
  if (r.IsGroup()) {
    PL_RETURN_IF_ERROR(f.Strings("members", &r.children, kRequired));
  }
  if (r.IsClone()) PL_RETURN_IF_ERROR(ReadClone(f, &r));
  PL_RETURN_IF_ERROR(f.Attrs("meta", &r.meta));
  return r;
}

Result<Location> ReadLocation(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(Fields f,
                      Fields::Open(v, path,
                                   {"location", "rsc", "role", "score", "node",
                                    "expires", "resource-discovery"}));
  Location l;
  PL_RETURN_IF_ERROR(f.String("location", &l.id, kRequired));
  PL_RETURN_IF_ERROR(f.String("rsc", &l.rsc, kRequired));
  PL_RETURN_IF_ERROR(f.RoleField("role", &l.role));
  PL_RETURN_IF_ERROR(f.Parsed("score", ParseScore, &l.score, kRequired));
  PL_RETURN_IF_ERROR(f.String("node", &l.node, kRequired));
  PL_RETURN_IF_ERROR(f.Parsed("expires", ParseTimestamp, &l.expires));
  PL_RETURN_IF_ERROR(f.String("resource-discovery", &l.resource_discovery));
  return l;
}

Result<Colocation> ReadColocation(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(Fields f,
                      Fields::Open(v, path,
                                   {"colocation", "score", "rsc", "rsc-role",
                                    "with-rsc", "with-rsc-role"}));
  Colocation c;
  PL_RETURN_IF_ERROR(f.String("colocation", &c.id, kRequired));
  PL_RETURN_IF_ERROR(f.Parsed("score", ParseScore, &c.score, kRequired));
  PL_RETURN_IF_ERROR(f.String("rsc", &c.rsc, kRequired));
  PL_RETURN_IF_ERROR(f.RoleField("rsc-role", &c.rsc_role));
  PL_RETURN_IF_ERROR(f.String("with-rsc", &c.with_rsc, kRequired));
  PL_RETURN_IF_ERROR(f.RoleField("with-rsc-role", &c.with_rsc_role));
  return c;
}

Result<OrderKind> ParseOrderKindField(std::string_view text) {
  if (auto kind = ParseOrderKind(text)) return *kind;
  return Status::Corrupt("invalid order kind " + Quote(text) +
                         " (expected Mandatory, Optional or Serialize)");
}

Result<Action> ParseActionField(std::string_view text) {
  if (auto action = ParseAction(text)) return *action;
  return Status::Corrupt("invalid action " + Quote(text) +
                         " (expected start, stop, promote or demote)");
}

Result<Order> ReadOrder(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(
      Fields f, Fields::Open(v, path,
                             {"order", "kind", "score", "first", "first-action",
                              "then", "then-action", "symmetrical"}));
  Order o;
  PL_RETURN_IF_ERROR(f.String("order", &o.id, kRequired));
  PL_RETURN_IF_ERROR(f.Parsed("kind", ParseOrderKindField, &o.kind));
  PL_RETURN_IF_ERROR(f.Parsed("score", ParseScore, &o.score));
  PL_RETURN_IF_ERROR(f.String("first", &o.first, kRequired));
  PL_RETURN_IF_ERROR(
      f.Parsed("first-action", ParseActionField, &o.first_action));
  PL_RETURN_IF_ERROR(f.String("then", &o.then, kRequired));
  PL_RETURN_IF_ERROR(f.Parsed("then-action", ParseActionField, &o.then_action));
  if (f.Find("symmetrical") != nullptr) {
    bool symmetrical = false;
    PL_RETURN_IF_ERROR(f.Bool("symmetrical", &symmetrical));
    o.symmetrical = symmetrical;
  }
  return o;
}

Result<Constraint> ReadConstraint(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(Fields any, Fields::Open(v, path, {}));
  PL_ASSIGN_OR_RETURN(std::string_view kind,
                      any.Kind({"location", "colocation", "order"}));
  if (kind == "location") {
    PL_ASSIGN_OR_RETURN(Location l, ReadLocation(v, path));
    return Constraint(std::move(l));
  }
  if (kind == "colocation") {
    PL_ASSIGN_OR_RETURN(Colocation c, ReadColocation(v, path));
    return Constraint(std::move(c));
  }
  PL_ASSIGN_OR_RETURN(Order o, ReadOrder(v, path));
  return Constraint(std::move(o));
}

Result<Configuration> ReadConfiguration(const json::value& v,
                                        const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(Fields f,
                      Fields::Open(v, path,
                                   {"properties", "rsc_defaults", "op_defaults",
                                    "nodes", "resources", "constraints"}));
  Configuration c;
  PL_RETURN_IF_ERROR(f.Attrs("properties", &c.properties));
  PL_RETURN_IF_ERROR(f.Attrs("rsc_defaults", &c.rsc_defaults));
  PL_RETURN_IF_ERROR(f.Attrs("op_defaults", &c.op_defaults));
  PL_RETURN_IF_ERROR(f.List("nodes", ReadNode, &c.nodes));
  PL_RETURN_IF_ERROR(f.List("resources", ReadResource, &c.resources));
  PL_RETURN_IF_ERROR(f.List("constraints", ReadConstraint, &c.constraints));
  return c;
}

Result<ResourceState> ReadResourceState(const json::value& v,
                                        const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(Fields f, Fields::Open(v, path,
                                             {"id", "role", "failed",
                                              "fail-count", "last-failure"}));
  ResourceState rs;
  PL_RETURN_IF_ERROR(f.String("id", &rs.id, kRequired));
  PL_RETURN_IF_ERROR(f.RoleField("role", &rs.role));
  PL_RETURN_IF_ERROR(f.Bool("failed", &rs.failed));
  PL_RETURN_IF_ERROR(f.Parsed("fail-count", ParseScore, &rs.fail_count));
  PL_RETURN_IF_ERROR(
      f.Parsed("last-failure", ParseTimestamp, &rs.last_failure));
  return rs;
}

Result<NodeState> ParseNodeStateField(std::string_view text) {
  if (auto state = ParseNodeState(text)) return *state;
  return Status::Corrupt("invalid node state " + Quote(text) +
                         " (expected online, offline, unclean or pending)");
}

Result<NodeStatus> ReadNodeStatus(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(
      Fields f,
      Fields::Open(v, path, {"name", "state", "attributes", "resources"}));
  NodeStatus ns;
  PL_RETURN_IF_ERROR(f.String("name", &ns.name, kRequired));
  PL_RETURN_IF_ERROR(
      f.Parsed("state", ParseNodeStateField, &ns.state, kRequired));
  PL_RETURN_IF_ERROR(f.Attrs("attributes", &ns.attributes));
  PL_RETURN_IF_ERROR(f.List("resources", ReadResourceState, &ns.resources));
  return ns;
}

Result<FailedAction> ReadFailure(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(
      Fields f, Fields::Open(v, path,
                             {"resource", "node", "action", "interval-ms", "rc",
                              "status", "reason", "at", "output"}));
  FailedAction fa;
  long long rc = 0;
  PL_RETURN_IF_ERROR(f.String("resource", &fa.resource, kRequired));
  PL_RETURN_IF_ERROR(f.String("node", &fa.node, kRequired));
  PL_RETURN_IF_ERROR(f.String("action", &fa.action, kRequired));
  PL_RETURN_IF_ERROR(f.Integer("interval-ms", 0, LLONG_MAX, &fa.interval_ms));
  PL_RETURN_IF_ERROR(f.Integer("rc", INT_MIN, INT_MAX, &rc));
  fa.rc = static_cast<int>(rc);
  PL_RETURN_IF_ERROR(f.String("status", &fa.status));
  PL_RETURN_IF_ERROR(f.String("reason", &fa.reason));
  PL_RETURN_IF_ERROR(f.Parsed("at", ParseTimestamp, &fa.at));
  PL_RETURN_IF_ERROR(f.String("output", &fa.output));
  return fa;
}

Result<ClusterStatus> ReadStatus(const json::value& v, const JsonPath& path) {
  PL_ASSIGN_OR_RETURN(
      Fields f, Fields::Open(v, path, {"dc", "quorum", "nodes", "failures"}));
  ClusterStatus s;
  PL_RETURN_IF_ERROR(f.String("dc", &s.dc));
  PL_RETURN_IF_ERROR(f.Bool("quorum", &s.quorate));
  PL_RETURN_IF_ERROR(f.List("nodes", ReadNodeStatus, &s.nodes));
  PL_RETURN_IF_ERROR(f.List("failures", ReadFailure, &s.failures));
  return s;
}

}  // namespace

// Versions default to 0 and both sections to empty, so a hand-written file
// (a test fixture, a first configuration) needs only what it uses.
Result<Document> DocumentFromJson(const boost::json::value& tree) {
  PL_ASSIGN_OR_RETURN(Fields f,
                      Fields::Open(tree, JsonPath(),
                                   {"admin_epoch", "epoch", "num_updates",
                                    "configuration", "status"}));
  Document doc;
  PL_RETURN_IF_ERROR(
      f.Integer("admin_epoch", 0, LLONG_MAX, &doc.versions.admin_epoch));
  PL_RETURN_IF_ERROR(f.Integer("epoch", 0, LLONG_MAX, &doc.versions.epoch));
  PL_RETURN_IF_ERROR(
      f.Integer("num_updates", 0, LLONG_MAX, &doc.versions.num_updates));
  if (const json::value* c = f.Find("configuration")) {
    PL_ASSIGN_OR_RETURN(doc.config,
                        ReadConfiguration(*c, f.Path("configuration")));
  }
  if (const json::value* s = f.Find("status")) {
    PL_ASSIGN_OR_RETURN(doc.status, ReadStatus(*s, f.Path("status")));
  }
  return doc;
}

}  // namespace paceline::cib
