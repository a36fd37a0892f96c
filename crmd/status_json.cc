#include "crmd/status_json.h"

#include <algorithm>
#include <map>
#include <set>
#include <variant>

#include "cib/duration.h"
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

// The innermost explicit target-role among r and its ancestors, or "".
std::string TargetRole(const cib::Configuration& config,
                       const cib::Resource& r) {
  for (const cib::Resource* p = &r; p; p = config.ParentOf(p->id)) {
    if (const std::string* v = p->meta.Get("target-role")) return *v;
  }
  return "";
}

bool Managed(const cib::Configuration& config, const cib::Resource& r) {
  for (const cib::Resource* p = &r; p; p = config.ParentOf(p->id)) {
    bool on = true;
    const std::string* v = p->meta.Get("is-managed");
    if (v && ParseBool(*v, &on) && !on) return false;
  }
  return true;
}

// The last non-empty line of an agent's output.
std::string LastLine(std::string_view output) {
  std::string last;
  for (const std::string& line : Split(output, '\n')) {
    std::string_view t = Trim(line);
    if (!t.empty()) last = std::string(t);
  }
  return last;
}

// One node of the configuration's resource tree, in configuration order.
json::object TreeJson(const cib::Configuration& config,
                      const cib::Resource& r) {
  json::object o{{"id", r.id},
                 {"kind", r.IsPrimitive() ? "primitive"
                          : r.IsGroup()   ? "group"
                                          : "clone"},
                 {"target_role", OrNull(TargetRole(config, r))},
                 {"managed", Managed(config, r)}};
  if (r.IsPrimitive()) o["agent"] = r.agent.ToString();
  if (r.IsClone()) o["promotable"] = r.promotable;
  if (!r.IsPrimitive()) {
    json::array children;
    for (const std::string& id : r.children) {
      if (const cib::Resource* c = config.FindResource(id)) {
        children.push_back(TreeJson(config, *c));
      }
    }
    o["children"] = std::move(children);
  }
  return o;
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

bool GloballyUnique(const cib::Resource& clone) {
  bool on = false;
  const std::string* v = clone.meta.Get("globally-unique");
  return v && ParseBool(*v, &on) && on;
}

json::array ResourcesJson(const cib::Configuration& config,
                          const cib::ClusterStatus& status) {
  json::array out;
  std::set<std::string> active;
  auto entry = [&](const cib::Resource& p, const std::string& instance,
                   const std::string& node, cib::Role role, bool failed,
                   long long fail_count) {
    const cib::Resource* parent = config.ParentOf(p.id);
    const cib::Resource* group = parent && parent->IsGroup() ? parent : nullptr;
    const cib::Resource* clone = group ? config.ParentOf(group->id) : parent;
    if (clone && !clone->IsClone()) clone = nullptr;
    out.push_back(json::object{
        {"id", p.id},
        {"instance", instance},
        {"parent", clone ? json::value(clone->id) : json::value(nullptr)},
        {"group", group ? json::value(group->id) : json::value(nullptr)},
        {"agent", p.agent.ToString()},
        {"role", std::string(cib::RoleName(role))},
        {"node", node.empty() ? json::value(nullptr) : json::value(node)},
        {"managed", Managed(config, p)},
        {"failed", failed},
        {"promotable", clone != nullptr && clone->promotable},
        {"globally_unique", clone != nullptr && GloballyUnique(*clone)},
        {"target_role", OrNull(TargetRole(config, p))},
        {"fail_count", fail_count}});
  };
  // Anonymous clone instances are one state per node (keyed by the
  // primitive); they are numbered here in node order, as design.md's
  // "drbd_pg:0" (the numbers name instances, not identities).
  std::map<std::string, int> numbers;
  for (const cib::NodeStatus& n : status.nodes) {
    if (n.state != cib::NodeState::kOnline) continue;
    for (const cib::ResourceState& r : n.resources) {
      if (r.role == cib::Role::kStopped && !r.failed) continue;
      std::string primitive = r.id.substr(0, r.id.find(':'));
      const cib::Resource* p = config.FindResource(primitive);
      if (p == nullptr || !p->IsPrimitive()) continue;
      active.insert(primitive);
      std::string instance = r.id;
      const cib::Resource* parent = config.ParentOf(p->id);
      if (parent && parent->IsGroup()) parent = config.ParentOf(parent->id);
      if (instance == primitive && parent && parent->IsClone() &&
          !GloballyUnique(*parent)) {
        instance += ":" + std::to_string(numbers[primitive]++);
      }
      entry(*p, instance, n.name,
            r.role == cib::Role::kStopped ? cib::Role::kStarted : r.role,
            r.failed, r.fail_count.value());
    }
  }
  for (const cib::Resource& p : config.resources) {
    if (p.IsPrimitive() && !active.count(p.id)) {
      entry(p, p.id, "", cib::Role::kStopped, false, 0);
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
                                    {"interval_ms", f.interval_ms},
                                    {"rc", f.rc},
                                    {"status", f.status},
                                    {"reason", f.reason},
                                    {"at", cib::FormatTimestamp(f.at)},
                                    {"output", LastLine(f.output)}});
  }
  json::object out{{"schema", "paceline.status/1"},
                   {"cluster", cluster_name},
                   {"dc", OrNull(m.dc)},
                   {"quorate", m.quorate},
                   {"epoch", doc.versions.epoch},
                   {"membership", MembershipJson(m)},
                   {"nodes", std::move(nodes)},
                   {"resources", ResourcesJson(doc.config, status)},
                   {"failures", std::move(failures)}};
  AddDetails(doc, status, out);
  return out;
}

void AddDetails(const cib::Document& doc, const cib::ClusterStatus& status,
                json::object& out) {
  out["versions"] = json::object{{"admin_epoch", doc.versions.admin_epoch},
                                 {"epoch", doc.versions.epoch},
                                 {"num_updates", doc.versions.num_updates}};
  json::array tree;
  for (const cib::Resource* top : doc.config.TopLevel()) {
    tree.push_back(TreeJson(doc.config, *top));
  }
  out["resource_tree"] = std::move(tree);
  json::array fail_counts;
  for (const cib::NodeStatus& n : status.nodes) {
    for (const cib::ResourceState& r : n.resources) {
      if (r.fail_count.value() <= 0) continue;
      fail_counts.push_back(json::object{
          {"resource", r.id},
          {"node", n.name},
          {"count", r.fail_count.value()},
          {"last_failure",
           r.last_failure ? json::value(cib::FormatTimestamp(*r.last_failure))
                          : json::value(nullptr)}});
    }
  }
  out["fail_counts"] = std::move(fail_counts);
  json::array cli;
  for (const cib::Constraint& c : doc.config.constraints) {
    const auto* l = std::get_if<cib::Location>(&c);
    if (l == nullptr) continue;
    bool prefer = StartsWith(l->id, "cli-prefer-");
    if (!prefer && !StartsWith(l->id, "cli-ban-")) continue;
    cli.push_back(json::object{
        {"id", l->id},
        {"kind", prefer ? "prefer" : "ban"},
        {"resource", l->rsc},
        {"node", l->node},
        {"score", l->score.ToString()},
        {"role", OrNull(std::string(cib::RoleName(l->role)))},
        {"expires", l->expires ? json::value(cib::FormatTimestamp(*l->expires))
                               : json::value(nullptr)}});
  }
  out["cli_constraints"] = std::move(cli);
}

}  // namespace paceline::crmd
