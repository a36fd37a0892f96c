// Writing the document tree of cib/document_json.h.
//
// Keys come in a fixed order and empty optional fields are left out, so the
// same Document always gives the same tree and cib.yaml stays short enough
// to read and diff. Versions are the exception: they are always written
// because replication compares them. Every field written here is read back
// by document_json_read.cc; the two files change together.
#include <string>
#include <string_view>
#include <variant>

#include "cib/document_json.h"
#include "cib/duration.h"

namespace paceline::cib {
namespace {

namespace json = boost::json;

json::value AttributesToJson(const Attributes& attrs) {
  json::object out;
  for (const NvPair& p : attrs) out[p.name] = p.value;
  return out;
}

json::value StringsToJson(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

void PutString(json::object& o, std::string_view key, std::string_view v) {
  if (!v.empty()) o[key] = v;
}

void PutAttributes(json::object& o, std::string_view key,
                   const Attributes& attrs) {
  if (!attrs.empty()) o[key] = AttributesToJson(attrs);
}

void PutRole(json::object& o, std::string_view key, Role role) {
  if (role != Role::kUnknown) o[key] = RoleName(role);
}

void PutTime(json::object& o, std::string_view key,
             const std::optional<WallTime>& t) {
  if (t) o[key] = FormatTimestamp(*t);
}

json::value NodeToJson(const Node& node) {
  json::object o;
  o["name"] = node.name;
  if (node.id != 0) o["id"] = static_cast<std::int64_t>(node.id);
  PutString(o, "type", node.type);
  PutString(o, "description", node.description);
  PutAttributes(o, "attributes", node.attributes);
  PutAttributes(o, "utilization", node.utilization);
  return o;
}

json::value OperationToJson(const Operation& op) {
  json::object o;
  o["name"] = op.name;
  // emplace keeps the first value: an attribute called "name" cannot
  // replace the operation's name (the flat layout has no room for it).
  for (const NvPair& p : op.attrs) o.emplace(p.name, p.value);
  return o;
}

void PutPrimitiveFields(json::object& o, const Resource& r) {
  o["agent"] = r.agent.ToString();
  PutString(o, "description", r.description);
  PutAttributes(o, "params", r.params);
  PutAttributes(o, "utilization", r.utilization);
  if (!r.ops.empty()) {
    json::array ops;
    for (const Operation& op : r.ops) ops.push_back(OperationToJson(op));
    o["ops"] = std::move(ops);
  }
}

void PutCloneFields(json::object& o, const Resource& r) {
  PutString(o, "description", r.description);
  // A clone has exactly one child; anything else is kept rather than lost
  // so that validation can report it after a reload.
  if (r.children.size() == 1) {
    o["child"] = r.children.front();
  } else {
    o["children"] = StringsToJson(r.children);
  }
  // `ms` implies promotable and `clone` implies not; only say otherwise.
  if (r.promotable != r.ms_syntax) o["promotable"] = r.promotable;
}

json::value ResourceToJson(const Resource& r) {
  json::object o;
  o[KindName(r)] = r.id;
  switch (r.kind) {
    case ResourceKind::kPrimitive:
      PutPrimitiveFields(o, r);
      break;
    case ResourceKind::kGroup:
      PutString(o, "description", r.description);
      o["members"] = StringsToJson(r.children);
      break;
    case ResourceKind::kClone:
      PutCloneFields(o, r);
      break;
  }
  PutAttributes(o, "meta", r.meta);
  return o;
}

json::value LocationToJson(const Location& l) {
  json::object o;
  o["location"] = l.id;
  o["rsc"] = l.rsc;
  PutRole(o, "role", l.role);
  o["score"] = l.score.ToString();
  o["node"] = l.node;
  PutTime(o, "expires", l.expires);
  PutString(o, "resource-discovery", l.resource_discovery);
  return o;
}

json::value ColocationToJson(const Colocation& c) {
  json::object o;
  o["colocation"] = c.id;
  o["score"] = c.score.ToString();
  o["rsc"] = c.rsc;
  PutRole(o, "rsc-role", c.rsc_role);
  o["with-rsc"] = c.with_rsc;
  PutRole(o, "with-rsc-role", c.with_rsc_role);
  return o;
}

json::value OrderToJson(const Order& ord) {
  json::object o;
  o["order"] = ord.id;
  if (ord.kind) o["kind"] = OrderKindName(*ord.kind);
  if (ord.score) o["score"] = ord.score->ToString();
  o["first"] = ord.first;
  PutString(o, "first-action", ActionName(ord.first_action));
  o["then"] = ord.then;
  PutString(o, "then-action", ActionName(ord.then_action));
  if (ord.symmetrical) o["symmetrical"] = *ord.symmetrical;
  return o;
}

json::value ConstraintToJson(const Constraint& c) {
  if (const auto* l = std::get_if<Location>(&c)) return LocationToJson(*l);
  if (const auto* co = std::get_if<Colocation>(&c)) {
    return ColocationToJson(*co);
  }
  return OrderToJson(std::get<Order>(c));
}

template <typename T, typename F>
void PutList(json::object& o, std::string_view key, const std::vector<T>& v,
             F to_json) {
  if (v.empty()) return;
  json::array out;
  for (const T& item : v) out.push_back(to_json(item));
  o[key] = std::move(out);
}

json::value ResourceStateToJson(const ResourceState& rs) {
  json::object o;
  o["id"] = rs.id;
  PutRole(o, "role", rs.role);
  if (rs.failed) o["failed"] = true;
  if (rs.fail_count.value() != 0) o["fail-count"] = rs.fail_count.ToString();
  PutTime(o, "last-failure", rs.last_failure);
  return o;
}

json::value NodeStatusToJson(const NodeStatus& ns) {
  json::object o;
  o["name"] = ns.name;
  o["state"] = NodeStateName(ns.state);
  PutAttributes(o, "attributes", ns.attributes);
  PutList(o, "resources", ns.resources, ResourceStateToJson);
  return o;
}

json::value FailureToJson(const FailedAction& f) {
  json::object o;
  o["resource"] = f.resource;
  o["node"] = f.node;
  o["action"] = f.action;
  o["interval-ms"] = static_cast<std::int64_t>(f.interval_ms);
  o["rc"] = f.rc;
  PutString(o, "status", f.status);
  PutString(o, "reason", f.reason);
  o["at"] = FormatTimestamp(f.at);
  PutString(o, "output", f.output);
  return o;
}

json::object StatusToJson(const ClusterStatus& status) {
  json::object o;
  PutString(o, "dc", status.dc);
  if (!status.quorate) o["quorum"] = false;
  PutList(o, "nodes", status.nodes, NodeStatusToJson);
  PutList(o, "failures", status.failures, FailureToJson);
  return o;
}

}  // namespace

json::object ConfigurationToJson(const Configuration& config) {
  json::object o;
  PutAttributes(o, "properties", config.properties);
  PutAttributes(o, "rsc_defaults", config.rsc_defaults);
  PutAttributes(o, "op_defaults", config.op_defaults);
  PutList(o, "nodes", config.nodes, NodeToJson);
  PutList(o, "resources", config.resources, ResourceToJson);
  PutList(o, "constraints", config.constraints, ConstraintToJson);
  return o;
}

json::object DocumentToJson(const Document& doc) {
  json::object o;
  o["admin_epoch"] = static_cast<std::int64_t>(doc.versions.admin_epoch);
  o["epoch"] = static_cast<std::int64_t>(doc.versions.epoch);
  o["num_updates"] = static_cast<std::int64_t>(doc.versions.num_updates);
  o["configuration"] = ConfigurationToJson(doc.config);
  if (!doc.status.empty()) o["status"] = StatusToJson(doc.status);
  return o;
}

}  // namespace paceline::cib
