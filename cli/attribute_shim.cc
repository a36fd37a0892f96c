#include "cli/attribute_shim.h"

#include <optional>

#include "cib/edit.h"
#include "cli/crm/context.h"
#include "common/strings.h"

namespace paceline::cli {

namespace {

constexpr int kUsage = 64;    // Pacemaker's CRM_EX_USAGE
constexpr int kNoSuch = 105;  // CRM_EX_NOSUCH

struct Request {
  std::string node;
  std::string name;
  std::optional<std::string> value;  // set
  bool remove = false;
  bool query = false;
  bool quiet = false;
  bool reboot = false;  // transient (status) attribute
};

std::string Get(const std::map<std::string, std::string>& env,
                const std::string& key) {
  auto it = env.find(key);
  return it == env.end() ? "" : it->second;
}

// "drbd_pg:1" -> "drbd_pg": promotion scores of anonymous clone instances
// are per resource, as in Pacemaker.
std::string PromotionName(const std::string& rsc) {
  return "master-" + rsc.substr(0, rsc.find(':'));
}

Result<Request> Parse(bool master, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env) {
  Request r;
  r.node = Get(env, "OCF_RESKEY_CRM_meta_on_node");
  std::string rsc = Get(env, "OCF_RESOURCE_INSTANCE");
  bool promotion = master;
  r.reboot = master;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) -> bool {
      size_t eq = a.find('=');
      if (StartsWith(a, "--") && eq != std::string::npos) {
        *out = a.substr(eq + 1);
        return true;
      }
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a == "-p" || StartsWith(a, "--promotion")) {
      promotion = true;
      r.reboot = true;
      if (StartsWith(a, "--promotion=")) {
        rsc = a.substr(12);
      } else if (i + 1 < args.size() && !StartsWith(args[i + 1], "-")) {
        rsc = args[++i];
      }
    } else if (a == "-v" || StartsWith(a, "--update")) {
      if (!value(&v)) return Status::Syntax(a + " needs a value");
      r.value = v;
    } else if (a == "-n" || StartsWith(a, "--name")) {
      if (!value(&v)) return Status::Syntax(a + " needs a name");
      r.name = v;
    } else if (a == "-N" || StartsWith(a, "--node")) {
      if (!value(&v)) return Status::Syntax(a + " needs a node");
      r.node = v;
    } else if (a == "-l" || StartsWith(a, "--lifetime") || a == "-t" ||
               StartsWith(a, "--type")) {
      if (!value(&v)) return Status::Syntax(a + " needs a value");
      r.reboot = v == "reboot" || v == "status";
    } else if (a == "-D" || a == "--delete") {
      r.remove = true;
    } else if (a == "-G" || a == "--query") {
      r.query = true;
    } else if (a == "-q" || a == "--quiet") {
      r.quiet = true;
    } else {
      return Status::Syntax("unknown option " + Quote(a));
    }
  }
  if (promotion) {
    if (rsc.empty()) {
      return Status::Syntax(
          "no resource: give --promotion RSC or set "
          "OCF_RESOURCE_INSTANCE");
    }
    r.name = PromotionName(rsc);
  }
  if (r.name.empty()) return Status::Syntax("no attribute name (-n NAME)");
  if (r.node.empty()) return Status::Syntax("no node (-N NODE)");
  if (int(r.query) + int(r.remove) + int(r.value.has_value()) != 1) {
    return Status::Syntax("give exactly one of -v VALUE, -D or -G");
  }
  return r;
}

int Query(const crm::Context& ctx, const Request& r) {
  auto doc = crm::LoadDocument(ctx);
  if (!doc.ok()) return crm::Fail(ctx, doc.status());
  const std::string* value = nullptr;
  if (r.reboot) {
    if (const auto* n = doc->status.FindNode(r.node)) {
      value = n->attributes.Get(r.name);
    }
  } else if (const auto* n = doc->config.FindNode(r.node)) {
    value = n->attributes.Get(r.name);
  }
  if (!value) {
    *ctx.err << "ERROR: attribute " << r.name << " not found on " << r.node
             << "\n";
    return kNoSuch;
  }
  if (r.quiet) {
    *ctx.out << *value << "\n";
  } else {
    *ctx.out << "scope=" << (r.reboot ? "status" : "nodes")
             << "  name=" << r.name << " value=" << *value << "\n";
  }
  return 0;
}

}  // namespace

int RunAttributeShim(bool master, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env,
                     WallTime now, std::ostream& out, std::ostream& err) {
  crm::Context ctx;
  ctx.now = now;
  ctx.out = &out;
  ctx.err = &err;
  for (const char* key : {"PACELINE_CIB", "CIB_file"}) {
    if (ctx.cib_path.empty()) ctx.cib_path = Get(env, key);
  }
  ctx.socket_path = Get(env, "PACELINE_SOCKET");
  if (ctx.socket_path.empty()) ctx.socket_path = "/run/paceline/paceline.sock";
  auto request = Parse(master, args, env);
  if (!request.ok()) {
    err << "ERROR: " << (master ? "crm_master" : "crm_attribute") << ": "
        << request.status().message() << "\n";
    return kUsage;
  }
  const Request& r = *request;
  if (r.query) return Query(ctx, r);
  cib::SetNodeAttribute edit{r.node, r.name, r.value, r.reboot};
  return crm::Fail(ctx, crm::Commit(ctx, edit));
}

}  // namespace paceline::cli
