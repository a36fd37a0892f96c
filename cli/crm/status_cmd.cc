// crm status: online, the daemon's paceline.status/1 document as JSON or
// text; offline (--cib), a plain summary of the CIB file's status section.
// The full crm_mon layout and live TUI are the crm_mon issue's.
#include <boost/json.hpp>
#include <chrono>

#include "cli/crm/context.h"
#include "common/strings.h"
#include "crmd/ipc_server.h"

namespace paceline::cli::crm {
namespace json = boost::json;

namespace {

bool Flag(const cib::Attributes& attrs, std::string_view name) {
  bool on = false;
  const std::string* v = attrs.Get(name);
  return v && ParseBool(*v, &on) && on;
}

void PrintNodes(const Context& ctx, const cib::Document& doc) {
  std::vector<std::string> online, offline;
  for (const auto& n : doc.config.nodes) {
    const cib::NodeStatus* live = doc.status.FindNode(n.name);
    bool up = live && live->state == cib::NodeState::kOnline;
    if (up && Flag(n.attributes, "standby")) {
      *ctx.out << "  * Node " << n.name << ": standby\n";
    } else if (up && Flag(n.attributes, "maintenance")) {
      *ctx.out << "  * Node " << n.name << ": maintenance\n";
    } else if (live && live->state == cib::NodeState::kUnclean) {
      *ctx.out << "  * Node " << n.name << ": UNCLEAN (offline)\n";
    } else {
      (up ? online : offline).push_back(n.name);
    }
  }
  if (!online.empty()) {
    *ctx.out << "  * Online: [ " << Join(online, " ") << " ]\n";
  }
  if (!offline.empty()) {
    *ctx.out << "  * OFFLINE: [ " << Join(offline, " ") << " ]\n";
  }
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

bool Bool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

// The text form of a paceline.status/1 document, laid out like crm_mon.
void PrintStatusText(const json::object& st, std::ostream& out) {
  std::string dc = Str(st, "dc");
  out << "Cluster Summary:\n  * Stack: paceline\n  * Current DC: "
      << (dc.empty() ? "NONE" : dc)
      << (dc.empty()            ? ""
          : Bool(st, "quorate") ? " - partition with quorum"
                                : " - partition WITHOUT quorum")
      << "\n";
  const json::value* m = st.if_contains("membership");
  if (m && m->is_object()) {
    const json::object& mo = m->as_object();
    const json::value* members = mo.if_contains("members");
    size_t count =
        members && members->is_array() ? members->as_array().size() : 0;
    const json::value* view = mo.if_contains("view");
    out << "  * Membership view: " << (view ? json::serialize(*view) : "?")
        << " (" << count << (count == 1 ? " member" : " members") << ")"
        << (Bool(mo, "tilt") ? ", TILT: this node stalled and is observing"
                             : "")
        << "\n";
  }
  const json::value* nodes = st.if_contains("nodes");
  std::vector<std::string> online, offline, standby;
  if (nodes && nodes->is_array()) {
    for (const json::value& n : nodes->as_array()) {
      if (!n.is_object()) continue;
      const json::object& no = n.as_object();
      std::string name = Str(no, "name");
      if (Bool(no, "online") && Bool(no, "standby")) {
        standby.push_back(name);
      } else {
        (Bool(no, "online") ? online : offline).push_back(name);
      }
    }
  }
  out << "  * " << online.size() + offline.size() + standby.size()
      << " nodes configured\n\nNode List:\n";
  for (const auto& n : standby) out << "  * Node " << n << ": standby\n";
  if (!online.empty()) out << "  * Online: [ " << Join(online, " ") << " ]\n";
  if (!offline.empty()) {
    out << "  * OFFLINE: [ " << Join(offline, " ") << " ]\n";
  }
  out << "\nFull List of Resources:\n";
  const json::value* resources = st.if_contains("resources");
  if (!resources || !resources->is_array() || resources->as_array().empty()) {
    out << "  * No active resources\n";
    return;
  }
  for (const json::value& r : resources->as_array()) {
    if (!r.is_object()) continue;
    const json::object& ro = r.as_object();
    std::string node = Str(ro, "node");
    out << "  * " << Str(ro, "instance") << " (" << Str(ro, "agent")
        << "): " << Str(ro, "role") << (node.empty() ? "" : " " + node) << "\n";
  }
}

// Online: the daemon's paceline.status/1 document, as JSON or as text.
int RunStatusOnline(const Context& ctx) {
  auto response = crmd::Request(ctx.socket_path, json::object{{"op", "status"}},
                                std::chrono::seconds(10));
  if (!response.ok()) return Fail(ctx, response.status());
  const json::value* status = response->if_contains("status");
  if (status == nullptr || !status->is_object()) {
    return Fail(ctx, Status::Corrupt("the daemon's status has no \"status\""));
  }
  if (ctx.output_as == "json") {
    *ctx.out << json::serialize(*status) << "\n";
    return 0;
  }
  PrintStatusText(status->as_object(), *ctx.out);
  return 0;
}

}  // namespace

int RunStatus(const Context& ctx, const Tokens& args) {
  if (!args.empty()) {
    return Fail(ctx, Status::Syntax("status: unexpected " + Quote(args[0])));
  }
  if (!ctx.output_as.empty() && ctx.output_as != "text" &&
      ctx.output_as != "json") {
    return Fail(ctx, Status::Syntax("status: --output-as=" + ctx.output_as +
                                    " is not a status format (text, json)"));
  }
  if (ctx.cib_path.empty()) return RunStatusOnline(ctx);
  if (ctx.output_as == "json") {
    return Fail(ctx, Status::Syntax("status: --output-as=json needs the "
                                    "running cluster (offline: text only)"));
  }
  auto doc = LoadDocument(ctx);
  if (!doc.ok()) return Fail(ctx, doc.status());
  *ctx.out << "Cluster Summary:\n  * Current DC: "
           << (doc->status.dc.empty() ? "NONE" : doc->status.dc)
           << "\n  * Configuration epoch: " << doc->versions.epoch << "\n  * "
           << doc->config.nodes.size() << " nodes configured\n  * "
           << doc->config.resources.size() << " resources configured\n\n"
           << "Node List:\n";
  PrintNodes(ctx, *doc);
  *ctx.out << "\nFull List of Resources:\n";
  for (const cib::Resource* top : doc->config.TopLevel()) {
    std::vector<std::string> where;
    for (const auto& p : cib::ActivePlacements(*doc, top->id)) {
      where.push_back(std::string(cib::RoleName(p.role)) + " " + p.node);
    }
    *ctx.out << "  * " << top->id << " (" << cib::KindName(*top)
             << "): " << (where.empty() ? "Stopped" : Join(where, ", "))
             << "\n";
  }
  for (const auto& f : doc->status.failures) {
    *ctx.out << "  * Failed: " << f.resource << " " << f.action << " on "
             << f.node << " rc=" << f.rc << " (" << f.reason << ")\n";
  }
  return 0;
}

}  // namespace paceline::cli::crm
