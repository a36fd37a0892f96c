#include "tests/differential/outcome.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>

namespace paceline::differential {

namespace {

namespace pt = boost::property_tree;
namespace json = boost::json;

bool Changes(std::string_view action) {
  return action == "start" || action == "stop" || action == "promote" ||
         action == "demote";
}

std::string XmlAttr(const pt::ptree& t, const char* name) {
  return t.get<std::string>(std::string("<xmlattr>.") + name, "");
}

// Every <resource> under `t`, however deeply nested in groups and clones.
void CollectResources(const pt::ptree& t, Outcome& out) {
  for (const auto& [tag, child] : t) {
    if (tag != "resource") {
      if (tag != "<xmlattr>") CollectResources(child, out);
      continue;
    }
    std::string id = XmlAttr(child, "id");
    std::string role = XmlAttr(child, "role");
    auto& where = out.placement[id];  // present even when stopped
    if (role == "Stopped") continue;
    for (const auto& [ntag, node] : child) {
      if (ntag == "node") where.push_back(XmlAttr(node, "name") + ":" + role);
    }
  }
}

void SortAll(Outcome& o) {
  for (auto& [id, where] : o.placement) std::sort(where.begin(), where.end());
  std::sort(o.actions.begin(), o.actions.end());
}

std::string JsonString(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::vector<std::string> Filtered(const std::vector<std::string>& actions,
                                  const std::set<std::string>& online) {
  std::vector<std::string> out;
  for (const auto& a : actions) {
    std::string node = a.substr(a.rfind(' ') + 1);
    if (online.count(node)) out.push_back(a);
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return "[" + s + "]";
}

}  // namespace

std::string StripInstance(std::string_view instance) {
  return std::string(instance.substr(0, instance.find(':')));
}

Result<Outcome> ParsePacemakerResult(std::string_view xml) {
  pt::ptree doc;
  try {
    std::istringstream in{std::string(xml)};
    pt::read_xml(in, doc);
  } catch (const pt::ptree_error& e) {
    return Status::Corrupt(std::string("crm_simulate output: ") + e.what());
  }
  const auto* result = doc.get_child_optional("pacemaker-result").get_ptr();
  if (!result) return Status::Corrupt("crm_simulate output: no result");
  std::string code = result->get<std::string>("status.<xmlattr>.code", "");
  if (code != "0") {
    return Status::Invalid(
        "crm_simulate: status " + code + " " +
        result->get<std::string>("status.<xmlattr>.message", ""));
  }
  Outcome out;
  const pt::ptree empty;
  const auto nodes = result->get_child_optional("cluster_status.nodes");
  for (const auto& [tag, node] : nodes ? *nodes : empty) {
    if (tag == "node" && XmlAttr(node, "online") == "true") {
      out.online.insert(XmlAttr(node, "name"));
    }
  }
  const auto* revised =
      result->get_child_optional("revised_cluster_status.resources").get_ptr();
  if (!revised) {
    return Status::Corrupt("crm_simulate output: no revised status");
  }
  CollectResources(*revised, out);
  const auto transition = result->get_child_optional("transition");
  for (const auto& [tag, a] : transition ? *transition : empty) {
    if (tag != "rsc_action") continue;
    std::string op = XmlAttr(a, "op");
    std::string interval = XmlAttr(a, "interval");
    if (!Changes(op) || (!interval.empty() && interval != "0")) continue;
    out.actions.push_back(op + " " + StripInstance(XmlAttr(a, "resource")) +
                          " " + XmlAttr(a, "node"));
  }
  SortAll(out);
  return out;
}

Result<Outcome> ParsePacelineSimulate(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return Status::Corrupt("paceline simulate output: not JSON");
  }
  const json::object& doc = v.as_object();
  if (JsonString(doc, "schema") != "paceline.simulate/1") {
    return Status::Corrupt("paceline simulate output: unexpected schema");
  }
  Outcome out;
  if (const auto* rs = doc.if_contains("resources"); rs && rs->is_array()) {
    for (const auto& r : rs->as_array()) {
      if (!r.is_object()) continue;
      const json::object& o = r.as_object();
      std::string id = JsonString(o, "id"), node = JsonString(o, "node");
      std::string role = JsonString(o, "role");
      auto& where = out.placement[id];
      if (!node.empty() && role != "Stopped")
        where.push_back(node + ":" + role);
    }
  }
  if (const auto* as = doc.if_contains("actions"); as && as->is_array()) {
    for (const auto& a : as->as_array()) {
      if (!a.is_object()) continue;
      const json::object& o = a.as_object();
      const json::value* pseudo = o.if_contains("pseudo");
      const json::value* runnable = o.if_contains("runnable");
      if (pseudo && pseudo->is_bool() && pseudo->as_bool()) continue;
      if (runnable && runnable->is_bool() && !runnable->as_bool()) continue;
      std::string action = JsonString(o, "action");
      if (!Changes(action)) continue;
      out.actions.push_back(action + " " +
                            StripInstance(JsonString(o, "resource")) + " " +
                            JsonString(o, "node"));
    }
  }
  SortAll(out);
  return out;
}

std::vector<std::string> Compare(const Outcome& pacemaker,
                                 const Outcome& paceline) {
  std::vector<std::string> diffs;
  std::set<std::string> ids;
  for (const auto& [id, w] : pacemaker.placement) ids.insert(id);
  for (const auto& [id, w] : paceline.placement) ids.insert(id);
  for (const auto& id : ids) {
    auto a = pacemaker.placement.find(id);
    auto b = paceline.placement.find(id);
    if (a == pacemaker.placement.end() || b == paceline.placement.end()) {
      diffs.push_back(
          "placement " + id + ": only " +
          (a == pacemaker.placement.end() ? "paceline" : "pacemaker") +
          " knows it");
      continue;
    }
    if (a->second != b->second) {
      diffs.push_back("placement " + id + ": pacemaker " + Join(a->second) +
                      ", paceline " + Join(b->second));
    }
  }
  std::vector<std::string> pa = Filtered(pacemaker.actions, pacemaker.online);
  std::vector<std::string> pl = Filtered(paceline.actions, pacemaker.online);
  std::vector<std::string> only_pa, only_pl;
  std::set_difference(pa.begin(), pa.end(), pl.begin(), pl.end(),
                      std::back_inserter(only_pa));
  std::set_difference(pl.begin(), pl.end(), pa.begin(), pa.end(),
                      std::back_inserter(only_pl));
  if (!only_pa.empty())
    diffs.push_back("actions only pacemaker " + Join(only_pa));
  if (!only_pl.empty())
    diffs.push_back("actions only paceline " + Join(only_pl));
  return diffs;
}

}  // namespace paceline::differential
