#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <optional>

#include "agents/action_timeout.h"
#include "agents/catalog.h"
#include "agents/executor.h"
#include "agents/metadata.h"
#include "agents/metadata_cache.h"
#include "cib/duration.h"
#include "cli/agent.h"
#include "common/strings.h"

namespace paceline::cli {

namespace {

constexpr const char* kUsage =
    "usage: paceline agent list [ocf|ocf:PROVIDER|lsb]\n"
    "       paceline agent info AGENT\n"
    "       paceline agent exec AGENT ACTION [NAME=VALUE...] "
    "[--timeout SECONDS]\n"
    "         [--interval MS] [--meta NAME=VALUE]... [--env NAME=VALUE]...\n"
    "         [--id RESOURCE_ID] [--node NAME] [--run-dir DIR] "
    "[--ocf-root DIR]\n";

struct ExecArgs {
  agents::ActionRequest req;
  std::string node;  // "" -> "cli"
  std::string run_dir = "/run/paceline";
  std::string ocf_root = "/usr/lib/ocf";
  bool timeout_given = false;
};

Status SplitPair(const std::string& word, cib::Attributes* into) {
  size_t eq = word.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::Syntax("expected NAME=VALUE, got " + Quote(word));
  }
  into->Set(word.substr(0, eq), word.substr(eq + 1));
  return Status::Ok();
}

// --interval takes milliseconds when unitless (the OCF variable's unit),
// or any Pacemaker interval with a unit.
Result<long long> ParseIntervalMs(const std::string& text) {
  long long ms = 0;
  if (ParseInt64(text, &ms) && ms >= 0) return ms;
  PL_ASSIGN_OR_RETURN(cib::Millis d, cib::ParseInterval(text));
  return static_cast<long long>(d.count());
}

// Handles one --option at args[*i], advancing *i past its value.
Status ParseOption(const std::vector<std::string>& args, size_t* i,
                   ExecArgs* out) {
  const std::string& opt = args[*i];
  if (*i + 1 >= args.size()) return Status::Syntax(opt + " needs a value");
  const std::string& value = args[++*i];
  if (opt == "--timeout") {
    PL_ASSIGN_OR_RETURN(cib::Millis d, cib::ParseInterval(value));
    if (d.count() <= 0) return Status::Syntax("--timeout must be positive");
    out->req.timeout_ms = d.count();
    out->timeout_given = true;
  } else if (opt == "--interval") {
    PL_ASSIGN_OR_RETURN(out->req.interval_ms, ParseIntervalMs(value));
  } else if (opt == "--meta") {
    PL_RETURN_IF_ERROR(SplitPair(value, &out->req.meta));
  } else if (opt == "--env") {
    PL_RETURN_IF_ERROR(SplitPair(value, &out->req.extra_env));
  } else if (opt == "--id") {
    out->req.resource_id = value;
  } else if (opt == "--node") {
    if (value.empty() || value.find('/') != std::string::npos || value == "." ||
        value == "..") {
      return Status::Syntax("invalid node name " + Quote(value));
    }
    out->node = value;
  } else if (opt == "--run-dir") {
    out->run_dir = value;
  } else if (opt == "--ocf-root") {
    out->ocf_root = value;
  } else {
    return Status::Syntax("unknown option " + Quote(opt));
  }
  return Status::Ok();
}

Result<ExecArgs> ParseExecArgs(const std::vector<std::string>& args) {
  ExecArgs out;
  std::vector<std::string> positional;
  for (size_t i = 1; i < args.size(); ++i) {
    if (StartsWith(args[i], "--")) {
      PL_RETURN_IF_ERROR(ParseOption(args, &i, &out));
    } else if (positional.size() < 2) {
      positional.push_back(args[i]);
    } else {
      PL_RETURN_IF_ERROR(SplitPair(args[i], &out.req.params));
    }
  }
  if (positional.size() < 2) return Status::Syntax("need AGENT and ACTION");
  PL_ASSIGN_OR_RETURN(out.req.agent, cib::ParseAgentSpec(positional[0]));
  out.req.action = positional[1];
  if (out.req.resource_id.empty()) out.req.resource_id = out.req.agent.type;
  return out;
}

std::string HostName() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

// The node's agent state directories, created when `create` (meta-data is
// read-only by the OCF spec, so `info` leaves the file system alone).
std::string ShimDir() { return agents::DefaultShimDir(); }

Result<agents::NodeContext> PrepareNode(const ExecArgs& a, bool create) {
  agents::NodeContext node;
  node.node_name = a.node.empty() ? HostName() : a.node;
  node.sbin_dir = ShimDir();
  node.ocf_root = a.ocf_root;
  std::string base = a.run_dir + "/" + (a.node.empty() ? "cli" : a.node);
  node.ha_rsctmp = base + "/rsctmp";
  node.ha_varrun = base + "/run/";
  if (!create) return node;
  for (const std::string& d : {node.ha_rsctmp, node.ha_varrun}) {
    std::error_code ec;
    std::filesystem::create_directories(d, ec);
    if (ec) return Status::Io("cannot create " + d + ": " + ec.message());
  }
  return node;
}

agents::ActionResult Execute(const agents::NodeContext& node,
                             agents::ActionRequest req);

// The agent's meta-data, from the cache when the agent file is unchanged
// (agents/metadata_cache.h), else by running it (and caching the result).
Result<agents::AgentMetadata> FetchMetadataFrom(const cib::AgentSpec& spec,
                                                const std::string& ocf_root) {
  ExecArgs a;
  a.req.agent = spec;
  a.req.action = "meta-data";
  a.req.resource_id = spec.type;
  a.req.timeout_ms = 5000;  // what agents advise for meta-data
  a.ocf_root = ocf_root;
  agents::MetadataCache cache(agents::MetadataCache::DefaultDir());
  Result<agents::AgentStamp> stamp = Status::NotFound("not ocf");
  if (spec.standard == "ocf") {
    stamp = agents::StampOf(
        agents::OcfAgentPath(ocf_root, spec.provider, spec.type));
  }
  if (stamp.ok()) {
    if (auto xml = cache.Lookup(spec.ToString(), *stamp)) {
      Result<agents::AgentMetadata> md = agents::ParseMetadata(*xml);
      if (md.ok()) return md;
    }
  }
  Result<agents::NodeContext> node = PrepareNode(a, /*create=*/false);
  if (!node.ok()) return node.status();
  agents::ActionResult r = Execute(*node, a.req);
  if (r.rc != 0) {
    return Status::NotFound(spec.ToString() + " meta-data: " + Describe(r) +
                            (r.reason.empty() ? "" : ": " + r.reason));
  }
  std::string xml = r.output.Text();
  Result<agents::AgentMetadata> md = agents::ParseMetadata(xml);
  if (!md.ok()) return md.status().WithContext(spec.ToString());
  // A failed store only costs the next command another run of the agent.
  if (stamp.ok() && r.output.omitted_bytes() == 0) {
    (void)cache.Store(spec.ToString(), *stamp, xml);
  }
  return md;
}

agents::ActionResult Execute(const agents::NodeContext& node,
                             agents::ActionRequest req) {
  boost::asio::io_context io;
  agents::ExecutorOptions options;
  options.max_concurrent = 1;
  options.reap_orphans = true;  // we own every child of this process
  agents::Executor executor(io, node, options);
  std::optional<agents::ActionResult> result;
  executor.Submit(std::move(req),
                  [&](agents::ActionResult r) { result = std::move(r); });
  // The SIGCHLD watch keeps the io_context busy, so run until the result.
  while (!result) io.run_one();
  return std::move(*result);
}

// Without --timeout, an action gets the agent's advised timeout (from its
// meta-data, cached) or 20 s: agents/action_timeout.h's rule with no op
// and no op_defaults, which a lone `agent exec` does not have.
void DefaultTimeout(ExecArgs* a) {
  if (a->timeout_given || a->req.action == "meta-data" ||
      a->req.agent.standard != "ocf") {
    return;
  }
  Result<agents::AgentMetadata> md =
      FetchMetadataFrom(a->req.agent, a->ocf_root);
  cib::Resource rsc;
  rsc.id = a->req.resource_id;
  const std::string* role = a->req.meta.Get("role");
  auto chosen =
      agents::ChooseTimeout(rsc, {}, md.ok() ? &*md : nullptr, a->req.action,
                            cib::Millis(a->req.interval_ms), role ? *role : "");
  if (chosen.ok()) a->req.timeout_ms = chosen->timeout.count();
}

int RunExec(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  Result<ExecArgs> parsed = ParseExecArgs(args);
  if (!parsed.ok()) {
    err << "ERROR: " << parsed.status().message() << "\n" << kUsage;
    return 2;
  }
  Result<agents::NodeContext> node = PrepareNode(*parsed, /*create=*/true);
  if (!node.ok()) {
    err << "ERROR: " << node.status().message() << "\n";
    return 1;
  }
  DefaultTimeout(&*parsed);
  agents::ActionResult r = Execute(*node, parsed->req);
  out << r.output.Text();
  if (!r.output.Text().empty() && r.output.Text().back() != '\n') out << "\n";
  err << agents::Describe(r) << " in " << r.duration.count() << " ms";
  if (!r.reason.empty()) err << ": " << r.reason;
  err << "\n";
  if (std::string why = r.output.ExitReason(); !why.empty()) {
    err << "exit reason: " << why << "\n";
  }
  return r.rc;
}

std::string FormatMs(cib::Millis d) {
  long long ms = d.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

void PrintInfo(const std::string& agent, const agents::AgentMetadata& md,
               std::ostream& out) {
  out << agent << " - " << md.shortdesc << "\n\n";
  if (!md.longdesc.empty()) out << md.longdesc << "\n\n";
  out << "Parameters (*: required):\n\n";
  for (const auto& p : md.parameters) {
    out << p.name << (p.required ? "*" : "") << " (" << p.type;
    if (p.default_value && !p.default_value->empty()) {
      out << ", default " << *p.default_value;
    }
    out << (p.unique ? ", unique" : "") << (p.deprecated ? ", deprecated" : "")
        << "): " << p.shortdesc << "\n";
  }
  out << "\nOperations' defaults:\n\n";
  for (const auto& a : md.actions) {
    std::string line = "    " + a.name;
    line.resize(std::max<size_t>(line.size() + 1, 18), ' ');
    if (a.timeout) line += "timeout=" + FormatMs(*a.timeout) + " ";
    if (a.interval) line += "interval=" + FormatMs(*a.interval) + " ";
    if (!a.role.empty()) line += "role=" + a.role + " ";
    if (!a.depth.empty()) line += "depth=" + a.depth;
    while (line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

int RunInfo(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  if (args.size() != 2) {
    err << "ERROR: need exactly one AGENT\n" << kUsage;
    return 2;
  }
  Result<cib::AgentSpec> spec = cib::ParseAgentSpec(args[1]);
  if (!spec.ok()) {
    err << "ERROR: " << spec.status().message() << "\n";
    return 2;
  }
  Result<agents::AgentMetadata> md = FetchMetadata(*spec);
  if (!md.ok()) {
    err << "ERROR: " << md.status().message() << "\n";
    return 1;
  }
  PrintInfo(spec->ToString(), *md, out);
  return 0;
}

int RunList(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  if (args.size() > 2) {
    err << "ERROR: too many arguments\n" << kUsage;
    return 2;
  }
  agents::NodeContext node;
  auto names = agents::ListAgents(node, args.size() == 2 ? args[1] : "");
  if (!names.ok()) {
    err << "ERROR: " << names.status().message() << "\n";
    return 2;
  }
  for (const auto& n : *names) out << n << "\n";
  return 0;
}

}  // namespace

Result<agents::AgentMetadata> FetchMetadata(const cib::AgentSpec& spec) {
  return FetchMetadataFrom(spec, "/usr/lib/ocf");
}

int RunAgent(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "list") return RunList(args, out, err);
  if (args[0] == "info") return RunInfo(args, out, err);
  if (args[0] != "exec") {
    err << "ERROR: unknown agent command " << Quote(args[0]) << "\n" << kUsage;
    return 2;
  }
  return RunExec(args, out, err);
}

}  // namespace paceline::cli
