// crm node: standby/online, maintenance/ready, attribute, list/show, delete.
#include "cli/crm/context.h"
#include "common/strings.h"

namespace paceline::cli::crm {

namespace {

constexpr const char* kNodeUsage =
    "usage: crm node standby|online|maintenance|ready NODE [reboot|forever] "
    "| attribute NODE set|delete|show NAME [VALUE] | list | show [NODE] | "
    "delete NODE";

// standby|online|maintenance|ready NODE [lifetime]
int SetFlag(const Context& ctx, const Tokens& args, const std::string& name,
            const std::string& value) {
  cib::SetNodeAttribute edit;
  edit.name = name;
  edit.value = value;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string lifetime = StartsWith(a, "lifetime=") ? a.substr(9) : a;
    if (lifetime == "reboot") {
      edit.until_reboot = true;
    } else if (lifetime == "forever") {
      edit.until_reboot = false;
    } else if (edit.node.empty() && a.find('=') == std::string::npos) {
      edit.node = a;
    } else {
      return Fail(ctx, Status::Syntax("node " + args[0] + ": unexpected " +
                                      Quote(a) + " (" + kNodeUsage + ")"));
    }
  }
  if (edit.node.empty()) {
    return Fail(
        ctx, Status::Syntax("node " + args[0] +
                            ": give the node name (offline mode has no local "
                            "node)"));
  }
  return Fail(ctx, Commit(ctx, edit));
}

int Attribute(const Context& ctx, const Tokens& args) {
  if (args.size() < 4) {
    return Fail(ctx,
                Status::Syntax(std::string("node attribute: ") + kNodeUsage));
  }
  const std::string& node = args[1];
  const std::string& op = args[2];
  const std::string& name = args[3];
  if (op == "show") {
    auto doc = LoadDocument(ctx);
    if (!doc.ok()) return Fail(ctx, doc.status());
    const cib::Node* n = doc->config.FindNode(node);
    if (!n)
      return Fail(ctx, Status::NotFound("node " + Quote(node) + " not found"));
    const std::string* v = n->attributes.Get(name);
    if (!v)
      return Fail(ctx,
                  Status::NotFound("node " + node + ": no attribute " + name));
    *ctx.out << "scope=nodes  name=" << name << " value=" << *v << "\n";
    return 0;
  }
  cib::SetNodeAttribute edit{.node = node, .name = name};
  if (op == "set" && args.size() == 5) {
    edit.value = args[4];
  } else if (op != "delete" || args.size() != 4) {
    return Fail(ctx,
                Status::Syntax(std::string("node attribute: ") + kNodeUsage));
  }
  return Fail(ctx, Commit(ctx, edit));
}

int List(const Context& ctx, const Tokens& args) {
  auto doc = LoadDocument(ctx);
  if (!doc.ok()) return Fail(ctx, doc.status());
  bool found = args.size() < 2;
  for (const auto& n : doc->config.nodes) {
    if (args.size() >= 2 && n.name != args[1]) continue;
    found = true;
    *ctx.out << n.name;
    if (n.id) *ctx.out << "(" << n.id << ")";
    *ctx.out << ": " << (n.type.empty() ? "member" : n.type);
    if (const auto* live = doc->status.FindNode(n.name)) {
      *ctx.out << " " << cib::NodeStateName(live->state);
    }
    *ctx.out << "\n";
    for (const auto& a : n.attributes) {
      *ctx.out << "\t" << a.name << "=" << a.value << "\n";
    }
  }
  if (!found) {
    return Fail(ctx, Status::NotFound("node " + Quote(args[1]) + " not found"));
  }
  return 0;
}

}  // namespace

int RunNode(const Context& ctx, const Tokens& args) {
  if (args.empty()) {
    return Fail(ctx, Status::Syntax(std::string("node: ") + kNodeUsage));
  }
  const std::string& cmd = args[0];
  if (cmd == "standby") return SetFlag(ctx, args, "standby", "on");
  if (cmd == "online") return SetFlag(ctx, args, "standby", "off");
  if (cmd == "maintenance") return SetFlag(ctx, args, "maintenance", "on");
  if (cmd == "ready") return SetFlag(ctx, args, "maintenance", "off");
  if (cmd == "attribute") return Attribute(ctx, args);
  if (cmd == "list" || cmd == "show") return List(ctx, args);
  if (cmd == "delete") {
    if (args.size() != 2) {
      return Fail(ctx, Status::Syntax("node delete: usage: crm node delete "
                                      "NODE"));
    }
    return Fail(ctx,
                Commit(ctx, cib::DeleteObjects{{args[1]}, ctx.force, true}));
  }
  return Fail(ctx, Status::Syntax("unknown node command " + Quote(cmd) + " (" +
                                  kNodeUsage + ")"));
}

}  // namespace paceline::cli::crm
