// The resources the crm_mon way: by resource (groups with their members,
// clone sets summarised by role, `Stopped: [ ... ]`) or, with the `n` key
// / --group-by-node, under each node.
#include <algorithm>
#include <map>
#include <set>

#include "cli/mon/render_internal.h"

namespace paceline::cli::mon::internal {
namespace json = boost::json;

namespace {

using Entries = std::vector<const json::object*>;

// The configuration's resource tree; without one (a document from before
// the field), every primitive as a top-level resource.
json::array Tree(const json::object& st) {
  if (const json::value* t = st.if_contains("resource_tree")) {
    if (t->is_array()) return t->as_array();
  }
  json::array tree;
  std::set<std::string> seen;
  for (const json::object* r : Objects(Arr(st, "resources"))) {
    if (!seen.insert(Str(*r, "id")).second) continue;
    tree.push_back(json::object{{"id", Str(*r, "id")},
                                {"kind", "primitive"},
                                {"agent", Str(*r, "agent")}});
  }
  return tree;
}

Entries EntriesOf(const json::object& st, const std::string& id) {
  Entries out;
  for (const json::object* r : Objects(Arr(st, "resources"))) {
    if (Str(*r, "id") == id) out.push_back(r);
  }
  return out;
}

// "Started HA-node1", "FAILED HA-node2", "Stopped (disabled)", with
// " (unmanaged)" when the cluster does not manage it.
void AddState(LineBuilder& b, const json::object& e, const RenderOptions& o,
              bool with_node) {
  std::string node = Str(e, "node");
  std::string where = with_node && !node.empty() ? " " + node : "";
  if (node.empty()) {
    b.Add("Stopped", Style::kDim);
    if (Disabled(e)) b.Add(" (disabled)", Style::kWarn);
  } else if (Bool(e, "failed")) {
    b.Add("FAILED" + where, Style::kBad);
  } else {
    std::string role = Str(e, "role");
    b.Add(RoleLabel(role, o, false) + where,
          role == "Unpromoted" ? Style::kNormal : Style::kGood);
    if (Disabled(e)) b.Add(" (disabled)", Style::kWarn);
  }
  if (!Bool(e, "managed")) b.Add(" (unmanaged)", Style::kWarn);
}

void PrimitiveLines(Out& out, int indent, const std::string& name,
                    const std::string& agent, const Entries& entries,
                    bool with_node) {
  for (const json::object* e : entries) {
    LineBuilder b(indent);
    b.Add("* " + name + " (" + AgentLabel(agent) + "): ");
    AddState(b, *e, out.options, with_node);
    out.Push(b);
  }
}

std::string Suffix(const json::object& node) {
  std::string s;
  if (Disabled(node)) s += " (disabled)";
  if (node.contains("managed") && !Bool(node, "managed")) s += " (unmanaged)";
  return s;
}

// One line per group member; a stopped member still gets its line.
void GroupLines(Out& out, int indent, const json::object& st,
                const json::object& group) {
  for (const json::object* m : Objects(Arr(group, "children"))) {
    PrimitiveLines(out, indent, Str(*m, "id"), Str(*m, "agent"),
                   EntriesOf(st, Str(*m, "id")), true);
  }
}

// A clone set: healthy instances summarised by role, failed or unmanaged
// ones on their own line, the nodes without an instance as Stopped.
void CloneLines(Out& out, const json::object& st, const json::object& clone) {
  std::vector<const json::object*> kids = Objects(Arr(clone, "children"));
  if (kids.empty()) return;
  const json::object& child = *kids[0];
  std::vector<const json::object*> members =
      Str(child, "kind") == "group" ? Objects(Arr(child, "children")) : kids;
  std::map<std::string, std::vector<std::string>> by_role;
  std::vector<std::string> hosts;
  for (const json::object* m : members) {
    for (const json::object* e : EntriesOf(st, Str(*m, "id"))) {
      std::string node = Str(*e, "node");
      if (node.empty()) continue;
      if (std::find(hosts.begin(), hosts.end(), node) == hosts.end()) {
        hosts.push_back(node);
      }
      // Instances of a globally-unique clone are told apart; anonymous
      // ones (numbered or not) are summarised.
      bool unique = Bool(*e, "globally_unique");
      if (Bool(*e, "failed") || !Bool(*e, "managed") || unique) {
        PrimitiveLines(out, 4, Str(*e, "instance"), Str(*m, "agent"), {e},
                       true);
        continue;
      }
      auto& nodes = by_role[Str(*e, "role")];
      if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) {
        nodes.push_back(node);
      }
    }
  }
  for (const char* role : {"Promoted", "Unpromoted", "Started"}) {
    if (!by_role.count(role)) continue;
    Bracketed(
        out, 4, RoleLabel(role, out.options, true) + ": ", by_role[role],
        role == std::string("Unpromoted") ? Style::kNormal : Style::kGood);
  }
  std::vector<std::string> stopped;
  for (const json::object* n : Objects(Arr(st, "nodes"))) {
    std::string name = Str(*n, "name");
    if (std::find(hosts.begin(), hosts.end(), name) == hosts.end()) {
      stopped.push_back(name);
    }
  }
  if (!stopped.empty()) {
    Bracketed(out, 4,
              Disabled(clone) ? "Stopped (disabled): " : "Stopped: ", stopped,
              Style::kDim);
  }
}

}  // namespace

void RenderResources(Out& out, const json::object& st) {
  out.Title("Full List of Resources:");
  json::array tree = Tree(st);
  if (tree.empty()) {
    out.Push(LineBuilder(2).Add("* No resources"));
    return;
  }
  for (const json::object* top : Objects(tree)) {
    std::string id = Str(*top, "id"), kind = Str(*top, "kind");
    if (kind == "primitive") {
      PrimitiveLines(out, 2, id, Str(*top, "agent"), EntriesOf(st, id), true);
    } else if (kind == "group") {
      out.Push(
          LineBuilder(2).Add("* Resource Group: " + id + ":" + Suffix(*top)));
      GroupLines(out, 4, st, *top);
    } else {
      std::vector<const json::object*> kids = Objects(Arr(*top, "children"));
      std::string child = kids.empty() ? "" : Str(*kids[0], "id");
      out.Push(
          LineBuilder(2).Add("* Clone Set: " + id + " [" + child + "]" +
                             (Bool(*top, "promotable") ? " (promotable)" : "") +
                             ":" + Suffix(*top)));
      CloneLines(out, st, *top);
    }
  }
}

void RenderByNode(Out& out, const json::object& st) {
  out.Title("Node List:");
  Entries all = Objects(Arr(st, "resources"));
  for (const json::object* n : Objects(Arr(st, "nodes"))) {
    std::string name = Str(*n, "name");
    LineBuilder b(2);
    b.Add("* Node " + name + ": ");
    if (!Bool(*n, "online")) {
      b.Add("OFFLINE", Style::kBad);
    } else if (Bool(*n, "standby")) {
      b.Add("standby", Style::kWarn);
    } else if (Bool(*n, "maintenance")) {
      b.Add("maintenance", Style::kWarn);
    } else {
      b.Add("online", Style::kGood);
    }
    out.Push(b);
    for (const json::object* e : all) {
      if (Str(*e, "node") != name) continue;
      LineBuilder r(4);
      r.Add("* " + Str(*e, "instance") + " (" + AgentLabel(Str(*e, "agent")) +
            "): ");
      AddState(r, *e, out.options, false);
      out.Push(r);
    }
  }
  Entries stopped;
  for (const json::object* e : all) {
    if (Str(*e, "node").empty()) stopped.push_back(e);
  }
  if (stopped.empty()) return;
  out.Blank();
  out.Title("Inactive Resources:");
  for (const json::object* e : stopped) {
    PrimitiveLines(out, 2, Str(*e, "id"), Str(*e, "agent"), {e}, true);
  }
}

}  // namespace paceline::cli::mon::internal
