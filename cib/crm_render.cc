#include "cib/crm_render.h"

#include "cib/duration.h"
#include "common/strings.h"

namespace paceline::cib {

namespace {

// crmsh's continuation: the statement goes on, indented by a tab.
constexpr std::string_view kContinue = " \\\n\t";

bool NeedsQuotes(std::string_view value) {
  if (value.empty() || value.front() == '#') return true;  // '#': a comment
  for (char c : value) {
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case '\f':
      case '\v':
      case '"':
      case '\'':
      case '\\':
        return true;
      default:
        break;
    }
  }
  return false;
}

std::string Pair(const NvPair& p) {
  return CrmQuote(p.name) + "=" + CrmQuote(p.value);
}

// "NAME=V NAME=V" on one line, as crmsh shows params and meta.
std::string PairsOnOneLine(const Attributes& attrs) {
  std::string out;
  for (const auto& p : attrs) {
    if (!out.empty()) out += ' ';
    out += Pair(p);
  }
  return out;
}

// A statement being built: a head line plus continued sections.
class Statement {
 public:
  explicit Statement(std::string head) : text_(std::move(head)) {}
  void Word(std::string_view word) {
    text_ += ' ';
    text_ += word;
  }
  void Section(std::string_view keyword, const Attributes& attrs) {
    if (attrs.empty()) return;
    Line(std::string(keyword) + " " + PairsOnOneLine(attrs));
  }
  void Line(std::string_view line) {
    text_ += kContinue;
    text_ += line;
  }
  std::string Done() && { return std::move(text_) + "\n"; }

 private:
  std::string text_;
};

std::string RenderNode(const Node& n) {
  Statement s("node");
  if (n.id != 0) s.Word(std::to_string(n.id) + ":");
  s.Word(CrmQuote(n.type.empty() ? n.name : n.name + ":" + n.type));
  if (!n.description.empty()) s.Word("description=" + CrmQuote(n.description));
  s.Section("attributes", n.attributes);
  s.Section("utilization", n.utilization);
  return std::move(s).Done();
}

// A promotable clone written as `clone` needs promotable=true in its meta to
// read back as promotable.
Attributes CloneMeta(const Resource& r) {
  Attributes meta = r.meta;
  if (r.IsClone() && r.promotable && !r.ms_syntax) {
    const std::string* value = meta.Get("promotable");
    bool flag = false;
    if (value == nullptr || !ParseBool(*value, &flag) || !flag) {
      meta.Set("promotable", "true");
    }
  }
  return meta;
}

std::string RenderResource(const Resource& r) {
  Statement s(std::string(KindName(r)));
  s.Word(r.id);
  if (r.IsPrimitive()) s.Word(r.agent.ToString());
  for (const auto& child : r.children) s.Word(child);
  if (!r.description.empty()) s.Word("description=" + CrmQuote(r.description));
  s.Section("params", r.params);
  s.Section("meta", CloneMeta(r));
  s.Section("utilization", r.utilization);
  for (const auto& op : r.ops) {
    std::string line = "op " + CrmQuote(op.name);
    if (!op.attrs.empty()) line += " " + PairsOnOneLine(op.attrs);
    s.Line(line);
  }
  return std::move(s).Done();
}

std::string WithSuffix(const std::string& rsc, std::string_view suffix) {
  return suffix.empty() ? rsc : rsc + ":" + std::string(suffix);
}

std::string RenderLocation(const Location& l) {
  Statement s("location");
  s.Word(l.id);
  s.Word(l.rsc);
  if (l.role != Role::kUnknown) s.Word("role=" + std::string(RoleName(l.role)));
  if (!l.resource_discovery.empty()) {
    s.Word("resource-discovery=" + CrmQuote(l.resource_discovery));
  }
  if (l.expires) {
    // Pacemaker has no "until" on a location: crmsh shows the lifetime of
    // `crm resource move ... lifetime=` as a rule.
    s.Word("rule " + l.score.ToCrm() + ": #uname eq " + CrmQuote(l.node) +
           " and date lt \"" + FormatTimestamp(*l.expires) + "\"");
  } else {
    s.Word(l.score.ToCrm() + ":");
    s.Word(CrmQuote(l.node));
  }
  return std::move(s).Done();
}

std::string RenderColocation(const Colocation& c) {
  Statement s("colocation");
  s.Word(c.id);
  s.Word(c.score.ToCrm() + ":");
  s.Word(WithSuffix(c.rsc, RoleName(c.rsc_role)));
  s.Word(WithSuffix(c.with_rsc, RoleName(c.with_rsc_role)));
  return std::move(s).Done();
}

std::string RenderOrder(const Order& o) {
  Statement s("order");
  s.Word(o.id);
  if (o.kind) {
    s.Word(std::string(OrderKindName(*o.kind)) + ":");
  } else if (o.score) {
    s.Word(o.score->ToCrm() + ":");
  }
  s.Word(WithSuffix(o.first, ActionName(o.first_action)));
  s.Word(WithSuffix(o.then, ActionName(o.then_action)));
  if (o.symmetrical) {
    s.Word(std::string("symmetrical=") + (*o.symmetrical ? "true" : "false"));
  }
  return std::move(s).Done();
}

std::string RenderConstraint(const Constraint& c) {
  if (const auto* l = std::get_if<Location>(&c)) return RenderLocation(*l);
  if (const auto* co = std::get_if<Colocation>(&c))
    return RenderColocation(*co);
  return RenderOrder(std::get<Order>(c));
}

// Property sets: one pair per line, as crmsh shows them.
std::string RenderPropertySet(std::string_view keyword, std::string_view set_id,
                              const Attributes& attrs) {
  if (attrs.empty()) return "";
  Statement s(std::string(keyword) + " " + std::string(set_id) + ":");
  for (const auto& p : attrs) s.Line(Pair(p));
  return std::move(s).Done();
}

struct PropertySection {
  std::string_view keyword;
  std::string_view set_id;
  const Attributes Configuration::*attrs;
};

constexpr PropertySection kPropertySections[] = {
    {"property", "cib-bootstrap-options", &Configuration::properties},
    {"rsc_defaults", "rsc-options", &Configuration::rsc_defaults},
    {"op_defaults", "op-options", &Configuration::op_defaults},
};

}  // namespace

std::string CrmQuote(std::string_view value) {
  if (!NeedsQuotes(value)) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string RenderCrm(const Configuration& config) {
  std::string out;
  for (const auto& n : config.nodes) out += RenderNode(n);
  for (const auto& r : config.resources) out += RenderResource(r);
  for (const auto& c : config.constraints) out += RenderConstraint(c);
  for (const auto& section : kPropertySections) {
    out += RenderPropertySet(section.keyword, section.set_id,
                             config.*section.attrs);
  }
  return out;
}

std::string RenderCrmObject(const Configuration& config, std::string_view id) {
  // Resource and constraint ids share one XML id space; node names are
  // separate, so they are looked up last.
  if (const Resource* r = config.FindResource(id)) return RenderResource(*r);
  if (const Constraint* c = config.FindConstraint(id)) {
    return RenderConstraint(*c);
  }
  if (const Node* n = config.FindNode(id)) return RenderNode(*n);
  for (const auto& section : kPropertySections) {
    if (section.set_id == id) {
      return RenderPropertySet(section.keyword, section.set_id,
                               config.*section.attrs);
    }
  }
  return "";
}

}  // namespace paceline::cib
