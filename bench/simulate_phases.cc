// Where `paceline simulate --pacemaker-xml FILE --output-as=json` spends
// its time, phase by phase, in this process: read the file, parse the XML,
// import it into the model, schedule, apply the transition, render the
// JSON. CPU time of this thread (steadier than wall time on a shared
// machine), median of --runs per phase; for finding what to make faster,
// not for comparing with Pacemaker (bench_policy_vs_pacemaker does that).
//
//   build/bench/bench_simulate_phases [--runs N] FILE.xml
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/scale_config.h"
#include "cib/pacemaker_xml.h"
#include "cib/xml_reader.h"
#include "cli/simulate_render.h"
#include "policy/policy.h"

namespace {

namespace cib = paceline::cib;
namespace policy = paceline::policy;
// This thread's CPU time.
struct Clock {
  using time_point = double;  // ms
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
  }
};

double Ms(double since) { return Clock::now() - since; }

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      path = argv[i];
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: %s [--runs N] FILE.xml\n", argv[0]);
    return 2;
  }
  std::map<std::string, std::vector<double>> phases;
  std::vector<std::string> order;
  auto record = [&](const std::string& name, double ms) {
    if (!phases.count(name)) order.push_back(name);
    phases[name].push_back(ms);
  };
  for (int run = 0; run < runs; ++run) {
    auto t = Clock::now();
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    record("read", Ms(t));
    t = Clock::now();
    auto tree = cib::xml::Parse(text);
    record("xml parse", Ms(t));
    if (!tree.ok()) {
      std::fprintf(stderr, "%s\n", tree.status().message().c_str());
      return 1;
    }
    t = Clock::now();
    auto imported = cib::ImportPacemakerXml(text);
    record("parse+import", Ms(t));
    if (!imported.ok()) {
      std::fprintf(stderr, "%s\n", imported.status().message().c_str());
      return 1;
    }
    t = Clock::now();
    policy::Snapshot snap{.config = std::move(imported->doc.config),
                          .status = std::move(imported->doc.status),
                          .quorate = imported->doc.status.quorate};
    record("snapshot (moved)", Ms(t));
    t = Clock::now();
    auto graph = policy::Schedule(snap, {}, paceline::bench::kNow);
    record("Schedule", Ms(t));
    if (!graph.ok()) return 1;
    t = Clock::now();
    auto revised = policy::ApplyTransition(snap, *graph);
    record("ApplyTransition", Ms(t));
    t = Clock::now();
    std::string json = paceline::cli::simulate::SimulateJson(*graph, false);
    record("SimulateJson", Ms(t));
    if (run == 0) {
      std::printf("%s: %zu bytes, %zu actions, JSON %zu bytes\n", path.c_str(),
                  text.size(), graph->actions.size(), json.size());
    }
  }
  for (const auto& name : order) {
    auto& v = phases[name];
    std::sort(v.begin(), v.end());
    std::printf("%-18s %8.1f ms\n", name.c_str(), v[v.size() / 2]);
  }
  return 0;
}
