// Pacemaker CIB XML -> Document: the document, versions, cluster options,
// nodes and resources. Constraints and the status section are in
// pacemaker_xml_import_constraints.cc and pacemaker_xml_import_status.cc.
#include "cib/pacemaker_xml.h"
#include "cib/pacemaker_xml_internal.h"
#include "cib/validate.h"
#include "common/strings.h"

namespace paceline::cib {

namespace pacemaker {

std::string AttrOr(const Tree& e, std::string_view name, std::string fallback) {
  std::optional<std::string_view> v = Attr(e, name);
  return v ? std::string(*v) : fallback;
}

std::string Describe(std::string_view tag, const Tree& e) {
  std::optional<std::string_view> id = Attr(e, "id");
  return "<" + std::string(tag) + (id ? " id=" + Quote(*id) : "") + ">";
}

Result<const Tree*> ImportContext::Resolve(std::string_view tag,
                                           const Tree& e) const {
  std::optional<std::string_view> ref = Attr(e, "id-ref");
  if (!ref) return &e;
  if (!indexed_) {
    IndexIds(*root);
    indexed_ = true;
  }
  auto it = ids_.find(*ref);
  if (it == ids_.end()) {
    return Status::NotFound("Pacemaker XML: <" + std::string(tag) + " id-ref=" +
                            Quote(*ref) + ">: no element has that id");
  }
  return it->second;
}

void ImportContext::IndexIds(const Tree& e) const {
  for (const auto& [key, child] : e) {
    if (std::optional<std::string_view> id = Attr(child, "id")) {
      if (!Attr(child, "id-ref")) ids_.emplace(*id, &child);
    }
    IndexIds(child);
  }
}

Status ReadNvSet(const ImportContext& ctx, std::string_view tag,
                 const Tree& set_in, std::string_view owner, Attributes* out) {
  PL_ASSIGN_OR_RETURN(const Tree* set, ctx.Resolve(tag, set_in));
  for (const auto& [key, child] : *set) {
    if (key == "rule") {
      return Status::Invalid(
          "Pacemaker XML: " + std::string(owner) + ": " + Describe(tag, *set) +
          " has a <rule>; conditional attributes are not supported");
    }
    if (key != "nvpair") continue;
    PL_ASSIGN_OR_RETURN(const Tree* nv, ctx.Resolve("nvpair", child));
    std::optional<std::string_view> name = Attr(*nv, "name");
    if (!name || name->empty()) {
      return Status::Syntax("Pacemaker XML: " + std::string(owner) + ": " +
                            Describe("nvpair", *nv) + " has no name");
    }
    if (!out->Get(*name)) out->Set(std::string(*name), AttrOr(*nv, "value"));
  }
  return Status::Ok();
}

}  // namespace pacemaker

namespace {

using namespace pacemaker;  // NOLINT: this file implements that namespace

// Cluster properties Pacemaker renamed into defaults long ago, mapped the
// way `crm configure property` maps them.
struct Renamed {
  std::string_view property;
  Attributes Configuration::*section;
  std::string_view section_name;
  std::string_view name;
};
constexpr Renamed kRenamed[] = {
    {"default-resource-stickiness", &Configuration::rsc_defaults,
     "rsc_defaults", "resource-stickiness"},
    {"is-managed-default", &Configuration::rsc_defaults, "rsc_defaults",
     "is-managed"},
    {"default-action-timeout", &Configuration::op_defaults, "op_defaults",
     "timeout"},
};

Status ImportCrmConfig(ImportContext& ctx, const Tree& crm_config,
                       Configuration* c) {
  // Pacemaker reads cib-bootstrap-options first, then the other sets in
  // order; the first set naming a property wins.
  std::vector<const Tree*> sets;
  for (const auto& [key, set] : crm_config) {
    if (key != "cluster_property_set") continue;
    if (AttrOr(set, "id") == "cib-bootstrap-options") {
      sets.insert(sets.begin(), &set);
    } else {
      sets.push_back(&set);
    }
  }
  if (sets.size() > 1) {
    ctx.Note("crm_config: " + std::to_string(sets.size()) +
             " cluster_property_sets merged into one (the first naming a "
             "property wins)");
  }
  Attributes all;
  for (const Tree* set : sets) {
    PL_RETURN_IF_ERROR(
        ReadNvSet(ctx, "cluster_property_set", *set, "crm_config", &all));
  }
  for (const auto& p : all) {
    bool renamed = false;
    for (const auto& r : kRenamed) {
      if (p.name != r.property) continue;
      renamed = true;
      Attributes& target = c->*r.section;
      if (!target.Get(r.name)) target.Set(std::string(r.name), p.value);
      ctx.Note("crm_config: " + p.name + " is deprecated; mapped to " +
               std::string(r.section_name) + " " + std::string(r.name));
    }
    if (!renamed) c->properties.Set(p.name, p.value);
  }
  return Status::Ok();
}

Status ImportDefaults(ImportContext& ctx, const Tree& section,
                      std::string_view name, Attributes* out) {
  for (const auto& [key, set] : section) {
    if (key == "meta_attributes" || key == "instance_attributes") {
      PL_RETURN_IF_ERROR(ReadNvSet(ctx, key, set, name, out));
    }
  }
  return Status::Ok();
}

Status ImportNode(ImportContext& ctx, const Tree& e, Configuration* c) {
  Node n;
  n.name = AttrOr(e, "uname");
  std::string id = AttrOr(e, "id");
  if (n.name.empty()) n.name = id;
  if (n.name.empty()) {
    return Status::Syntax("Pacemaker XML: <node> without uname or id");
  }
  long long number = 0;
  if (ParseInt64(id, &number) && number > 0 && number <= 0xffffffffLL) {
    n.id = unsigned(number);
  }
  n.type = AttrOr(e, "type");
  n.description = AttrOr(e, "description");
  std::string what = "node " + n.name;
  for (const auto& [key, set] : e) {
    if (key == "instance_attributes") {
      PL_RETURN_IF_ERROR(ReadNvSet(ctx, key, set, what, &n.attributes));
    } else if (key == "utilization") {
      PL_RETURN_IF_ERROR(ReadNvSet(ctx, key, set, what, &n.utilization));
    }
  }
  c->nodes.push_back(std::move(n));
  return Status::Ok();
}

Status ImportOperation(ImportContext& ctx, const Tree& op_in,
                       const std::string& rsc, Resource* r) {
  PL_ASSIGN_OR_RETURN(const Tree* op, ctx.Resolve("op", op_in));
  Operation o;
  o.name = AttrOr(*op, "name");
  if (o.name.empty()) {
    return Status::Syntax("Pacemaker XML: primitive " + rsc + ": " +
                          Describe("op", *op) + " has no name");
  }
  for (const auto& [key, value] : op->attributes()) {
    if (key != "id" && key != "name") {
      o.attrs.Set(std::string(key), std::string(value));
    }
  }
  std::string what = "primitive " + rsc + " op " + o.name;
  for (const auto& [key, set] : *op) {
    if (key == "instance_attributes" || key == "meta_attributes") {
      PL_RETURN_IF_ERROR(ReadNvSet(ctx, key, set, what, &o.attrs));
    }
  }
  r->ops.push_back(std::move(o));
  return Status::Ok();
}

Status ImportPrimitive(ImportContext& ctx, const Tree& e, Configuration* c) {
  Resource r;
  r.id = AttrOr(e, "id");
  if (Attr(e, "template")) {
    return Status::Invalid("Pacemaker XML: primitive " + r.id +
                           " uses a resource template; templates are not "
                           "supported");
  }
  std::string spec = AttrOr(e, "class");
  if (std::optional<std::string_view> provider = Attr(e, "provider")) {
    spec += ":" + std::string(*provider);
  }
  spec += ":" + AttrOr(e, "type");
  auto agent = ParseAgentSpec(spec);
  if (!agent.ok()) {
    return agent.status().WithContext("Pacemaker XML: primitive " + r.id);
  }
  r.agent = *agent;
  r.description = AttrOr(e, "description");
  std::string what = "primitive " + r.id;
  for (const auto& [key, child] : e) {
    if (key == "instance_attributes") {
      PL_RETURN_IF_ERROR(ReadNvSet(ctx, key, child, what, &r.params));
    } else if (key == "meta_attributes") {
      PL_RETURN_IF_ERROR(ReadNvSet(ctx, key, child, what, &r.meta));
    } else if (key == "utilization") {
      PL_RETURN_IF_ERROR(ReadNvSet(ctx, key, child, what, &r.utilization));
    } else if (key == "operations") {
      PL_ASSIGN_OR_RETURN(const Tree* ops, ctx.Resolve(key, child));
      for (const auto& [op_key, op] : *ops) {
        if (op_key == "op") {
          PL_RETURN_IF_ERROR(ImportOperation(ctx, op, r.id, &r));
        }
      }
    }
  }
  c->resources.push_back(std::move(r));
  return Status::Ok();
}

Status ImportResource(ImportContext& ctx, std::string_view tag, const Tree& e,
                      Configuration* c);

// Group or clone/master: meta (and params), then the children, which go
// into the vector before the container (the canonical order).
Status ImportContainer(ImportContext& ctx, std::string_view tag, const Tree& e,
                       Configuration* c) {
  Resource r;
  r.id = AttrOr(e, "id");
  r.kind = tag == "group" ? ResourceKind::kGroup : ResourceKind::kClone;
  r.description = AttrOr(e, "description");
  std::string what = std::string(tag) + " " + r.id;
  for (const auto& [key, child] : e) {
    if (key == "meta_attributes") {
      PL_RETURN_IF_ERROR(ReadNvSet(ctx, key, child, what, &r.meta));
    } else if (key == "instance_attributes") {
      PL_RETURN_IF_ERROR(ReadNvSet(ctx, key, child, what, &r.params));
    } else if (key == "primitive" || key == "group") {
      if (tag == "group" && key != "primitive") {
        return Status::Invalid("Pacemaker XML: group " + r.id +
                               ": a group may contain only primitives");
      }
      r.children.push_back(AttrOr(child, "id"));
      PL_RETURN_IF_ERROR(ImportResource(ctx, key, child, c));
    }
  }
  if (r.IsClone()) {
    if (r.children.size() != 1) {
      return Status::Invalid("Pacemaker XML: " + what +
                             " must contain exactly one primitive or group");
    }
    bool promotable = false;
    const std::string* meta = r.meta.Get("promotable");
    r.ms_syntax = tag == "master";
    r.promotable =
        r.ms_syntax || (meta && ParseBool(*meta, &promotable) && promotable);
    if (r.ms_syntax) {
      ctx.Note("master " + r.id +
               ": <master> is deprecated in Pacemaker 2.1; kept as `ms`");
    }
  }
  c->resources.push_back(std::move(r));
  return Status::Ok();
}

Status ImportResource(ImportContext& ctx, std::string_view tag, const Tree& e,
                      Configuration* c) {
  if (AttrOr(e, "id").empty()) {
    return Status::Syntax("Pacemaker XML: <" + std::string(tag) +
                          "> without an id");
  }
  if (tag == "primitive") return ImportPrimitive(ctx, e, c);
  if (tag == "group" || tag == "clone" || tag == "master") {
    return ImportContainer(ctx, tag, e, c);
  }
  return Status::Invalid("Pacemaker XML: " + Describe(tag, e) + ": " +
                         std::string(tag) + " resources are not supported");
}

Status ImportConfiguration(ImportContext& ctx, const Tree& conf,
                           Configuration* c) {
  for (const auto& [key, section] : conf) {
    if (key == "crm_config") {
      PL_RETURN_IF_ERROR(ImportCrmConfig(ctx, section, c));
    } else if (key == "rsc_defaults") {
      PL_RETURN_IF_ERROR(
          ImportDefaults(ctx, section, "rsc_defaults", &c->rsc_defaults));
    } else if (key == "op_defaults") {
      PL_RETURN_IF_ERROR(
          ImportDefaults(ctx, section, "op_defaults", &c->op_defaults));
    } else if (key == "nodes") {
      for (const auto& [k, node] : section) {
        if (k == "node") PL_RETURN_IF_ERROR(ImportNode(ctx, node, c));
      }
    } else if (key == "resources") {
      for (const auto& [k, r] : section) {
        PL_RETURN_IF_ERROR(ImportResource(ctx, k, r, c));
      }
    } else if (key == "constraints") {
      PL_RETURN_IF_ERROR(ImportConstraints(ctx, section, c));
    } else if (!section.empty()) {
      std::string tag(key);
      ctx.Note("configuration: <" + tag + "> ignored (Paceline has no " + tag +
               ")");
    }
  }
  return Status::Ok();
}

void ReadVersions(const Tree& cib, Versions* v) {
  auto read = [&](const char* name, long long* out) {
    long long n = 0;
    if (std::optional<std::string_view> s = Attr(cib, name);
        s && ParseInt64(*s, &n)) {
      *out = n;
    }
  };
  read("admin_epoch", &v->admin_epoch);
  read("epoch", &v->epoch);
  read("num_updates", &v->num_updates);
}

// <cib have-quorum>: the partition's quorum as the DC recorded it, which
// Pacemaker's scheduler starts from. The schema allows an XML boolean;
// without the attribute Pacemaker assumes no quorum, we keep our offline
// default (quorate) and say so.
Status ReadQuorum(ImportContext& ctx, const Tree& cib, ClusterStatus* status) {
  std::optional<std::string_view> value = Attr(cib, "have-quorum");
  if (!value) {
    ctx.Note(
        "<cib> has no have-quorum: assuming quorum (Pacemaker assumes none)");
    return Status::Ok();
  }
  if (!ParseBool(*value, &status->quorate)) {
    return Status::Syntax("Pacemaker XML: <cib have-quorum=" + Quote(*value) +
                          ">: expected true or false");
  }
  return Status::Ok();
}

}  // namespace

Result<ImportedCib> ImportPacemakerXml(std::string_view xml) {
  OpCollector ops(xml);
  auto parsed = xml::Parse(xml, &ops);
  if (!parsed.ok()) return parsed.status().WithContext("Pacemaker XML");
  const Tree* cib = &parsed->root();
  if (cib->tag() != "cib")
    return Status::Syntax("Pacemaker XML: no <cib> element");
  const Tree* conf = cib->Child("configuration");
  if (!conf)
    return Status::Syntax("Pacemaker XML: <cib> has no <configuration>");
  ImportContext ctx(*cib);
  ctx.ops = &ops;
  ImportedCib out;
  ReadVersions(*cib, &out.doc.versions);
  PL_RETURN_IF_ERROR(ImportConfiguration(ctx, *conf, &out.doc.config));
  out.doc.config.Canonicalize();
  if (Status s = Validate(out.doc.config); !s.ok()) {
    return s.WithContext("Pacemaker XML");
  }
  if (const Tree* status = cib->Child("status")) {
    PL_RETURN_IF_ERROR(ImportStatus(ctx, *cib, *status, &out.doc));
  }
  PL_RETURN_IF_ERROR(ReadQuorum(ctx, *cib, &out.doc.status));
  out.notes = std::move(ctx.notes);
  return out;
}

}  // namespace paceline::cib
