// `paceline cluster setup` (see cli/cluster.h): argument parsing, the
// cluster.yaml text, and the two atomic writes. The text is parsed back with
// membership::ParseClusterConfig before it is written, so setup can never
// produce a file the daemon refuses.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "cli/cluster.h"
#include "common/atomic_file.h"
#include "membership/authkey.h"
#include "membership/cluster_config.h"

namespace paceline::cli {
namespace {

namespace mb = paceline::membership;

constexpr const char* kUsage =
    "usage: paceline cluster setup NAME NODE=ADDR[,ADDR2]... [--dir DIR] "
    "[--force]\n";

struct SetupArgs {
  std::string name;
  std::vector<std::pair<std::string, std::vector<std::string>>> nodes;
  std::string dir = "/etc/paceline";
  bool force = false;
};

bool IsPlainWord(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
           c == '_' || c == '.' || c == ':' || c == '[' || c == ']';
  });
}

// Returns an error message, empty on success.
std::string ParseSetupArgs(const std::vector<std::string>& args, SetupArgs* a) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& w = args[i];
    if (w == "--force") {
      a->force = true;
    } else if (w == "--dir") {
      if (i + 1 >= args.size()) return "--dir needs a directory";
      a->dir = args[++i];
    } else if (w.rfind("--dir=", 0) == 0) {
      a->dir = w.substr(6);
    } else if (w.rfind("-", 0) == 0) {
      return "unknown option '" + w + "'";
    } else if (size_t eq = w.find('='); eq != std::string::npos) {
      std::vector<std::string> addrs;
      std::stringstream list(w.substr(eq + 1));
      for (std::string addr; std::getline(list, addr, ',');)
        addrs.push_back(addr);
      a->nodes.emplace_back(w.substr(0, eq), addrs);
      for (const std::string& s : addrs) {
        if (!IsPlainWord(s)) return "bad address '" + s + "' in '" + w + "'";
      }
      if (!IsPlainWord(a->nodes.back().first))
        return "bad node name in '" + w + "'";
    } else if (a->name.empty()) {
      a->name = w;
    } else {
      return "unexpected argument '" + w + "' (nodes are NODE=ADDR)";
    }
  }
  if (a->name.empty() || !IsPlainWord(a->name)) return "missing or bad NAME";
  if (a->nodes.empty()) return "at least one NODE=ADDR is needed";
  if (a->dir.empty()) return "--dir needs a directory";
  return "";
}

std::string RenderConfig(const SetupArgs& a, const std::string& authkey_path) {
  bool two = a.nodes.size() == 2;
  std::ostringstream y;
  y << "# Paceline cluster configuration, written by `paceline cluster "
       "setup`.\n"
       "# Copy this file and the authkey to every node: each node finds its\n"
       "# own entry by its interface addresses (or `paceline daemon --node "
       "NAME`).\n"
       "# Every setting is explained in docs/cluster.example.yaml.\n"
    << "cluster_name: \"" << a.name << "\"\n\n"
    << "# Node ids are unique and never reused; a second address is a\n"
       "# redundant link.\n"
       "nodes:\n";
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    y << "  - name: \"" << a.nodes[i].first << "\"\n"
      << "    id: " << i + 1 << "\n    addresses: [";
    for (size_t k = 0; k < a.nodes[i].second.size(); ++k) {
      y << (k ? ", " : "") << '"' << a.nodes[i].second[k] << '"';
    }
    y << "]\n";
  }
  y << "\ntransport:\n  port: " << mb::kDefaultPort << "  # UDP\n"
    << "  heartbeat_interval: 100ms\n\n"
       "# A silent node is declared dead after at most max_timeout.\n"
       "failure_detection:\n  phi_threshold: 8\n  min_timeout: 300ms\n"
       "  max_timeout: 500ms\n\n"
       "quorum:\n"
    << "  two_node: " << (two ? "true" : "false") << "\n"
    << "  wait_for_all: " << (two ? "true" : "false") << "\n"
    << "  # expected_votes: " << a.nodes.size()
    << "  # default: the sum of the nodes' votes\n\n"
    << "authkey: \"" << authkey_path << "\"\n";
  return y.str();
}

int Setup(const std::vector<std::string>& args, std::ostream& out,
          std::ostream& err) {
  SetupArgs a;
  if (std::string e = ParseSetupArgs(args, &a); !e.empty()) {
    err << "ERROR: cluster setup: " << e << "\n" << kUsage;
    return 2;
  }
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(a.dir, ec);
  if (ec) {
    err << "ERROR: cluster setup: bad --dir '" << a.dir << "'\n";
    return 2;
  }
  std::string yaml_path = (dir / "cluster.yaml").string();
  std::string key_path = (dir / "authkey").string();
  std::string text = RenderConfig(a, key_path);
  if (auto parsed = mb::ParseClusterConfig(text); !parsed.ok()) {
    err << "ERROR: cluster setup: " << parsed.status().message() << "\n";
    return 2;
  }
  for (const std::string& p : {yaml_path, key_path}) {
    if (!a.force && PathExists(p)) {
      err << "ERROR: " << p << " already exists (use --force to replace it)\n";
      return 1;
    }
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    err << "ERROR: cannot create " << dir.string() << ": " << ec.message()
        << "\n";
    return 1;
  }
  Result<mb::SecretKey> key = mb::GenerateAuthKey();
  Status st =
      key.ok() ? mb::WriteAuthKey(key_path, *key, a.force) : key.status();
  if (st.ok())
    st = WriteFileAtomically(yaml_path, text,
                             {.mode = 0644, .overwrite = a.force});
  if (!st.ok()) {
    err << "ERROR: " << st.message() << "\n";
    return st.ExitCode() == 0 ? 1 : st.ExitCode();
  }
  out << "wrote " << yaml_path << " (" << a.nodes.size() << " nodes) and "
      << key_path << " (mode 0400); copy both to every node\n";
  return 0;
}

}  // namespace

int RunCluster(const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "setup") {
    err << "ERROR: unknown cluster command '" << args[0] << "'\n" << kUsage;
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
    out << kUsage;
    return 0;
  }
  return Setup(rest, out, err);
}

}  // namespace paceline::cli
