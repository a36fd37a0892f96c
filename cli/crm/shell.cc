#include "cli/crm/shell.h"

#include "cli/crm/context.h"
#include "cli/crm/lexer.h"
#include "common/strings.h"

namespace paceline::cli::crm {

namespace {

constexpr const char* kUsage =
    "usage: crm [--cib FILE] [--output-as=FMT] [-F] [-w|--wait] LEVEL COMMAND "
    "[ARGS...]\n"
    "levels:\n"
    "  configure  node|primitive|group|clone|ms|location|colocation|order|\n"
    "             property|rsc_defaults|op_defaults|delete|show|verify|load\n"
    "  node       standby|online|maintenance|ready|attribute|list|show|delete\n"
    "  resource   migrate|move|unmigrate|unmove|clear|ban|start|stop|promote|\n"
    "             demote|manage|unmanage|maintenance|meta|cleanup|refresh|\n"
    "             locate|explain|list|status\n"
    "  status     cluster status from the CIB\n"
    "  ra         classes | list CLASS [PROVIDER] | info AGENT\n"
    "offline mode: --cib FILE, PACELINE_CIB=FILE or CIB_file=FILE (YAML)\n";

const std::string* Env(const Environment& env, const std::string& name) {
  auto it = env.vars.find(name);
  return (it == env.vars.end() || it->second.empty()) ? nullptr : &it->second;
}

// Pulls the global options out of args wherever they are.
Status ExtractGlobals(Tokens& args, Context& ctx, bool* help) {
  Tokens rest;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value_of = [&](std::string_view name,
                        std::string* value) -> Result<bool> {
      if (a == name) {
        if (i + 1 >= args.size()) {
          return Status::Syntax("option " + std::string(name) +
                                " needs a value");
        }
        *value = args[++i];
        return true;
      }
      if (StartsWith(a, std::string(name) + "=")) {
        *value = a.substr(name.size() + 1);
        return true;
      }
      return false;
    };
    bool matched = false;
    for (auto [name, target] :
         {std::pair<std::string_view, std::string*>{"--cib", &ctx.cib_path},
          {"--socket", &ctx.socket_path},
          {"--output-as", &ctx.output_as}}) {
      auto r = value_of(name, target);
      if (!r.ok()) return r.status();
      if (*r) {
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (a == "-F" || a == "--force") {
      ctx.force = true;
    } else if (a == "-w" || a == "--wait") {
      ctx.wait = true;
    } else if (a == "-h" || a == "--help" || a == "help") {
      *help = true;
    } else if (StartsWith(a, "--")) {
      return Status::Syntax("unknown option " + Quote(a));
    } else {
      rest.push_back(a);
    }
  }
  args = std::move(rest);
  return Status::Ok();
}

}  // namespace

int RunCrm(const std::vector<std::string>& argv, const Environment& env,
           std::ostream& out, std::ostream& err) {
  Context ctx;
  ctx.now = env.now;
  ctx.out = &out;
  ctx.err = &err;
  Tokens args = CleanArgv(argv);
  bool help = false;
  if (Status s = ExtractGlobals(args, ctx, &help); !s.ok()) {
    return Fail(ctx, s);
  }
  if (ctx.cib_path.empty()) {
    for (const char* name : {"PACELINE_CIB", "CIB_file"}) {
      if (const auto* v = Env(env, name)) {
        ctx.cib_path = *v;
        break;
      }
    }
  }
  if (ctx.socket_path.empty()) {
    const auto* v = Env(env, "PACELINE_SOCKET");
    ctx.socket_path = v ? *v : "/run/paceline/paceline.sock";
  }
  if (help || args.empty()) {
    (help ? out : err) << kUsage;
    return help ? 0 : 2;
  }
  std::string level = args[0];
  Tokens rest(args.begin() + 1, args.end());
  if (level == "configure" || level == "cib") return RunConfigure(ctx, rest);
  if (level == "node") return RunNode(ctx, rest);
  if (level == "resource") return RunResource(ctx, rest);
  if (level == "status") return RunStatus(ctx, rest);
  if (level == "ra") return RunRa(ctx, rest);
  return Fail(ctx, Status::Syntax("unknown command " + Quote(level) +
                                  " (expected configure, node, resource, ra or "
                                  "status)"));
}

}  // namespace paceline::cli::crm
