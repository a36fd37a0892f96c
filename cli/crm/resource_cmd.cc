// crm resource: migrate/unmigrate/ban, start/stop/promote/demote,
// manage/unmanage/maintenance, meta, cleanup, locate, list.
#include <boost/json.hpp>
#include <optional>
#include <set>

#include "cli/crm/context.h"
#include "common/strings.h"

namespace paceline::cli::crm {

namespace {

Status Usage(const std::string& what) {
  return Status::Syntax("resource " + what);
}

// migrate|move RSC [NODE] [lifetime=ISO8601|ISO8601] [force]
int Move(const Context& ctx, const Tokens& args, bool ban) {
  if (args.size() < 2) {
    return Fail(ctx,
                Usage(args[0] + ": usage: crm resource " + args[0] + " RSC " +
                      (ban ? "NODE" : "[NODE]") + " [lifetime=DURATION]"));
  }
  cib::MoveResource edit;
  edit.rsc = args[1];
  edit.ban = ban;
  for (size_t i = 2; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "force") continue;  // no running cluster to argue with offline
    bool named = StartsWith(a, "lifetime=");
    if (named || (!a.empty() && a[0] == 'P' && a.size() > 1 &&
                  (a[1] == 'T' || (a[1] >= '0' && a[1] <= '9')))) {
      auto d = cib::ParseIsoDuration(named ? a.substr(9) : a);
      if (!d.ok())
        return Fail(ctx, d.status().WithContext("resource " + args[0]));
      edit.lifetime = *d;
    } else if (edit.node.empty() && a.find('=') == std::string::npos) {
      edit.node = a;
    } else {
      return Fail(ctx, Usage(args[0] + ": unexpected " + Quote(a)));
    }
  }
  return Fail(ctx, Commit(ctx, edit));
}

int Clear(const Context& ctx, const Tokens& args) {
  if (args.size() < 2 || args.size() > 3) {
    return Fail(ctx, Usage(args[0] + ": usage: crm resource " + args[0] +
                           " RSC [NODE]"));
  }
  cib::ClearMove edit{args[1], args.size() == 3 ? args[2] : ""};
  return Fail(ctx, Commit(ctx, edit));
}

int SetMeta(const Context& ctx, const Tokens& args, const std::string& name,
            std::optional<std::string> value) {
  if (args.size() != 2) {
    return Fail(ctx,
                Usage(args[0] + ": usage: crm resource " + args[0] + " RSC"));
  }
  return Fail(ctx, Commit(ctx, cib::SetResourceMeta{args[1], name, value}));
}

// meta RSC set|delete|show NAME [VALUE]
int Meta(const Context& ctx, const Tokens& args) {
  const char* usage =
      "meta: usage: crm resource meta RSC set|delete|show "
      "NAME [VALUE]";
  if (args.size() < 4) return Fail(ctx, Usage(usage));
  const std::string& rsc = args[1];
  const std::string& op = args[2];
  const std::string& name = args[3];
  if (op == "show" && args.size() == 4) {
    auto doc = LoadDocument(ctx);
    if (!doc.ok()) return Fail(ctx, doc.status());
    const cib::Resource* r = doc->config.FindResource(rsc);
    if (!r)
      return Fail(ctx,
                  Status::NotFound("resource " + Quote(rsc) + " not found"));
    const std::string* v = r->meta.Get(name);
    if (!v)
      return Fail(ctx, Status::NotFound("resource " + rsc +
                                        ": no meta attribute " + name));
    *ctx.out << *v << "\n";
    return 0;
  }
  if (op == "set" && args.size() == 5) {
    return Fail(ctx, Commit(ctx, cib::SetResourceMeta{rsc, name, args[4]}));
  }
  if (op == "delete" && args.size() == 4) {
    return Fail(ctx,
                Commit(ctx, cib::SetResourceMeta{rsc, name, std::nullopt}));
  }
  return Fail(ctx, Usage(usage));
}

int Cleanup(const Context& ctx, const Tokens& args) {
  if (args.size() > 3) {
    return Fail(ctx, Usage(args[0] + ": usage: crm resource " + args[0] +
                           " [RSC] [NODE]"));
  }
  cib::Cleanup edit;
  if (args.size() >= 2) edit.rsc = args[1];
  if (args.size() == 3) edit.node = args[2];
  if (!ctx.cib_path.empty()) return Fail(ctx, Commit(ctx, edit));
  // Online the failures live in the nodes' executors: the DC has every
  // node (or NODE) forget them and probe again.
  std::optional<Subscription> sub;
  if (ctx.wait) {
    auto subscribed = Subscribe(ctx);
    if (!subscribed.ok()) return Fail(ctx, subscribed.status());
    sub.emplace(std::move(*subscribed));
  }
  Status s = DaemonRequest(
      ctx, boost::json::object{
               {"op", "cleanup"}, {"resource", edit.rsc}, {"node", edit.node}});
  if (s.ok()) {
    *ctx.out << "Cleaned up " << (edit.rsc.empty() ? "all resources" : edit.rsc)
             << " on " << (edit.node.empty() ? "all nodes" : edit.node) << "\n";
  }
  if (s.ok() && sub) s = WaitSettled(ctx, *sub, std::chrono::seconds(300));
  return Fail(ctx, s);
}

// restart RSC (online): stop it, wait until the cluster settled, start it
// again (target-role back to what it was).
int Restart(const Context& ctx, const Tokens& args) {
  if (args.size() != 2) {
    return Fail(ctx, Usage("restart: usage: crm resource restart RSC"));
  }
  if (!ctx.cib_path.empty()) {
    return Fail(ctx, Status::Invalid(
                         "resource restart needs a running cluster (offline, "
                         "`crm resource stop` then `start` changes nothing)"));
  }
  auto doc = LoadDocument(ctx);
  if (!doc.ok()) return Fail(ctx, doc.status());
  const cib::Resource* r = doc->config.FindResource(args[1]);
  if (!r) {
    return Fail(ctx,
                Status::NotFound("resource " + Quote(args[1]) + " not found"));
  }
  std::optional<std::string> before;
  if (const std::string* v = r->meta.Get("target-role")) before = *v;
  Context waiting = ctx;
  waiting.wait = true;
  *ctx.err << "stopping " << args[1] << "\n";
  Status s = Commit(waiting, cib::SetResourceMeta{args[1], "target-role",
                                                  std::string("Stopped")});
  if (!s.ok()) return Fail(ctx, s);
  *ctx.err << "starting " << args[1] << "\n";
  return Fail(
      ctx, Commit(ctx, cib::SetResourceMeta{args[1], "target-role", before}));
}

int Locate(const Context& ctx, const Tokens& args) {
  if (args.size() != 2) {
    return Fail(ctx, Usage("locate: usage: crm resource locate RSC"));
  }
  auto doc = LoadDocument(ctx);
  if (!doc.ok()) return Fail(ctx, doc.status());
  if (!doc->config.FindResource(args[1])) {
    return Fail(ctx,
                Status::NotFound("resource " + Quote(args[1]) + " not found"));
  }
  auto placements = cib::ActivePlacements(*doc, args[1]);
  if (placements.empty()) {
    *ctx.out << "resource " << args[1] << " is NOT running\n";
    return 0;
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& p : placements) {
    std::string role = p.role == cib::Role::kPromoted ? " Promoted" : "";
    if (!seen.insert({p.node, role}).second) continue;
    *ctx.out << "resource " << args[1] << " is running on: " << p.node << role
             << "\n";
  }
  return 0;
}

int List(const Context& ctx) {
  auto doc = LoadDocument(ctx);
  if (!doc.ok()) return Fail(ctx, doc.status());
  for (const cib::Resource* top : doc->config.TopLevel()) {
    std::vector<std::string> where;
    for (const auto& p : cib::ActivePlacements(*doc, top->id)) {
      where.push_back(p.primitive + "@" + p.node + "(" +
                      std::string(cib::RoleName(p.role)) + ")");
    }
    *ctx.out << cib::KindName(*top) << " " << top->id << ": "
             << (where.empty() ? "Stopped" : Join(where, " ")) << "\n";
  }
  return 0;
}

}  // namespace

int RunResource(const Context& ctx, const Tokens& args) {
  if (args.empty()) {
    return Fail(ctx, Usage(": missing command (e.g. migrate, unmigrate, "
                           "start, stop, cleanup, locate)"));
  }
  const std::string& cmd = args[0];
  if (cmd == "migrate" || cmd == "move") return Move(ctx, args, false);
  if (cmd == "ban") return Move(ctx, args, true);
  if (cmd == "unmigrate" || cmd == "unmove" || cmd == "clear" ||
      cmd == "unban") {
    return Clear(ctx, args);
  }
  if (cmd == "start") return SetMeta(ctx, args, "target-role", "Started");
  if (cmd == "stop") return SetMeta(ctx, args, "target-role", "Stopped");
  if (cmd == "promote") return SetMeta(ctx, args, "target-role", "Promoted");
  if (cmd == "demote") return SetMeta(ctx, args, "target-role", "Unpromoted");
  if (cmd == "manage") return SetMeta(ctx, args, "is-managed", "true");
  if (cmd == "unmanage") return SetMeta(ctx, args, "is-managed", "false");
  if (cmd == "maintenance") {
    Tokens rest = args;
    std::string value = "true";
    if (rest.size() == 3 && (rest[2] == "on" || rest[2] == "off")) {
      value = rest[2] == "on" ? "true" : "false";
      rest.pop_back();
    }
    return SetMeta(ctx, rest, "maintenance", value);
  }
  if (cmd == "meta") return Meta(ctx, args);
  if (cmd == "cleanup" || cmd == "refresh") return Cleanup(ctx, args);
  if (cmd == "locate") return Locate(ctx, args);
  if (cmd == "explain") return RunExplain(ctx, args);
  if (cmd == "list" || cmd == "status" || cmd == "show") return List(ctx);
  if (cmd == "restart") return Restart(ctx, args);
  return Fail(ctx, Status::Syntax(
                       "unknown resource command " + Quote(cmd) +
                       " (expected migrate, move, unmigrate, clear, ban, "
                       "start, stop, promote, demote, manage, unmanage, "
                       "maintenance, meta, cleanup, locate, explain or list)"));
}

}  // namespace paceline::cli::crm
