// Document -> Pacemaker CIB XML (the configuration; the status section is
// in pacemaker_xml_export_status.cc). Ids Pacemaker requires and we do not
// keep are generated the way crmsh generates them (RSC-instance_attributes,
// RSC-monitor-10s, cib-bootstrap-options-NAME, ...), made unique.
#include <set>

#include "cib/duration.h"
#include "cib/pacemaker_xml.h"
#include "cib/pacemaker_xml_internal.h"
#include "common/strings.h"

namespace paceline::cib {

namespace pacemaker {

std::string EscapeAttr(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void XmlWriter::Open(std::string_view tag, const XmlAttrs& attrs, bool empty) {
  out_.append(size_t(depth_) * 2, ' ');
  out_ += '<';
  out_ += tag;
  for (const auto& [name, value] : attrs) {
    out_ += ' ' + name + "=\"" + EscapeAttr(value) + '"';
  }
  out_ += empty ? "/>\n" : ">\n";
  if (!empty) ++depth_;
}

void XmlWriter::Close(std::string_view tag) {
  --depth_;
  out_.append(size_t(depth_) * 2, ' ');
  out_ += "</" + std::string(tag) + ">\n";
}

std::string SanitizeId(std::string_view text) {
  std::string id;
  for (char c : text) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
              c == '-' || c == '.';
    id += ok && static_cast<unsigned char>(c) < 0x80 ? c : '_';
  }
  if (id.empty() ||
      !(std::isalpha(static_cast<unsigned char>(id[0])) || id[0] == '_')) {
    id.insert(id.begin(), '_');
  }
  return id;
}

}  // namespace pacemaker

namespace {

using namespace pacemaker;  // NOLINT: this file implements that namespace

// Op attributes the schema has as XML attributes; anything else (e.g.
// OCF_CHECK_LEVEL) goes into the op's instance_attributes, as crmsh does.
constexpr std::string_view kOpXmlAttrs[] = {
    "interval",        "timeout", "description",    "start-delay",
    "interval-origin", "enabled", "record-pending", "role",
    "requires",        "on-fail"};

// Schemas before pacemaker-3.0 (Pacemaker 1.1) know promotable clones only
// as <master>.
bool HasPromotableClones(std::string_view schema) {
  constexpr std::string_view kPrefix = "pacemaker-";
  if (schema.substr(0, kPrefix.size()) != kPrefix) return true;
  std::string_view version = schema.substr(kPrefix.size());
  return version.empty() || version[0] < '0' || version[0] > '2' ||
         (version.size() > 1 && version[1] != '.');
}

// A clone's meta as Pacemaker must read it: the model's `promotable` field
// decides, whatever the meta says (a model built in code may have the field
// without the entry).
Attributes CloneMeta(const cib::Resource& r, bool as_master) {
  Attributes meta = r.meta;
  bool flag = false;
  const std::string* value = meta.Get("promotable");
  bool meta_true = value && ParseBool(*value, &flag) && flag;
  if (!as_master && r.promotable && !meta_true) meta.Set("promotable", "true");
  if (!r.promotable && meta_true) meta.Set("promotable", "false");
  return meta;
}

class ConfigWriter {
 public:
  ConfigWriter(XmlWriter& w, bool promotable_clones)
      : w_(w), promotable_clones_(promotable_clones) {}

  // Unique ids across the document, as XML IDs must be.
  std::string Id(std::string_view wanted) {
    std::string base = SanitizeId(wanted);
    std::string id = base;
    for (int n = 1; !used_.insert(id).second; ++n) {
      id = base + "-" + std::to_string(n);
    }
    return id;
  }
  void Reserve(const Configuration& c) {
    for (const auto& r : c.resources) used_.insert(r.id);
    for (const auto& k : c.constraints) used_.insert(ConstraintId(k));
  }

  void NvSet(std::string_view tag, const std::string& id,
             const Attributes& attrs) {
    if (attrs.empty()) return;
    w_.Open(tag, {{"id", id}});
    for (const auto& p : attrs) {
      w_.Open(
          "nvpair",
          {{"id", Id(id + "-" + p.name)}, {"name", p.name}, {"value", p.value}},
          true);
    }
    w_.Close(tag);
  }

  void Properties(const Configuration& c) {
    w_.Open("crm_config", {});
    NvSet("cluster_property_set", Id("cib-bootstrap-options"), c.properties);
    w_.Close("crm_config");
  }

  void Nodes(const Configuration& c) {
    w_.Open("nodes", {}, c.nodes.empty());
    for (const auto& n : c.nodes) {
      XmlAttrs attrs = {{"id", NodeXmlId(n)}, {"uname", n.name}};
      if (!n.type.empty()) attrs.push_back({"type", n.type});
      if (!n.description.empty()) {
        attrs.push_back({"description", n.description});
      }
      bool empty = n.attributes.empty() && n.utilization.empty();
      w_.Open("node", attrs, empty);
      if (empty) continue;
      NvSet("instance_attributes", Id("nodes-" + NodeXmlId(n)), n.attributes);
      NvSet("utilization", Id("nodes-" + NodeXmlId(n) + "-utilization"),
            n.utilization);
      w_.Close("node");
    }
    if (!c.nodes.empty()) w_.Close("nodes");
  }

  void Op(const Resource& r, const Operation& op) {
    const std::string* interval = op.attrs.Get("interval");
    std::string id = Id(r.id + "-" + op.name + "-" +
                        (interval ? *interval : std::string("0")));
    XmlAttrs attrs = {{"id", id}, {"name", op.name}};
    if (!interval) attrs.push_back({"interval", "0"});
    Attributes extra;
    for (const auto& a : op.attrs) {
      bool xml = false;
      for (auto k : kOpXmlAttrs) xml = xml || a.name == k;
      if (xml) {
        attrs.push_back({a.name, a.value});
      } else {
        extra.Set(a.name, a.value);
      }
    }
    w_.Open("op", attrs, extra.empty());
    if (extra.empty()) return;
    NvSet("instance_attributes", Id(id + "-instance_attributes"), extra);
    w_.Close("op");
  }

  void Primitive(const Resource& r) {
    XmlAttrs attrs = {{"id", r.id}, {"class", r.agent.standard}};
    if (!r.agent.provider.empty()) {
      attrs.push_back({"provider", r.agent.provider});
    }
    attrs.push_back({"type", r.agent.type});
    if (!r.description.empty()) attrs.push_back({"description", r.description});
    bool empty = r.params.empty() && r.meta.empty() && r.utilization.empty() &&
                 r.ops.empty();
    w_.Open("primitive", attrs, empty);
    if (empty) return;
    NvSet("instance_attributes", Id(r.id + "-instance_attributes"), r.params);
    NvSet("meta_attributes", Id(r.id + "-meta_attributes"), r.meta);
    NvSet("utilization", Id(r.id + "-utilization"), r.utilization);
    if (!r.ops.empty()) {
      w_.Open("operations", {});
      for (const auto& op : r.ops) Op(r, op);
      w_.Close("operations");
    }
    w_.Close("primitive");
  }

  void Resource(const Configuration& c, const cib::Resource& r) {
    if (r.IsPrimitive()) return Primitive(r);
    bool as_master =
        r.IsClone() && (r.ms_syntax || (r.promotable && !promotable_clones_));
    std::string tag = r.IsGroup() ? "group" : (as_master ? "master" : "clone");
    XmlAttrs attrs = {{"id", r.id}};
    if (!r.description.empty()) attrs.push_back({"description", r.description});
    w_.Open(tag, attrs);
    NvSet("instance_attributes", Id(r.id + "-instance_attributes"), r.params);
    NvSet("meta_attributes", Id(r.id + "-meta_attributes"),
          r.IsClone() ? CloneMeta(r, as_master) : r.meta);
    for (const auto& child : r.children) {
      if (const cib::Resource* cr = c.FindResource(child)) Resource(c, *cr);
    }
    w_.Close(tag);
  }

  void Location(const cib::Location& l) {
    XmlAttrs attrs = {{"id", l.id}, {"rsc", l.rsc}};
    if (l.role != Role::kUnknown) {
      attrs.push_back({"role", std::string(RoleName(l.role))});
    }
    if (!l.resource_discovery.empty()) {
      attrs.push_back({"resource-discovery", l.resource_discovery});
    }
    if (!l.expires) {
      attrs.push_back({"score", l.score.ToString()});
      attrs.push_back({"node", l.node});
      w_.Open("rsc_location", attrs, true);
      return;
    }
    // crm_resource --move --lifetime's form.
    w_.Open("rsc_location", attrs);
    w_.Open("rule", {{"id", Id(l.id + "-rule")},
                     {"score", l.score.ToString()},
                     {"boolean-op", "and"}});
    w_.Open("expression",
            {{"id", Id(l.id + "-rule-expression")},
             {"attribute", "#uname"},
             {"operation", "eq"},
             {"value", l.node}},
            true);
    w_.Open("date_expression",
            {{"id", Id(l.id + "-rule-lifetime")},
             {"operation", "lt"},
             {"end", FormatTimestamp(*l.expires)}},
            true);
    w_.Close("rule");
    w_.Close("rsc_location");
  }

  void Constraint(const cib::Constraint& k) {
    if (const auto* l = std::get_if<cib::Location>(&k)) return Location(*l);
    if (const auto* co = std::get_if<Colocation>(&k)) {
      XmlAttrs attrs = {
          {"id", co->id}, {"score", co->score.ToString()}, {"rsc", co->rsc}};
      if (co->rsc_role != Role::kUnknown) {
        attrs.push_back({"rsc-role", std::string(RoleName(co->rsc_role))});
      }
      attrs.push_back({"with-rsc", co->with_rsc});
      if (co->with_rsc_role != Role::kUnknown) {
        attrs.push_back(
            {"with-rsc-role", std::string(RoleName(co->with_rsc_role))});
      }
      w_.Open("rsc_colocation", attrs, true);
      return;
    }
    const auto& o = std::get<cib::Order>(k);
    XmlAttrs attrs = {{"id", o.id}, {"first", o.first}};
    if (o.first_action != Action::kUnspecified) {
      attrs.push_back(
          {"first-action", std::string(ActionName(o.first_action))});
    }
    attrs.push_back({"then", o.then});
    if (o.then_action != Action::kUnspecified) {
      attrs.push_back({"then-action", std::string(ActionName(o.then_action))});
    }
    if (o.kind) attrs.push_back({"kind", std::string(OrderKindName(*o.kind))});
    if (o.score) attrs.push_back({"score", o.score->ToString()});
    if (o.symmetrical) {
      attrs.push_back({"symmetrical", *o.symmetrical ? "true" : "false"});
    }
    w_.Open("rsc_order", attrs, true);
  }

  void Configuration(const cib::Configuration& c) {
    Reserve(c);
    w_.Open("configuration", {});
    Properties(c);
    Nodes(c);
    bool none = c.resources.empty();
    w_.Open("resources", {}, none);
    for (const cib::Resource* r : c.TopLevel()) Resource(c, *r);
    if (!none) w_.Close("resources");
    none = c.constraints.empty();
    w_.Open("constraints", {}, none);
    for (const auto& k : c.constraints) Constraint(k);
    if (!none) w_.Close("constraints");
    if (!c.rsc_defaults.empty()) {
      w_.Open("rsc_defaults", {});
      NvSet("meta_attributes", Id("rsc-options"), c.rsc_defaults);
      w_.Close("rsc_defaults");
    }
    if (!c.op_defaults.empty()) {
      w_.Open("op_defaults", {});
      NvSet("meta_attributes", Id("op-options"), c.op_defaults);
      w_.Close("op_defaults");
    }
    w_.Close("configuration");
  }

 private:
  XmlWriter& w_;
  bool promotable_clones_;
  std::set<std::string> used_;
};

}  // namespace

std::string ExportPacemakerXml(const Document& doc,
                               const ExportOptions& options) {
  XmlWriter w;
  XmlAttrs attrs = {{"crm_feature_set", "3.16.1"},
                    {"validate-with", options.schema},
                    {"epoch", std::to_string(doc.versions.epoch)},
                    {"num_updates", std::to_string(doc.versions.num_updates)},
                    {"admin_epoch", std::to_string(doc.versions.admin_epoch)},
                    {"have-quorum", doc.status.quorate ? "1" : "0"}};
  if (options.with_status && !doc.status.dc.empty()) {
    const Node* dc = doc.config.FindNode(doc.status.dc);
    attrs.push_back({"dc-uuid", dc ? NodeXmlId(*dc) : doc.status.dc});
  }
  w.Open("cib", attrs);
  ConfigWriter(w, HasPromotableClones(options.schema))
      .Configuration(doc.config);
  if (options.with_status) {
    ExportStatus(doc, w);
  } else {
    w.Open("status", {}, true);
  }
  w.Close("cib");
  return w.Take();
}

}  // namespace paceline::cib
