// crm ra: what resource agents this node has and what they take. The
// listing and meta-data reading are the executor's (agents/catalog.h,
// agents/metadata.h via `paceline agent list|info`); this only speaks
// crmsh's syntax for them.
#include <set>

#include "agents/catalog.h"
#include "cli/agent.h"
#include "cli/crm/context.h"
#include "common/strings.h"

namespace paceline::cli::crm {

namespace {

constexpr const char* kRaUsage =
    "usage: crm ra classes | list CLASS [PROVIDER] | info AGENT";

// `crm ra classes`: the classes we can run, ocf with its providers.
int Classes(const Context& ctx) {
  auto agents = agents::ListAgents(agents::NodeContext{}, "ocf");
  if (!agents.ok()) return Fail(ctx, agents.status());
  std::set<std::string> providers;
  for (const auto& name : *agents) {
    std::vector<std::string> parts = Split(name, ':');
    if (parts.size() == 3) providers.insert(parts[1]);
  }
  *ctx.out << "lsb\nocf / "
           << Join(std::vector<std::string>(providers.begin(), providers.end()),
                   " ")
           << "\n";
  return 0;
}

}  // namespace

int RunRa(const Context& ctx, const Tokens& args) {
  if (args.empty())
    return Fail(ctx, Status::Syntax(std::string("ra: ") + kRaUsage));
  const std::string& cmd = args[0];
  if (cmd == "classes" && args.size() == 1) return Classes(ctx);
  if (cmd == "list" && args.size() >= 2 && args.size() <= 3) {
    // crmsh writes `list ocf heartbeat`; we also take `list ocf:heartbeat`.
    std::string filter = args[1];
    if (args.size() == 3) filter += ":" + args[2];
    return RunAgent({"list", filter}, *ctx.out, *ctx.err);
  }
  if ((cmd == "info" || cmd == "meta") && args.size() == 2) {
    return RunAgent({"info", args[1]}, *ctx.out, *ctx.err);
  }
  return Fail(ctx, Status::Syntax("ra: unexpected " + Quote(cmd) + " (" +
                                  kRaUsage + ")"));
}

}  // namespace paceline::cli::crm
