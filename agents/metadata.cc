#include "agents/metadata.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>

#include "common/strings.h"

namespace paceline::agents {

namespace {

namespace pt = boost::property_tree;

std::string Attr(const pt::ptree& node, const char* name) {
  return node.get<std::string>(std::string("<xmlattr>.") + name, "");
}

bool AttrTrue(const pt::ptree& node, const char* name) {
  bool b = false;
  return ParseBool(Attr(node, name), &b) && b;
}

std::string Text(const pt::ptree& node, const char* child) {
  return std::string(Trim(node.get<std::string>(child, "")));
}

ParameterInfo ReadParameter(const pt::ptree& p) {
  ParameterInfo info;
  info.name = Attr(p, "name");
  info.required = AttrTrue(p, "required");
  info.unique_group = Attr(p, "unique-group");
  info.unique = AttrTrue(p, "unique") || !info.unique_group.empty();
  info.deprecated = AttrTrue(p, "deprecated") ||
                    p.get_child_optional("deprecated").has_value();
  info.shortdesc = Text(p, "shortdesc");
  info.longdesc = Text(p, "longdesc");
  if (auto content = p.get_child_optional("content")) {
    info.type = Attr(*content, "type");
    if (auto d = content->get_optional<std::string>("<xmlattr>.default")) {
      info.default_value = *d;
    }
  }
  return info;
}

Result<std::optional<cib::Millis>> ReadDuration(const pt::ptree& a,
                                                const char* attr,
                                                const std::string& action) {
  std::string text(Trim(Attr(a, attr)));
  if (text.empty()) return std::optional<cib::Millis>();
  Result<cib::Millis> d = cib::ParseInterval(text);
  if (!d.ok()) {
    return Status::Corrupt("action " + Quote(action) + ": bad " + attr + " " +
                           Quote(text));
  }
  return std::optional<cib::Millis>(*d);
}

Result<ActionInfo> ReadAction(const pt::ptree& a) {
  ActionInfo info;
  info.name = Attr(a, "name");
  PL_ASSIGN_OR_RETURN(info.timeout, ReadDuration(a, "timeout", info.name));
  PL_ASSIGN_OR_RETURN(info.interval, ReadDuration(a, "interval", info.name));
  info.role = Attr(a, "role");
  if (auto role = cib::ParseRole(info.role)) {
    info.role = std::string(cib::RoleName(*role));
  }
  info.depth = Attr(a, "depth");
  return info;
}

}  // namespace

const ParameterInfo* AgentMetadata::FindParameter(std::string_view n) const {
  for (const auto& p : parameters) {
    if (p.name == n) return &p;
  }
  return nullptr;
}

const ActionInfo* AgentMetadata::FindAction(std::string_view n,
                                            std::string_view role) const {
  for (const auto& a : actions) {
    if (a.name == n && (role.empty() || IEquals(a.role, role))) return &a;
  }
  return nullptr;
}

Result<AgentMetadata> ParseMetadata(std::string_view xml) {
  pt::ptree tree;
  try {
    std::istringstream in{std::string(xml)};
    pt::read_xml(in, tree, pt::xml_parser::no_comments);
  } catch (const std::exception& e) {
    return Status::Corrupt(std::string("meta-data is not XML: ") + e.what());
  }
  auto root = tree.get_child_optional("resource-agent");
  if (!root) return Status::Corrupt("meta-data has no <resource-agent>");
  AgentMetadata md;
  md.name = Attr(*root, "name");
  md.version = Attr(*root, "version");
  md.ocf_version = Text(*root, "version");
  md.shortdesc = Text(*root, "shortdesc");
  md.longdesc = Text(*root, "longdesc");
  if (auto params = root->get_child_optional("parameters")) {
    for (const auto& [tag, p] : *params) {
      if (tag == "parameter") md.parameters.push_back(ReadParameter(p));
    }
  }
  if (auto actions = root->get_child_optional("actions")) {
    for (const auto& [tag, a] : *actions) {
      if (tag != "action") continue;
      PL_ASSIGN_OR_RETURN(ActionInfo info, ReadAction(a));
      md.actions.push_back(std::move(info));
    }
  }
  return md;
}

std::vector<ParamProblem> CheckParams(const AgentMetadata& md,
                                      const cib::Attributes& params) {
  std::vector<ParamProblem> problems;
  for (const auto& p : md.parameters) {
    if (p.required && !params.Get(p.name)) {
      problems.push_back({true, "missing required parameter " + Quote(p.name) +
                                    " of " + md.name});
    }
  }
  for (const auto& nv : params) {
    if (!md.FindParameter(nv.name)) {
      problems.push_back(
          {false, "unknown parameter " + Quote(nv.name) + " for " + md.name});
    }
  }
  return problems;
}

}  // namespace paceline::agents
