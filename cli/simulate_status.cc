// The cluster status as crm_mon 2.1 and crm_simulate print it: the node
// list, then every top-level resource (primitives, groups with their
// members, clones summarised by role), from a configuration and a status.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "cli/simulate_render.h"
#include "common/strings.h"

namespace paceline::cli::simulate {

namespace {

using cib::Role;

bool Truthy(const std::string* v) {
  bool b = false;
  return v && ParseBool(*v, &b) && b;
}

// A node attribute: the transient one (status) wins over the permanent one.
bool NodeFlag(const cib::Configuration& config, const cib::NodeStatus* live,
              const std::string& node, std::string_view name) {
  if (live) {
    if (const std::string* v = live->attributes.Get(name)) return Truthy(v);
  }
  const cib::Node* n = config.FindNode(node);
  return n && Truthy(n->attributes.Get(name));
}

// Nodes whose resource entries describe something running.
bool Counts(const cib::NodeStatus& n) {
  return n.state == cib::NodeState::kOnline ||
         n.state == cib::NodeState::kUnclean;
}

bool Active(Role role) {
  return role != Role::kStopped && role != Role::kUnknown;
}

std::vector<std::string> AllNodes(const cib::Configuration& config,
                                  const cib::ClusterStatus& status) {
  std::vector<std::string> names;
  for (const auto& n : config.nodes) names.push_back(n.name);
  for (const auto& n : status.nodes) {
    if (!config.FindNode(n.name)) names.push_back(n.name);
  }
  return names;
}

struct Where {
  std::string node;
  Role role;
  bool failed;
};

// The status indexed by resource id: where each one is active, in status
// node order (one pass, so large clusters print in linear time).
class View {
 public:
  explicit View(const cib::ClusterStatus& status) {
    for (const auto& n : status.nodes) {
      if (!Counts(n)) continue;
      for (const auto& rs : n.resources) {
        if (Active(rs.role))
          active_[rs.id].push_back({n.name, rs.role, rs.failed});
      }
    }
  }
  const std::vector<Where>& Locate(const std::string& id) const {
    static const std::vector<Where> kNowhere;
    auto it = active_.find(id);
    return it == active_.end() ? kNowhere : it->second;
  }

 private:
  std::unordered_map<std::string, std::vector<Where>> active_;
};

bool MetaFlag(const cib::Configuration& config, const std::string& id,
              std::string_view name, std::string_view value) {
  for (const cib::Resource* r = config.FindResource(id); r;
       r = config.ParentOf(r->id)) {
    if (const std::string* v = r->meta.Get(name)) return IEquals(*v, value);
  }
  return false;
}

std::string StateText(const cib::Configuration& config, const std::string& id,
                      const std::vector<Where>& where) {
  std::string text;
  if (where.empty()) {
    text = "Stopped";
    if (MetaFlag(config, id, "target-role", "Stopped")) text += " (disabled)";
  } else if (where.size() == 1) {
    const Where& w = where[0];
    if (w.failed) text = "FAILED ";
    if (!w.failed || w.role != Role::kStarted) text += cib::RoleName(w.role);
    if (text.back() != ' ') text += ' ';
    text += w.node;
  } else {
    std::vector<std::string> nodes;
    for (const auto& w : where) nodes.push_back(w.node);
    text = std::string(cib::RoleName(where[0].role)) + " [ " +
           Join(nodes, " ") + " ]";
  }
  if (MetaFlag(config, id, "is-managed", "false")) text += " (unmanaged)";
  return text;
}

void PrintPrimitive(const cib::Configuration& config, const View& status,
                    const cib::Resource& r, const std::string& shown_id,
                    const std::string& indent, std::ostream& out) {
  out << indent << "* " << shown_id << " (" << r.agent.ToString()
      << "): " << StateText(config, r.id, status.Locate(shown_id)) << "\n";
}

void PrintGroup(const cib::Configuration& config, const View& status,
                const cib::Resource& g, const std::string& suffix,
                const std::string& indent, std::ostream& out) {
  out << indent << "* Resource Group: " << g.id << suffix << ":\n";
  for (const auto& m : g.children) {
    if (const cib::Resource* member = config.FindResource(m)) {
      PrintPrimitive(config, status, *member, m + suffix, indent + "  ", out);
    }
  }
}

int CloneMax(const cib::Resource& clone, size_t nodes) {
  long long n = static_cast<long long>(nodes);
  if (const std::string* v = clone.meta.Get("clone-max")) ParseInt64(*v, &n);
  return static_cast<int>(std::clamp(n, 0LL, 1000LL));
}

void PrintUniqueInstances(const cib::Configuration& config, const View& status,
                          const cib::Resource& clone,
                          const cib::Resource& child, size_t nodes,
                          std::ostream& out) {
  for (int i = 0; i < CloneMax(clone, nodes); ++i) {
    std::string suffix = ":" + std::to_string(i);
    if (child.IsGroup()) {
      PrintGroup(config, status, child, suffix, "      ", out);
    } else {
      PrintPrimitive(config, status, child, child.id + suffix, "      ", out);
    }
  }
}

// Anonymous instances: failed ones one by one, the rest as node lists per
// role, then the nodes running no instance.
void PrintAnonymousInstances(const cib::Configuration& config,
                             const View& status, const cib::Resource& child,
                             const std::vector<std::string>& nodes,
                             std::ostream& out) {
  std::vector<std::string> members =
      child.IsGroup() ? child.children : std::vector<std::string>{child.id};
  std::map<Role, std::vector<std::string>> by_role;
  std::vector<std::string> stopped;
  for (const auto& node : nodes) {
    Role role = Role::kStopped;
    for (const auto& m : members) {
      for (const Where& w : status.Locate(m)) {
        if (w.node != node) continue;
        if (w.failed && !child.IsGroup()) {
          out << "      * " << m << " (" << child.agent.ToString()
              << "): " << StateText(config, m, {w}) << "\n";
          role = Role::kUnknown;  // listed on its own
        } else if (role == Role::kStopped) {
          role = w.role;
        }
      }
    }
    if (role == Role::kStopped) stopped.push_back(node);
    if (Active(role)) by_role[role].push_back(node);
  }
  for (Role role : {Role::kPromoted, Role::kUnpromoted, Role::kStarted}) {
    auto it = by_role.find(role);
    if (it == by_role.end()) continue;
    out << "      * " << cib::RoleName(role) << ": [ " << Join(it->second, " ")
        << " ]\n";
  }
  if (!stopped.empty()) {
    out << "      * Stopped: [ " << Join(stopped, " ") << " ]\n";
  }
}

void PrintClone(const cib::Configuration& config, const View& status,
                const cib::Resource& clone,
                const std::vector<std::string>& nodes, std::ostream& out) {
  const cib::Resource* child =
      clone.children.empty() ? nullptr : config.FindResource(clone.children[0]);
  bool unique = Truthy(clone.meta.Get("globally-unique"));
  out << "    * Clone Set: " << clone.id << " ["
      << (child ? child->id : std::string()) << "]"
      << (clone.promotable ? " (promotable)" : "")
      << (unique ? " (unique)" : "") << ":\n";
  if (!child) return;
  if (unique) {
    PrintUniqueInstances(config, status, clone, *child, nodes.size(), out);
  } else {
    PrintAnonymousInstances(config, status, *child, nodes, out);
  }
}

void PrintNodes(const cib::Configuration& config,
                const cib::ClusterStatus& status,
                const std::vector<std::string>& nodes, std::ostream& out) {
  std::vector<std::string> online, offline;
  out << "  * Node List:\n";
  for (const auto& name : nodes) {
    const cib::NodeStatus* live = status.FindNode(name);
    auto state = live ? live->state : cib::NodeState::kOffline;
    bool busy =
        live && std::any_of(live->resources.begin(), live->resources.end(),
                            [](const cib::ResourceState& rs) {
                              return Active(rs.role);
                            });
    std::string special;
    if (state == cib::NodeState::kUnclean) {
      special = "UNCLEAN (offline)";
    } else if (state == cib::NodeState::kPending) {
      special = "pending";
    } else if (state == cib::NodeState::kOnline) {
      if (NodeFlag(config, live, name, "standby")) {
        special = busy ? "standby (with active resources)" : "standby";
      } else if (NodeFlag(config, live, name, "maintenance")) {
        special = "maintenance";
      }
    }
    if (!special.empty()) {
      out << "    * Node " << name << ": " << special << "\n";
    } else {
      (state == cib::NodeState::kOnline ? online : offline).push_back(name);
    }
  }
  if (!online.empty()) out << "    * Online: [ " << Join(online, " ") << " ]\n";
  if (!offline.empty()) {
    out << "    * OFFLINE: [ " << Join(offline, " ") << " ]\n";
  }
}

}  // namespace

void PrintClusterStatus(const cib::Configuration& config,
                        const cib::ClusterStatus& cluster, std::ostream& out) {
  std::vector<std::string> nodes = AllNodes(config, cluster);
  PrintNodes(config, cluster, nodes, out);
  View status(cluster);
  out << "\n  * Full List of Resources:\n";
  std::vector<const cib::Resource*> top = config.TopLevel();
  if (top.empty()) out << "    * No resources\n";
  for (const cib::Resource* r : top) {
    if (r->IsPrimitive()) {
      PrintPrimitive(config, status, *r, r->id, "    ", out);
    } else if (r->IsGroup()) {
      PrintGroup(config, status, *r, "", "    ", out);
    } else {
      PrintClone(config, status, *r, nodes, out);
    }
  }
}

}  // namespace paceline::cli::simulate
