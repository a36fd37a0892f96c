// crm status (offline): a plain summary of the CIB file's status section.
// The full crm_mon layout, JSON schema and live TUI are the crm_mon issue's.
#include "cli/crm/context.h"
#include "common/strings.h"

namespace paceline::cli::crm {

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

}  // namespace

int RunStatus(const Context& ctx, const Tokens& args) {
  if (!args.empty()) {
    return Fail(ctx, Status::Syntax("status: unexpected " + Quote(args[0])));
  }
  if (!ctx.output_as.empty() && ctx.output_as != "text") {
    return Fail(ctx, Status::Syntax("status: --output-as=" + ctx.output_as +
                                    " is not available yet (text only)"));
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
