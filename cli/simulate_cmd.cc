// paceline simulate: options (Boost.Program_options, whose exceptions stop
// here), what-ifs applied to the snapshot, one Schedule() call, and the
// crm_simulate-style report or the JSON document.
#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "cib/config_index.h"
#include "cib/duration.h"
#include "cib/store.h"
#include "cli/cib.h"
#include "cli/simulate.h"
#include "cli/simulate_heap.h"
#include "cli/simulate_render.h"
#include "common/strings.h"
#include "crmd/ipc_server.h"
#include "policy/policy.h"

namespace paceline::cli {

namespace {

namespace po = boost::program_options;
using cib::Role;

struct Request {
  std::string cib_path;
  std::string pacemaker_xml;
  std::vector<std::string> node_down, node_up, fail, extra;
  std::string dot;
  std::string output_as = "text";
  std::string quorum;
  bool scores = false;
  bool save = false;
  bool help = false;
};

po::options_description Describe(Request& r) {
  po::options_description opts("paceline simulate options");
  opts.add_options()("help,h", po::bool_switch(&r.help), "show this help")(
      "cib", po::value(&r.cib_path)->value_name("FILE"),
      "the CIB file (default: $PACELINE_CIB, then $CIB_file)")(
      "pacemaker-xml", po::value(&r.pacemaker_xml)->value_name("FILE"),
      "a Pacemaker CIB XML file, imported in memory")(
      "node-down", po::value(&r.node_down)->value_name("NODE"),
      "take NODE offline first (repeatable)")(
      "node-up", po::value(&r.node_up)->value_name("NODE"),
      "bring NODE online first (repeatable)")(
      "fail", po::value(&r.fail)->value_name("RSC:ACTION:NODE"),
      "record a failed operation first (repeatable)")(
      "quorum", po::value(&r.quorum)->value_name("true|false"),
      "whether the partition has quorum (default: as the CIB records)")(
      "scores", po::bool_switch(&r.scores),
      "print every score term and its source")(
      "dot", po::value(&r.dot)->value_name("FILE"),
      "write the transition graph to FILE (Graphviz)")(
      "output-as", po::value(&r.output_as)->value_name("text|json"),
      "output format")("save", po::bool_switch(&r.save),
                       "write the revised status back to the CIB file");
  return opts;
}

Status Parse(const std::vector<std::string>& args, Request& r,
             std::string* help) {
  po::options_description opts = Describe(r);
  po::options_description hidden;
  hidden.add_options()("args", po::value(&r.extra));
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description positional;
  positional.add("args", -1);
  try {
    po::variables_map vm;
    po::store(
        po::command_line_parser(args).options(all).positional(positional).run(),
        vm);
    po::notify(vm);
  } catch (const std::exception& e) {  // po::error and bad_any_cast alike
    return Status::Syntax(std::string("simulate: ") + e.what());
  }
  std::ostringstream text;
  text << "usage: paceline simulate [OPTIONS]\n" << opts;
  *help = text.str();
  if (!r.extra.empty()) {
    return Status::Syntax("simulate: unexpected argument " + Quote(r.extra[0]));
  }
  if (r.output_as != "text" && r.output_as != "json") {
    return Status::Syntax("simulate: --output-as=" + r.output_as +
                          ": expected text or json");
  }
  bool b = false;
  if (!r.quorum.empty() && !ParseBool(r.quorum, &b)) {
    return Status::Syntax("simulate: --quorum=" + r.quorum +
                          ": expected true or false");
  }
  return Status::Ok();
}

bool KnownNode(const policy::Snapshot& s, const std::string& node) {
  return s.config.FindNode(node) || s.status.FindNode(node);
}

cib::NodeStatus& NodeEntry(cib::ClusterStatus& status,
                           const std::string& node) {
  if (cib::NodeStatus* n = status.FindNode(node)) return *n;
  status.nodes.push_back({node, cib::NodeState::kOffline, {}, {}});
  return status.nodes.back();
}

Status SetNodeState(policy::Snapshot& s, const std::string& node, bool up,
                    std::vector<std::string>& log) {
  const char* option = up ? "--node-up" : "--node-down";
  if (!KnownNode(s, node)) {
    return Status::NotFound(std::string("simulate: ") + option +
                            ": unknown node " + Quote(node));
  }
  NodeEntry(s.status, node).state =
      up ? cib::NodeState::kOnline : cib::NodeState::kOffline;
  log.push_back(up ? "Bringing node " + node + " online"
                   : "Taking node " + node + " offline");
  return Status::Ok();
}

// The interval of the monitor op that watches `role` (0 if none).
long long MonitorInterval(const cib::Resource& r, Role role) {
  long long fallback = 0;
  for (const auto& op : r.ops) {
    if (op.name != "monitor") continue;
    const std::string* iv = op.attrs.Get("interval");
    auto ms =
        iv ? cib::ParseInterval(*iv) : Result<cib::Millis>(cib::Millis(0));
    if (!ms.ok() || ms->count() == 0) continue;
    const std::string* op_role = op.attrs.Get("role");
    auto parsed = op_role ? cib::ParseRole(*op_role) : std::nullopt;
    if (parsed && *parsed == role) return ms->count();
    if (!parsed && fallback == 0) fallback = ms->count();
  }
  return fallback;
}

struct FailSpec {
  const cib::Resource* primitive = nullptr;
  std::string status_id;  // key in the status
  std::string action;
  std::string node;
};

Result<FailSpec> ParseFail(const policy::Snapshot& s, const std::string& spec) {
  size_t last = spec.rfind(':');
  size_t mid = last == std::string::npos || last == 0
                   ? std::string::npos
                   : spec.rfind(':', last - 1);
  if (mid == std::string::npos || mid == 0 || last == mid + 1 ||
      last + 1 == spec.size()) {
    return Status::Syntax("simulate: --fail " + Quote(spec) +
                          ": expected RSC:ACTION:NODE");
  }
  FailSpec f;
  std::string rsc = spec.substr(0, mid);
  f.action = ToLower(spec.substr(mid + 1, last - mid - 1));
  f.node = spec.substr(last + 1);
  static const char* kActions[] = {"start",   "stop",   "monitor",
                                   "promote", "demote", "notify"};
  if (std::none_of(std::begin(kActions), std::end(kActions),
                   [&](const char* a) { return f.action == a; })) {
    return Status::Syntax("simulate: --fail " + Quote(spec) + ": action " +
                          Quote(f.action) +
                          " (expected start, stop, monitor, promote, "
                          "demote or notify)");
  }
  std::string base = rsc;
  if (!s.config.FindResource(rsc) && rsc.rfind(':') != std::string::npos) {
    base = rsc.substr(0, rsc.rfind(':'));
  }
  f.primitive = s.config.FindResource(base);
  if (!f.primitive) {
    return Status::NotFound("simulate: --fail: unknown resource " + Quote(rsc));
  }
  if (!f.primitive->IsPrimitive()) {
    return Status::Invalid("simulate: --fail: " + rsc + " is a " +
                           std::string(cib::KindName(*f.primitive)) +
                           "; name one of its primitives");
  }
  const cib::Resource* clone = cib::ConfigIndex(s.config).CloneOf(base);
  bool unique = false;
  if (clone) {
    const std::string* v = clone->meta.Get("globally-unique");
    unique = v && ParseBool(*v, &unique) && unique;
  }
  if (unique && base == rsc) {
    return Status::Invalid("simulate: --fail: " + rsc +
                           " is a globally unique clone; name the instance "
                           "(" +
                           rsc + ":0, ...)");
  }
  f.status_id = unique ? rsc : base;
  const cib::NodeStatus* n = s.status.FindNode(f.node);
  if (!KnownNode(s, f.node)) {
    return Status::NotFound("simulate: --fail: unknown node " + Quote(f.node));
  }
  if (!n || n->state != cib::NodeState::kOnline) {
    return Status::Invalid("simulate: --fail: node " + f.node +
                           " is not online");
  }
  return f;
}

// A failed operation as the controller records it: the last operation
// failed, the fail count grows (to INFINITY for a failed stop, and for a
// failed start unless start-failure-is-fatal=false), and a failure entry.
Status InjectFailure(policy::Snapshot& s, const std::string& spec, WallTime now,
                     std::vector<std::string>& log) {
  PL_ASSIGN_OR_RETURN(FailSpec f, ParseFail(s, spec));
  cib::NodeStatus& node = NodeEntry(s.status, f.node);
  cib::ResourceState* rs = node.Find(f.status_id);
  if (!rs) {
    node.resources.push_back({f.status_id, Role::kStopped});
    rs = &node.resources.back();
  }
  const cib::Resource* clone =
      cib::ConfigIndex(s.config).CloneOf(f.primitive->id);
  bool promotable = clone && clone->promotable;
  bool fatal = true;
  if (const auto* v = s.config.properties.Get("start-failure-is-fatal")) {
    ParseBool(*v, &fatal);
  }
  if (f.action == "stop" || (f.action == "start" && fatal)) {
    rs->fail_count = cib::Score::Infinity();
  } else {
    rs->fail_count += cib::Score(1);
  }
  // As in Pacemaker, a failed operation (rc 1) leaves the resource
  // possibly active on that node: it counts as running there, failed, until
  // a stop succeeds; a failed promote leaves it promoted.
  if (f.action == "promote") {
    rs->role = Role::kPromoted;
  } else if (rs->role == Role::kStopped) {
    rs->role = promotable ? Role::kUnpromoted : Role::kStarted;
  }
  rs->failed = true;
  rs->last_failure = now;
  long long interval =
      f.action == "monitor" ? MonitorInterval(*f.primitive, rs->role) : 0;
  s.status.failures.push_back({f.status_id, f.node, f.action, interval, 1,
                               "error", "unknown error", now, ""});
  log.push_back("Injecting " + f.status_id + "_" + f.action + "_" +
                std::to_string(interval) + " on " + f.node +
                " rc=1 (unknown error)");
  return Status::Ok();
}

struct Outcome {
  policy::Snapshot snapshot;  // after the what-ifs
  // The status as the file has it, kept only when a what-if changed it.
  std::optional<cib::ClusterStatus> changed_from;
  std::vector<std::string> modifications;
  policy::TransitionGraph graph;
  // The status after the transition; only the text output and --save need
  // it (a 32x1000 cluster's status is 32,000 entries: not built for JSON).
  cib::ClusterStatus revised;

  const cib::ClusterStatus& before() const {
    return changed_from ? *changed_from : snapshot.status;
  }
};

// The document is taken by value: callers that are done with it move it
// in, and nothing large is copied.
Result<Outcome> Simulate(cib::Document doc, const Request& r, WallTime now) {
  Outcome o;
  if (!r.node_down.empty() || !r.node_up.empty() || !r.fail.empty()) {
    o.changed_from = doc.status;
  }
  // The quorum the file recorded (Pacemaker's have-quorum), unless the
  // what-if sets it.
  o.snapshot.quorate = doc.status.quorate;
  o.snapshot.config = std::move(doc.config);
  o.snapshot.status = std::move(doc.status);
  for (const auto& n : r.node_down) {
    PL_RETURN_IF_ERROR(SetNodeState(o.snapshot, n, false, o.modifications));
  }
  for (const auto& n : r.node_up) {
    PL_RETURN_IF_ERROR(SetNodeState(o.snapshot, n, true, o.modifications));
  }
  for (const auto& f : r.fail) {
    PL_RETURN_IF_ERROR(InjectFailure(o.snapshot, f, now, o.modifications));
  }
  if (!r.quorum.empty()) {
    bool quorate = true;
    ParseBool(r.quorum, &quorate);
    o.snapshot.quorate = quorate;
    o.modifications.push_back(std::string("Setting quorum: ") +
                              (quorate ? "true" : "false"));
  }
  policy::Options options;
  options.record_scores = r.scores;
  PL_ASSIGN_OR_RETURN(o.graph, policy::Schedule(o.snapshot, options, now));
  if (r.output_as != "json" || r.save) {
    o.revised = policy::ApplyTransition(o.snapshot, o.graph);
  }
  return o;
}

void PrintText(const Outcome& o, const Request& r, std::ostream& out) {
  const cib::Configuration& config = o.snapshot.config;
  out << "Current cluster status:\n";
  simulate::PrintClusterStatus(config, o.before(), out);
  if (!o.modifications.empty()) {
    out << "\nPerforming Requested Modifications:\n";
    for (const auto& m : o.modifications) out << "  * " << m << "\n";
  }
  if (r.scores) {
    out << "\n";
    simulate::PrintScores(o.graph, out);
  }
  out << "\nTransition Summary:\n";
  simulate::PrintSummary(
      simulate::TransitionSummary(o.snapshot, o.before(), o.graph), out);
  out << "\nExecuting Cluster Transition:\n";
  simulate::PrintExecution(o.graph, out);
  out << "\nRevised Cluster Status:\n";
  simulate::PrintClusterStatus(config, o.revised, out);
}

int Fail(std::ostream& err, const Status& s) {
  err << "ERROR: " << s.message() << "\n";
  return s.ExitCode();
}

std::string CibPath(const Request& r, const crm::Environment& env) {
  if (!r.cib_path.empty()) return r.cib_path;
  for (const char* name : {"PACELINE_CIB", "CIB_file"}) {
    auto it = env.vars.find(name);
    if (it != env.vars.end() && !it->second.empty()) return it->second;
  }
  return "";
}

Status Missing(const std::string& path, const Status& s) {
  if (s.code() != StatusCode::kNotFound) return s;
  return Status::NotFound("configuration file " + path + " does not exist");
}

// Runs the simulation, saving the revised status under the store's lock
// when asked (so a concurrent change is never overwritten).
Result<Outcome> Run(const Request& r, const std::string& path, WallTime now) {
  cib::CibStore store(path);
  if (!r.save) {
    auto doc = store.Load();
    if (!doc.ok()) return Missing(path, doc.status());
    return Simulate(std::move(*doc), r, now);
  }
  std::optional<Outcome> outcome;
  Status refused;  // the simulation's own failure, as opposed to the file's
  Status s = store.Update(
      [&](cib::Document& doc) -> Status {
        auto o = Simulate(doc, r, now);
        if (!o.ok()) return refused = o.status();
        if (o->revised != doc.status) {
          doc.status = o->revised;
          ++doc.versions.num_updates;
        }
        outcome = std::move(*o);
        return Status::Ok();
      },
      /*create_if_missing=*/false);
  if (!refused.ok()) return refused;
  if (!s.ok()) return Missing(path, s);
  return std::move(*outcome);
}

// Without a file: the running cluster's configuration and live status,
// from the local daemon (like crm_simulate -L); nothing is written.
Result<Outcome> RunOnLiveCluster(const Request& r,
                                 const crm::Environment& env) {
  if (r.save) {
    return Status::Syntax(
        "simulate: --save needs a CIB file (--cib FILE); the running "
        "cluster is never changed by a simulation");
  }
  auto it = env.vars.find("PACELINE_SOCKET");
  std::string socket = it != env.vars.end() && !it->second.empty()
                           ? it->second
                           : "/run/paceline/paceline.sock";
  auto answer = crmd::Request(
      socket, boost::json::object{{"op", "get_cib"}, {"live", true}},
      std::chrono::seconds(30));
  if (!answer.ok()) {
    if (answer.status().code() != StatusCode::kUnavailable) {
      return answer.status();
    }
    return Status::Unavailable(answer.status().message() +
                               "; or give a file: --cib FILE, --pacemaker-xml "
                               "FILE, PACELINE_CIB=FILE or CIB_file=FILE");
  }
  const boost::json::value* text = answer->if_contains("cib");
  if (text == nullptr || !text->is_string()) {
    return Status::Corrupt("the daemon's answer has no \"cib\"");
  }
  auto doc = cib::ParseDocument(text->as_string());
  if (!doc.ok()) return doc.status();
  return Simulate(std::move(*doc), r, env.now);
}

Result<Outcome> RunOnFile(const Request& r, const crm::Environment& env) {
  std::string path = CibPath(r, env);
  if (path.empty()) return RunOnLiveCluster(r, env);
  return Run(r, path, env.now);
}

// A Pacemaker CIB, imported in memory; nothing is written.
Result<Outcome> RunOnPacemakerXml(const Request& r, const crm::Environment& env,
                                  std::ostream& err) {
  if (!r.cib_path.empty() || r.save) {
    return Status::Syntax(std::string("simulate: --pacemaker-xml cannot be "
                                      "combined with ") +
                          (r.save ? "--save; import the file first with "
                                    "`paceline cib import`"
                                  : "--cib"));
  }
  std::vector<std::string> notes;
  auto doc = ReadPacemakerXmlFile(r.pacemaker_xml, &notes);
  if (!doc.ok()) return doc.status();
  for (const auto& note : notes) err << "notice: " << note << "\n";
  return Simulate(std::move(*doc), r, env.now);
}

}  // namespace

int RunSimulate(const std::vector<std::string>& args,
                const crm::Environment& env, std::ostream& out,
                std::ostream& err) {
  Request r;
  std::string help;
  if (Status s = Parse(args, r, &help); !s.ok()) return Fail(err, s);
  if (r.help) {
    out << help;
    return 0;
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(
      r.pacemaker_xml.empty() ? CibPath(r, env) : r.pacemaker_xml, ec);
  bool large = !ec && size >= kLargeJob;
  if (large) PrepareHeapForLargeJob(size);
  auto outcome = r.pacemaker_xml.empty() ? RunOnFile(r, env)
                                         : RunOnPacemakerXml(r, env, err);
  if (!outcome.ok()) return Fail(err, outcome.status());
  const Outcome& o = *outcome;
  for (const auto& note : o.graph.notes) err << "WARNING: " << note << "\n";
  if (!r.dot.empty()) {
    std::ofstream dot(r.dot, std::ios::binary | std::ios::trunc);
    dot << policy::ToDot(o.graph);
    dot.close();
    if (!dot) return Fail(err, Status::Io("cannot write " + r.dot));
  }
  if (r.output_as == "json") {
    out << simulate::SimulateJson(o.graph, r.scores);
  } else {
    PrintText(o, r, out);
  }
  if (large) {
    // The process ends with this command: taking apart a large job's
    // model and graph, allocation by allocation, would only make it later.
    new Result<Outcome>(std::move(outcome));
  }
  return 0;
}

}  // namespace paceline::cli
