#include "crmd/status_json.h"

#include <algorithm>

#include "common/strings.h"

namespace paceline::crmd {
namespace json = boost::json;

namespace {

bool Flag(const cib::Attributes& attrs, std::string_view name) {
  bool on = false;
  const std::string* v = attrs.Get(name);
  return v && ParseBool(*v, &on) && on;
}

json::value OrNull(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

}  // namespace

json::object MembershipJson(const MembershipSnapshot& m) {
  json::array members;
  for (const auto& mem : m.members) {
    json::array links;
    for (const auto& l : mem.links) {
      links.push_back(json::object{{"address", l.address}, {"up", l.up}});
    }
    members.push_back(json::object{
        {"name", mem.name}, {"id", mem.id}, {"links", std::move(links)}});
  }
  json::object dropped;
  for (const auto& [reason, count] : m.dropped) dropped[reason] = count;
  return json::object{
      {"view", m.view},
      {"dc", OrNull(m.dc)},
      {"quorate", m.quorate},
      {"tilt", m.tilt},
      {"members", std::move(members)},
      {"dropped", std::move(dropped)},
      {"traffic", json::object{{"sent_datagrams", m.sent_datagrams},
                               {"sent_bytes", m.sent_bytes},
                               {"received_datagrams", m.received_datagrams}}}};
}

json::object StatusJson(const std::string& cluster_name,
                        const std::vector<std::string>& node_names,
                        const std::vector<uint32_t>& node_ids,
                        const cib::Document& doc, const MembershipSnapshot& m) {
  json::array nodes;
  for (size_t i = 0; i < node_names.size(); ++i) {
    const std::string& name = node_names[i];
    bool online =
        std::any_of(m.members.begin(), m.members.end(),
                    [&](const auto& mem) { return mem.name == name; });
    const cib::Node* cfg = doc.config.FindNode(name);
    nodes.push_back(json::object{
        {"name", name},
        {"id", node_ids[i]},
        {"online", online},
        {"standby", cfg != nullptr && Flag(cfg->attributes, "standby")},
        {"maintenance",
         cfg != nullptr && Flag(cfg->attributes, "maintenance")}});
  }
  json::array failures;
  for (const cib::FailedAction& f : doc.status.failures) {
    failures.push_back(json::object{{"resource", f.resource},
                                    {"node", f.node},
                                    {"action", f.action},
                                    {"rc", f.rc},
                                    {"reason", f.reason}});
  }
  return json::object{{"schema", "paceline.status/1"},
                      {"cluster", cluster_name},
                      {"dc", OrNull(m.dc)},
                      {"quorate", m.quorate},
                      {"epoch", doc.versions.epoch},
                      {"membership", MembershipJson(m)},
                      {"nodes", std::move(nodes)},
                      {"resources", json::array()},
                      {"failures", std::move(failures)}};
}

}  // namespace paceline::crmd
