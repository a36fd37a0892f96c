// How fast, and in how much memory, the scheduler plans large clusters.
// Target (issue 3): at least 100x faster than Pacemaker 2.1.5 with a tenth
// of its memory, growing close to linearly in resources x nodes.
//
//   build/bench/bench_policy_scale [--timeout SECONDS] [--save DIR]
//                                  [NODESxPRIMITIVES ...]
//
// --save writes each case's input as DIR/NODESxPRIMITIVES-VARIANT.yaml (a
// cib.yaml) so a surprising figure can be replayed.
//
// Each scale is run in two variants:
//   cold     every node online, every resource known stopped everywhere
//            (so no probes): the whole cluster starts;
//   running  everything where a previous schedule put it (cold's graph
//            applied with ApplyTransition), then one node lost (offline).
//
// Each case runs in a forked child so its memory is its own: the parent
// builds the snapshot and trims its heap, a baseline child exits at once,
// the measured child schedules three times (median wall time, steady
// clock). Peak memory is the measured child's ru_maxrss minus the
// baseline's, both from wait4(), which reports one child's usage;
// getrusage(RUSAGE_CHILDREN) would report the largest child so far, which
// is wrong as soon as a bigger case ran before a smaller one. A fork's
// high-water mark starts at its inherited resident size (not the parent's
// past peak), and malloc_trim() before the fork keeps freed pages out of
// it, so the difference is what Schedule itself touched.
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "cib/duration.h"
#include "cib/model.h"
#include "cib/store.h"
#include "policy/policy.h"

namespace {

namespace cib = paceline::cib;
namespace policy = paceline::policy;
using SteadyClock = std::chrono::steady_clock;

const paceline::WallTime kNow = *cib::ParseTimestamp("2026-11-25T10:00:00Z");

struct Scale {
  int nodes = 0;
  int primitives = 0;
  std::string Name() const {
    return std::to_string(nodes) + "x" + std::to_string(primitives);
  }
};

constexpr int kRuns = 3;  // per case; the median is reported

const Scale kDefaultScales[] = {
    {8, 100}, {16, 500}, {32, 1000}, {32, 2000}, {32, 5000}};

// ---- The configuration: the shapes of a real estate, repeated.
//
// Out of P primitives: P/50 promotable clones of one primitive (DRBD-like,
// two instances, one promoted), P/100 anonymous clones on every node
// (ping-like), 30% in groups of 2..5 members, the rest standalone. Groups
// take turns: colocated with a promoted clone and ordered after its
// promotion (the talk's PGServer), or colocated with an anonymous clone.
// Standalone primitives form colocation chains of four (two mandatory
// links, one advisory) with mandatory/optional orderings; the others get
// location scores, a few bans and a few -INFINITY anti-colocations.
class ConfigBuilder {
 public:
  explicit ConfigBuilder(Scale s) : s_(s) {}

  cib::Configuration Make() {
    for (int i = 0; i < s_.nodes; ++i) {
      c_.nodes.push_back({.name = NodeName(i), .id = unsigned(i + 1)});
    }
    c_.properties.Set("stonith-enabled", "false");
    c_.properties.Set("no-quorum-policy", "stop");
    c_.rsc_defaults.Set("resource-stickiness", "100");
    c_.rsc_defaults.Set("migration-threshold", "3");
    c_.op_defaults.Set("timeout", "20s");

    int promotable = std::max(1, s_.primitives / 50);
    int anonymous = std::max(1, s_.primitives / 100);
    int grouped = s_.primitives * 3 / 10;
    int standalone = s_.primitives - promotable - anonymous - grouped;
    for (int i = 0; i < promotable; ++i) AddPromotable(i);
    for (int i = 0; i < anonymous; ++i) AddAnonymousClone(i);
    AddGroups(grouped, promotable, anonymous);
    AddStandalone(standalone);
    c_.Canonicalize();
    return std::move(c_);
  }

  // The promotable primitives, for their promotion scores in the status.
  const std::vector<std::string>& promotable_primitives() const {
    return promotable_prims_;
  }
  static std::string NodeName(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "node%02d", i + 1);
    return buf;
  }

 private:
  cib::Resource Primitive(std::string id, const char* agent,
                          const char* monitor) {
    cib::Resource r;
    r.id = std::move(id);
    r.agent = *cib::ParseAgentSpec(agent);
    r.params.Set("name", r.id);
    r.params.Set("state", "/run/paceline/" + r.id + ".state");
    r.ops.push_back({"monitor", {{"interval", monitor}, {"timeout", "20s"}}});
    r.ops.push_back({"start", {{"interval", "0"}, {"timeout", "60s"}}});
    r.ops.push_back({"stop", {{"interval", "0"}, {"timeout", "60s"}}});
    return r;
  }

  void AddPromotable(int i) {
    std::string prim = "drbd" + std::to_string(i);
    cib::Resource r = Primitive(prim, "ocf:linbit:drbd", "15s");
    r.ops[0].attrs.Set("role", "Unpromoted");
    r.ops.push_back({"monitor", {{"interval", "10s"}, {"role", "Promoted"}}});
    c_.resources.push_back(std::move(r));
    cib::Resource ms;
    ms.id = "ms_" + prim;
    ms.kind = cib::ResourceKind::kClone;
    ms.promotable = true;
    ms.children = {prim};
    ms.meta.Set("promoted-max", "1");
    ms.meta.Set("promoted-node-max", "1");
    ms.meta.Set("clone-max", "2");
    ms.meta.Set("clone-node-max", "1");
    ms.meta.Set("notify", "true");
    // The pair of nodes holding this replica, the first preferred primary.
    int a = (2 * i) % s_.nodes, b = (2 * i + 1) % s_.nodes;
    Locate(ms.id, a, 200);
    Locate(ms.id, b, 200);
    cib::Location pref{.id = "loc-" + ms.id + "-promoted",
                       .rsc = ms.id,
                       .role = cib::Role::kPromoted,
                       .score = cib::Score(100),
                       .node = NodeName(a)};
    c_.constraints.push_back(pref);
    promotable_prims_.push_back(prim);
    promotable_.push_back(ms.id);
    c_.resources.push_back(std::move(ms));
  }

  void AddAnonymousClone(int i) {
    std::string prim = "ping" + std::to_string(i);
    c_.resources.push_back(Primitive(prim, "ocf:pacemaker:ping", "10s"));
    cib::Resource cl;
    cl.id = "cl_" + prim;
    cl.kind = cib::ResourceKind::kClone;
    cl.children = {prim};
    anonymous_.push_back(cl.id);
    c_.resources.push_back(std::move(cl));
  }

  void AddGroups(int grouped, int promotable, int anonymous) {
    static const char* kAgents[] = {
        "ocf:heartbeat:LVM", "ocf:heartbeat:Filesystem", "ocf:heartbeat:pgsql",
        "ocf:heartbeat:IPaddr2", "ocf:heartbeat:apache"};
    int g = 0;
    std::string previous;
    while (grouped >= 2) {
      int size = std::min(grouped, 2 + g % 4);
      if (grouped - size == 1) ++size;  // no group of one left over
      cib::Resource grp;
      grp.id = "grp" + std::to_string(g);
      grp.kind = cib::ResourceKind::kGroup;
      for (int m = 0; m < size; ++m) {
        std::string id = grp.id + "_m" + std::to_string(m);
        c_.resources.push_back(Primitive(id, kAgents[m % 5], "30s"));
        grp.children.push_back(id);
      }
      grouped -= size;
      if (g % 2 == 0) {  // the PGServer shape
        const std::string& ms = promotable_[size_t(g / 2 % promotable)];
        Colocate(grp.id, cib::Role::kUnknown, ms, cib::Role::kPromoted,
                 cib::Score::Infinity());
        Order(ms, cib::Action::kPromote, grp.id, cib::Action::kStart,
              cib::OrderKind::kMandatory);
      } else {
        const std::string& cl = anonymous_[size_t(g / 2 % anonymous)];
        Colocate(grp.id, cib::Role::kUnknown, cl, cib::Role::kUnknown,
                 cib::Score::Infinity());
        Order(cl, cib::Action::kStart, grp.id, cib::Action::kStart,
              cib::OrderKind::kMandatory);
        Locate(grp.id, g % s_.nodes, 100);
      }
      if (!previous.empty()) {
        Order(previous, cib::Action::kStart, grp.id, cib::Action::kStart,
              cib::OrderKind::kOptional);
      }
      previous = grp.id;
      c_.resources.push_back(std::move(grp));
      ++g;
    }
  }

  void AddStandalone(int n) {
    int chained = (n * 4 / 10) / 4 * 4;
    for (int i = 0; i < n; ++i) {
      std::string id = "rsc" + std::to_string(i);
      c_.resources.push_back(Primitive(id, "ocf:heartbeat:Dummy", "10s"));
      if (i < chained) {
        if (i % 4 == 0) {
          Locate(id, (i * 7) % s_.nodes, 50 + (i % 5) * 50);
          continue;
        }
        std::string prev = "rsc" + std::to_string(i - 1);
        bool advisory = i % 4 == 3;
        Colocate(id, cib::Role::kUnknown, prev, cib::Role::kUnknown,
                 advisory ? cib::Score(500) : cib::Score::Infinity());
        Order(
            prev, cib::Action::kStart, id, cib::Action::kStart,
            advisory ? cib::OrderKind::kOptional : cib::OrderKind::kMandatory);
        continue;
      }
      if (i % 5 < 3) Locate(id, (i * 7) % s_.nodes, 50 + (i % 5) * 50);
      if (i % 40 == 0) Locate(id, (i * 3 + 1) % s_.nodes, -cib::kInfinity);
      if (i % 50 == 1 && i + 1 < n) {  // replicas kept apart
        Colocate("rsc" + std::to_string(i + 1), cib::Role::kUnknown, id,
                 cib::Role::kUnknown, cib::Score::MinusInfinity());
      }
    }
  }

  void Locate(const std::string& rsc, int node, long long score) {
    c_.constraints.push_back(
        cib::Location{.id = "loc" + std::to_string(++ids_) + "-" + rsc,
                      .rsc = rsc,
                      .score = cib::Score(score),
                      .node = NodeName(node)});
  }
  void Colocate(const std::string& rsc, cib::Role role, const std::string& with,
                cib::Role with_role, cib::Score score) {
    c_.constraints.push_back(
        cib::Colocation{.id = "col" + std::to_string(++ids_) + "-" + rsc,
                        .score = score,
                        .rsc = rsc,
                        .rsc_role = role,
                        .with_rsc = with,
                        .with_rsc_role = with_role});
  }
  void Order(const std::string& first, cib::Action first_action,
             const std::string& then, cib::Action then_action,
             cib::OrderKind kind) {
    cib::Order o;
    o.id = "ord" + std::to_string(++ids_) + "-" + then;
    o.kind = kind;
    o.first = first;
    o.first_action = first_action;
    o.then = then;
    o.then_action = then_action;
    c_.constraints.push_back(o);
  }

  Scale s_;
  cib::Configuration c_;
  int ids_ = 0;
  std::vector<std::string> promotable_;  // ms ids
  std::vector<std::string> anonymous_;   // clone ids
  std::vector<std::string> promotable_prims_;
};

// ---- The two statuses.

// Every node online, every primitive known stopped on every node (no
// probes), promotion scores as the DRBD agent would have left them.
cib::ClusterStatus ColdStatus(const cib::Configuration& c,
                              const std::vector<std::string>& promotable) {
  cib::ClusterStatus s;
  s.dc = c.nodes.front().name;
  for (size_t i = 0; i < c.nodes.size(); ++i) {
    cib::NodeStatus n;
    n.name = c.nodes[i].name;
    n.state = cib::NodeState::kOnline;
    for (size_t k = 0; k < promotable.size(); ++k) {
      n.attributes.Set("master-" + promotable[k], (k + i) % 2 ? "5" : "10");
    }
    for (const auto& r : c.resources) {
      if (r.IsPrimitive()) n.resources.push_back({.id = r.id});
    }
    s.nodes.push_back(std::move(n));
  }
  return s;
}

int ActiveCount(const cib::NodeStatus& n) {
  return int(std::count_if(n.resources.begin(), n.resources.end(),
                           [](const cib::ResourceState& r) {
                             return r.role != cib::Role::kStopped;
                           }));
}

int ChangingActions(const policy::TransitionGraph& g) {
  return int(std::count_if(
      g.actions.begin(), g.actions.end(), [](const policy::Action& a) {
        return !a.pseudo && a.runnable && a.task != policy::Task::kMonitor &&
               a.task != policy::Task::kNotify;
      }));
}

// The converged status of the cold start, then the busiest node lost: it
// leaves the membership (offline, transient attributes gone) with its last
// known resource states still recorded. `leftover` counts the actions a
// schedule of the converged status (before the loss) still asks for: 0
// unless the scheduler does not converge, which would blur the figures.
paceline::Result<cib::ClusterStatus> RunningStatus(const policy::Snapshot& cold,
                                                   int* leftover) {
  auto graph = policy::Schedule(cold, {}, kNow);
  if (!graph.ok()) return graph.status();
  policy::Snapshot converged{.config = cold.config,
                             .status = policy::ApplyTransition(cold, *graph)};
  auto again = policy::Schedule(converged, {}, kNow);
  if (!again.ok()) return again.status();
  *leftover = ChangingActions(*again);
  cib::ClusterStatus s = std::move(converged.status);
  auto busiest = std::max_element(s.nodes.begin(), s.nodes.end(),
                                  [](const auto& a, const auto& b) {
                                    return ActiveCount(a) < ActiveCount(b);
                                  });
  busiest->state = cib::NodeState::kOffline;
  busiest->attributes = {};
  if (s.dc == busiest->name) {
    s.dc =
        busiest == s.nodes.begin() ? s.nodes.back().name : s.nodes.front().name;
  }
  return s;
}

// ---- Measuring one case in a child.

struct Measurement {
  bool ok = false;
  int actions = 0;
  int edges = 0;
  int placed = 0;  // instances active after the transition
  int instances = 0;
  double ms = 0;       // median of three
  double cpu_ms = 0;   // median CPU time: steadier on a busy machine
  double rss_mb = 0;   // child's peak minus the baseline child's
  double base_mb = 0;  // the baseline child's peak: the snapshot
  char error[200] = {};
};

struct ChildReport {  // written through a pipe; well under PIPE_BUF
  int ok = 0;
  int actions = 0;
  int edges = 0;
  int placed = 0;
  int instances = 0;
  double ms = 0;
  double cpu_ms = 0;
  char error[200] = {};
};

double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void RunChild(const policy::Snapshot& snapshot, int fd) {
  ChildReport rep;
  std::vector<double> wall, cpu;
  for (int i = 0; i < kRuns; ++i) {
    double c0 = ThreadCpuMs();
    auto t0 = SteadyClock::now();
    auto graph = policy::Schedule(snapshot, {}, kNow);
    auto t1 = SteadyClock::now();
    cpu.push_back(ThreadCpuMs() - c0);
    wall.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    if (!graph.ok()) {
      std::snprintf(rep.error, sizeof rep.error, "%s",
                    graph.status().message().c_str());
      break;
    }
    rep.ok = 1;
    rep.actions = int(graph->actions.size());
    rep.edges = int(graph->edges.size());
    rep.instances = int(graph->placements.size());
    rep.placed = int(std::count_if(
        graph->placements.begin(), graph->placements.end(),
        [](const policy::Placement& p) { return !p.node.empty(); }));
  }
  rep.ms = Median(wall);
  rep.cpu_ms = Median(cpu);
  ssize_t n = write(fd, &rep, sizeof rep);
  _exit(n == ssize_t(sizeof rep) ? 0 : 1);
}

// Waits for pid up to timeout; kills it (only it) past the deadline.
bool WaitChild(pid_t pid, int timeout_s, rusage* ru) {
  auto deadline = SteadyClock::now() + std::chrono::seconds(timeout_s);
  int status = 0;
  while (true) {
    pid_t r = wait4(pid, &status, WNOHANG, ru);
    if (r == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (r < 0) return false;
    if (SteadyClock::now() > deadline) {
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, ru);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

double PeakMb(const rusage& ru) { return double(ru.ru_maxrss) / 1024.0; }

// The resident size of a child that holds the snapshot and does nothing.
double BaselineMb(int timeout_s) {
  rusage ru{};
  pid_t pid = fork();
  if (pid < 0) return 0;
  if (pid == 0) _exit(0);
  WaitChild(pid, timeout_s, &ru);
  return PeakMb(ru);
}

Measurement Measure(const policy::Snapshot& snapshot, int timeout_s) {
  Measurement m;
  malloc_trim(0);
  std::fflush(stdout);
  m.base_mb = BaselineMb(timeout_s);
  int fds[2];
  if (pipe(fds) != 0) {
    std::snprintf(m.error, sizeof m.error, "pipe: %s", std::strerror(errno));
    return m;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    RunChild(snapshot, fds[1]);
  }
  close(fds[1]);
  rusage ru{};
  bool exited = pid > 0 && WaitChild(pid, timeout_s, &ru);
  ChildReport rep;
  bool got = exited && read(fds[0], &rep, sizeof rep) == ssize_t(sizeof rep);
  close(fds[0]);
  if (!got) {
    if (pid < 0) {
      std::snprintf(m.error, sizeof m.error, "fork: %s", std::strerror(errno));
    } else {
      std::snprintf(m.error, sizeof m.error,
                    "no result within %d s (killed or crashed)", timeout_s);
    }
    return m;
  }
  m.ok = rep.ok != 0;
  m.actions = rep.actions;
  m.edges = rep.edges;
  m.placed = rep.placed;
  m.instances = rep.instances;
  m.ms = rep.ms;
  m.cpu_ms = rep.cpu_ms;
  m.rss_mb = std::max(0.0, PeakMb(ru) - m.base_mb);
  std::memcpy(m.error, rep.error, sizeof m.error);
  return m;
}

void PrintRow(const Scale& s, const char* variant, const Measurement& m) {
  if (!m.ok) {
    std::printf("%-9s %-8s  %s\n", s.Name().c_str(), variant, m.error);
    return;
  }
  double per = m.ms * 1e6 / (double(s.nodes) * double(s.primitives));
  std::string placed =
      std::to_string(m.placed) + "/" + std::to_string(m.instances);
  std::printf("%-9s %-8s %11s %8d %8d %9.1f %8.1f %8.1f %8.1f %11.0f\n",
              s.Name().c_str(), variant, placed.c_str(), m.actions, m.edges,
              m.ms, m.cpu_ms, m.rss_mb, m.base_mb, per);
  std::fflush(stdout);
}

bool ParseScale(const char* text, Scale* out) {
  int n = 0, p = 0;
  char tail = 0;
  if (std::sscanf(text, "%dx%d%c", &n, &p, &tail) != 2 || n < 1 || p < 10) {
    return false;
  }
  *out = {n, p};
  return true;
}

void Save(const std::string& dir, const Scale& s, const char* variant,
          const policy::Snapshot& snapshot) {
  if (dir.empty()) return;
  cib::Document doc{.config = snapshot.config, .status = snapshot.status};
  std::ofstream(dir + "/" + s.Name() + "-" + variant + ".yaml")
      << cib::SerializeDocument(doc);
}

void RunScale(const Scale& s, int timeout_s, const std::string& save,
              std::vector<std::string>& notes) {
  ConfigBuilder builder(s);
  policy::Snapshot cold;
  cold.config = builder.Make();
  cold.status = ColdStatus(cold.config, builder.promotable_primitives());
  Save(save, s, "cold", cold);
  Measurement a = Measure(cold, timeout_s);
  PrintRow(s, "cold", a);
  if (!a.ok) {  // preparing `running` schedules cold once more: skip it
    std::printf("%-9s %-8s  skipped (cold did not finish)\n", s.Name().c_str(),
                "running");
    return;
  }
  int leftover = 0;
  auto running = RunningStatus(cold, &leftover);
  if (!running.ok()) {
    std::printf("%-9s %-8s  %s\n", s.Name().c_str(), "running",
                running.status().message().c_str());
    return;
  }
  if (leftover > 0) {
    notes.push_back(s.Name() + ": the converged status alone still asks for " +
                    std::to_string(leftover) +
                    " start/stop/promote/demote actions (not converged)");
  }
  policy::Snapshot lost{.config = std::move(cold.config),
                        .status = std::move(*running)};
  cold.status = {};
  Save(save, s, "running", lost);
  PrintRow(s, "running", Measure(lost, timeout_s));
}

}  // namespace

int main(int argc, char** argv) {
  int timeout_s = 120;
  std::string save;
  std::vector<Scale> scales;
  for (int i = 1; i < argc; ++i) {
    Scale s;
    if (std::strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
      timeout_s = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--save") == 0 && i + 1 < argc) {
      save = argv[++i];
    } else if (ParseScale(argv[i], &s)) {
      scales.push_back(s);
    } else {
      std::fprintf(stderr,
                   "usage: %s [--timeout SECONDS] [--save DIR] "
                   "[NODESxPRIMITIVES ...]\n",
                   argv[0]);
      return 2;
    }
  }
  if (scales.empty())
    scales.assign(std::begin(kDefaultScales), std::end(kDefaultScales));
  std::printf(
      "Scheduler scale benchmark (policy::Schedule, median of 3 runs)\n"
      "Reference, Pacemaker 2.1.5 on 32x1000: ~5 s / ~500 MB with "
      "everything running, ~22 s from cold.\n"
      "Target: >= 100x faster (running <= 50 ms, cold <= 220 ms) in a "
      "tenth of the memory (<= 50 MB).\n"
      "cold: all nodes online, all known stopped; running: converged, then "
      "the busiest node lost.\n"
      "placed: instances running after the transition / all instances; "
      "time: wall, median;\ncpu: thread CPU time, median (steadier on a busy "
      "machine); peak MB: Schedule's own peak;\nsnap MB: the process "
      "holding the input; ns/rsc*node: median wall time / (primitives x "
      "nodes).\n\n");
  std::printf("%-9s %-8s %11s %8s %8s %9s %8s %8s %8s %11s\n", "scale",
              "variant", "placed", "actions", "edges", "time ms", "cpu ms",
              "peak MB", "snap MB", "ns/rsc*node");
  std::vector<std::string> notes;
  for (const Scale& s : scales) RunScale(s, timeout_s, save, notes);
  for (const auto& n : notes) std::printf("note: %s\n", n.c_str());
  return 0;
}
