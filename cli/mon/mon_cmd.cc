#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "cib/store.h"
#include "cli/mon/mon.h"
#include "cli/mon/render.h"
#include "cli/mon/tui.h"
#include "common/strings.h"
#include "crmd/ipc_server.h"
#include "crmd/status_json.h"

namespace paceline::cli::mon {
namespace json = boost::json;

namespace {

constexpr const char* kUsage =
    "usage: crm_mon [-1] [--output-as=text|json] [--cib FILE] [--socket PATH]\n"
    "               [-n|--group-by-node] [--hide-failcounts] "
    "[--hide-constraints]\n"
    "               [--new-role-names]\n"
    "  (no -1)  the live screen: q quit, ? help, f fail counts, c "
    "constraints,\n"
    "           n by node/resource, arrows/PgUp/PgDn scroll\n";

struct MonOptions {
  bool one_shot = false;
  std::string output_as = "text";
  std::string cib_path;
  std::string socket_path;
  RenderOptions render;
  bool help = false;
};

const std::string* Env(const crm::Environment& env, const char* name) {
  auto it = env.vars.find(name);
  return it == env.vars.end() || it->second.empty() ? nullptr : &it->second;
}

// Parses argv; "" or the one-line complaint.
std::string Parse(const std::vector<std::string>& args, MonOptions& o) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string_view name, std::string* out) {
      if (a == name) {
        if (i + 1 >= args.size()) return false;
        *out = args[++i];
        return true;
      }
      *out = a.substr(name.size() + 1);
      return true;
    };
    if (a == "-1" || a == "--one-shot") {
      o.one_shot = true;
    } else if (a == "-h" || a == "--help" || a == "-?") {
      o.help = true;
    } else if (a == "-n" || a == "--group-by-node") {
      o.render.group_by_node = true;
    } else if (a == "-f" || a == "--failcounts") {
      o.render.fail_counts = true;
    } else if (a == "--hide-failcounts") {
      o.render.fail_counts = false;
    } else if (a == "--hide-constraints") {
      o.render.constraints = false;
    } else if (a == "--new-role-names") {
      o.render.old_role_names = false;
    } else if (a == "--output-as" || StartsWith(a, "--output-as=")) {
      if (!value("--output-as", &o.output_as))
        return "--output-as needs a value";
      if (o.output_as != "text" && o.output_as != "json") {
        return "--output-as=" + o.output_as +
               " is not a status format "
               "(text, json)";
      }
    } else if (a == "--cib" || StartsWith(a, "--cib=")) {
      if (!value("--cib", &o.cib_path)) return "--cib needs a file";
    } else if (a == "--socket" || StartsWith(a, "--socket=")) {
      if (!value("--socket", &o.socket_path)) return "--socket needs a path";
    } else {
      return "unknown option " + Quote(a);
    }
  }
  return "";
}

// The terminal's width for one-shot text, or 0 (no limit) for a pipe.
int OutputWidth() {
  winsize ws{};
  if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return ws.ws_col;
  }
  return 0;
}

int Print(const json::object& status, const MonOptions& o, WallTime now,
          std::ostream& out) {
  if (o.output_as == "json") {
    out << json::serialize(status) << "\n";
    return 0;
  }
  RenderInput in;
  in.status = &status;
  in.now = now;
  in.updated = now;
  out << PlainText(RenderStatus(in, o.render, OutputWidth()));
  return 0;
}

}  // namespace

json::object OfflineStatus(const cib::Document& doc) {
  std::vector<std::string> names;
  std::vector<uint32_t> ids;
  for (const cib::Node& n : doc.config.nodes) {
    names.push_back(n.name);
    ids.push_back(n.id);
  }
  for (const cib::NodeStatus& n : doc.status.nodes) {
    if (doc.config.FindNode(n.name) == nullptr) {
      names.push_back(n.name);
      ids.push_back(0);
    }
  }
  crmd::MembershipSnapshot m;
  m.dc = doc.status.dc;
  m.quorate = doc.status.quorate;
  for (const cib::NodeStatus& n : doc.status.nodes) {
    if (n.state != cib::NodeState::kOnline) continue;
    const cib::Node* cfg = doc.config.FindNode(n.name);
    m.members.push_back({n.name, cfg ? cfg->id : 0, {}});
  }
  const std::string* name = doc.config.properties.Get("cluster-name");
  return crmd::StatusJson(name ? *name : "", names, ids, doc, doc.status, m);
}

int RunMon(const std::vector<std::string>& args, const crm::Environment& env,
           std::ostream& out, std::ostream& err) {
  MonOptions o;
  std::string bad = Parse(args, o);
  if (!bad.empty()) {
    err << "ERROR: crm_mon: " << bad << "\n" << kUsage;
    return 2;
  }
  if (o.help) {
    out << kUsage;
    return 0;
  }
  if (o.cib_path.empty()) {
    for (const char* var : {"PACELINE_CIB", "CIB_file"}) {
      if (const std::string* v = Env(env, var); v && o.cib_path.empty()) {
        o.cib_path = *v;
      }
    }
  }
  if (!o.cib_path.empty()) {
    auto doc = cib::CibStore(o.cib_path).Load();
    if (!doc.ok()) {
      err << "ERROR: crm_mon: " << o.cib_path << ": " << doc.status().message()
          << "\n";
      return 1;
    }
    return Print(OfflineStatus(*doc), o, env.now, out);
  }
  if (o.socket_path.empty()) {
    const std::string* v = Env(env, "PACELINE_SOCKET");
    o.socket_path = v ? *v : "/run/paceline/paceline.sock";
  }
  if (!o.one_shot && o.output_as == "text" && isatty(1)) {
    return RunTui(o.socket_path, o.render, Env(env, "NO_COLOR") != nullptr,
                  err);
  }
  auto answer = crmd::Request(o.socket_path, json::object{{"op", "status"}},
                              std::chrono::seconds(10));
  if (!answer.ok()) {
    err << "ERROR: " << answer.status().message() << "\n";
    return 1;
  }
  const json::value* status = answer->if_contains("status");
  if (status == nullptr || !status->is_object()) {
    err << "ERROR: the daemon's answer has no \"status\"\n";
    return 1;
  }
  return Print(status->as_object(), o, env.now, out);
}

}  // namespace paceline::cli::mon
