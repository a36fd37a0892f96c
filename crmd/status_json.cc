#include "crmd/status_json.h"

#include <algorithm>
#include <set>

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

json::array ResourcesJson(const cib::Configuration& config,
                          const cib::ClusterStatus& status) {
  json::array out;
  std::set<std::string> active;
  auto entry = [&](const cib::Resource& p, const std::string& instance,
                   const std::string& node, cib::Role role, bool failed) {
    const cib::Resource* parent = config.ParentOf(p.id);
    const cib::Resource* group = parent && parent->IsGroup() ? parent : nullptr;
    const cib::Resource* clone = group ? config.ParentOf(group->id) : parent;
    if (clone && !clone->IsClone()) clone = nullptr;
    bool managed = true;
    for (const cib::Resource* r : {&p, group, clone}) {
      bool on = true;
      const std::string* v = r ? r->meta.Get("is-managed") : nullptr;
      if (v && ParseBool(*v, &on) && !on) managed = false;
    }
    out.push_back(json::object{
        {"id", p.id},
        {"instance", instance},
        {"parent", clone ? json::value(clone->id) : json::value(nullptr)},
        {"group", group ? json::value(group->id) : json::value(nullptr)},
        {"agent", p.agent.ToString()},
        {"role", std::string(cib::RoleName(role))},
        {"node", node.empty() ? json::value(nullptr) : json::value(node)},
        {"managed", managed},
        {"failed", failed}});
  };
  for (const cib::NodeStatus& n : status.nodes) {
    if (n.state != cib::NodeState::kOnline) continue;
    for (const cib::ResourceState& r : n.resources) {
      if (r.role == cib::Role::kStopped && !r.failed) continue;
      std::string primitive = r.id.substr(0, r.id.find(':'));
      const cib::Resource* p = config.FindResource(primitive);
      if (p == nullptr || !p->IsPrimitive()) continue;
      active.insert(primitive);
      entry(*p, r.id, n.name,
            r.role == cib::Role::kStopped ? cib::Role::kStarted : r.role,
            r.failed);
    }
  }
  for (const cib::Resource& p : config.resources) {
    if (p.IsPrimitive() && !active.count(p.id)) {
      entry(p, p.id, "", cib::Role::kStopped, false);
    }
  }
  return out;
}

json::object StatusJson(const std::string& cluster_name,
                        const std::vector<std::string>& node_names,
                        const std::vector<uint32_t>& node_ids,
                        const cib::Document& doc,
                        const cib::ClusterStatus& status,
                        const MembershipSnapshot& m) {
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
  for (const cib::FailedAction& f : status.failures) {
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
                      {"resources", ResourcesJson(doc.config, status)},
                      {"failures", std::move(failures)}};
}

}  // namespace paceline::crmd
