// Membership benchmarks with real daemons in a network namespace (needs
// root). Prints:
//   1. kill -9 detection: from the kill to the survivors' logged view,
//      TRIALS times (victims alternate between the DC and a non-DC);
//   2. idle footprint of one daemon with 2, 8 and 32 nodes: CPU over
//      IDLE_SECONDS (utime+stime from /proc), RSS, heartbeat bytes sent per
//      second by that node;
//   3. false deaths over STRESS_SECONDS with both cores saturated by busy
//      loops (3 nodes): view changes after the first view (want 0).
//
//   bench_membership_daemons [TRIALS=20] [IDLE_SECONDS=30] [STRESS_SECONDS=60]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/cluster/netns_cluster.h"

namespace {

using paceline::testing::NetnsCluster;
using std::chrono::milliseconds;
using std::chrono::seconds;
using SysTime = std::chrono::system_clock::time_point;

SysTime ParseUtc(const std::string& ts) {
  std::tm tm{};
  strptime(ts.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm)) +
         std::chrono::microseconds(std::stol(ts.substr(20, 6)));
}

// Timestamps of the "view N: members [...]" lines of a log.
std::vector<SysTime> ViewTimes(const std::string& log) {
  static const std::regex re(R"((\S+) paceline\[\S+\]: view \d+: members)");
  std::vector<SysTime> out;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, re)) out.push_back(ParseUtc(m[1]));
  }
  return out;
}

std::set<int> Range(int n) {
  std::set<int> s;
  for (int i = 1; i <= n; ++i) s.insert(i);
  return s;
}

double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::vector<std::string> f{std::istream_iterator<std::string>(rest), {}};
  return (std::stod(f[11]) + std::stod(f[12])) / sysconf(_SC_CLK_TCK);
}

long RssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

uint64_t SentBytes(const NetnsCluster& c, int i) {
  auto st = c.Status(i);
  if (!st) return 0;
  return st->at("membership")
      .at("traffic")
      .at("sent_bytes")
      .to_number<uint64_t>();
}

void Detection(int trials) {
  NetnsCluster c(3);
  if (!c.ok() || !c.StartAll() ||
      !c.WaitFor(
          [&] {
            return c.Agreed({1, 2, 3});
          },
          seconds(10))) {
    std::printf("detection: cluster did not form\n");
    return;
  }
  std::vector<double> dc_ms, other_ms;
  for (int t = 0; t < trials; ++t) {
    std::string dc;
    c.Agreed({1, 2, 3}, &dc);
    int dc_node = dc.back() - '0';
    int victim = t % 2 == 0 ? dc_node : (dc_node % 3) + 1;
    int observer = (victim % 3) + 1;
    size_t before = ViewTimes(c.Log(observer)).size();
    SysTime killed = std::chrono::system_clock::now();
    c.Kill(victim);
    std::set<int> rest = Range(3);
    rest.erase(victim);
    if (!c.WaitFor([&] { return c.Agreed(rest); }, seconds(5))) {
      std::printf("trial %d: no view without node%d\n", t, victim);
      continue;
    }
    auto views = ViewTimes(c.Log(observer));
    if (views.size() > before) {
      double ms =
          std::chrono::duration<double, std::milli>(views[before] - killed)
              .count();
      (victim == dc_node ? dc_ms : other_ms).push_back(ms);
    }
    c.Start(victim);
    c.WaitFor([&] { return c.Agreed({1, 2, 3}); }, seconds(10));
    std::this_thread::sleep_for(seconds(2));  // let the detector learn again
  }
  auto print = [](const char* what, std::vector<double> v) {
    if (v.empty()) return;
    std::sort(v.begin(), v.end());
    std::printf("  %-10s n=%2zu  min %6.1f  median %6.1f  p99/max %6.1f ms\n",
                what, v.size(), v.front(), v[v.size() / 2], v.back());
  };
  std::printf("kill -9 detection (kill -> survivors' new view, 3 nodes):\n");
  print("DC victim", dc_ms);
  print("other", other_ms);
  std::vector<double> all = dc_ms;
  all.insert(all.end(), other_ms.begin(), other_ms.end());
  print("all", all);
}

void Idle(int nodes, int secs) {
  NetnsCluster c(nodes);
  if (!c.ok() || !c.StartAll() ||
      !c.WaitFor([&] { return c.Agreed(Range(nodes)); }, seconds(30))) {
    std::printf("idle %d nodes: cluster did not form\n", nodes);
    return;
  }
  std::this_thread::sleep_for(seconds(2));
  pid_t pid = c.pid(1);
  double cpu0 = CpuSeconds(pid);
  uint64_t bytes0 = SentBytes(c, 1);
  auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(seconds(secs));
  double cpu1 = CpuSeconds(pid);
  uint64_t bytes1 = SentBytes(c, 1);
  double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  std::printf(
      "  %2d nodes: CPU %.3f%% of a core, RSS %ld KiB, heartbeats "
      "sent %.1f KiB/s\n",
      nodes, 100.0 * (cpu1 - cpu0) / wall, RssKb(pid),
      double(bytes1 - bytes0) / wall / 1024);
}

void Stress(int secs) {
  NetnsCluster c(3);
  if (!c.ok() || !c.StartAll() ||
      !c.WaitFor(
          [&] {
            return c.Agreed({1, 2, 3});
          },
          seconds(10))) {
    std::printf("stress: cluster did not form\n");
    return;
  }
  size_t before = 0;
  for (int i = 1; i <= 3; ++i) before += ViewTimes(c.Log(i)).size();
  std::vector<pid_t> burners;
  for (int i = 0; i < 4; ++i) {
    pid_t p = fork();
    if (p == 0) {
      volatile unsigned long x = 0;
      for (;;) x = x + 1;
    }
    burners.push_back(p);
  }
  std::this_thread::sleep_for(seconds(secs));
  for (pid_t p : burners) {
    kill(p, SIGKILL);
    waitpid(p, nullptr, 0);
  }
  size_t after = 0;
  for (int i = 1; i <= 3; ++i) after += ViewTimes(c.Log(i)).size();
  std::printf(
      "false deaths with 4 busy loops on 2 cores for %d s: %zu view "
      "changes (want 0)\n",
      secs, after - before);
}

}  // namespace

int main(int argc, char** argv) {
  if (geteuid() != 0) {
    std::fprintf(stderr, "needs root (network namespaces)\n");
    return 1;
  }
  int trials = argc > 1 ? std::atoi(argv[1]) : 20;
  int idle = argc > 2 ? std::atoi(argv[2]) : 30;
  int stress = argc > 3 ? std::atoi(argv[3]) : 60;
  Detection(trials);
  std::printf("idle footprint of one daemon over %d s:\n", idle);
  for (int n : {2, 8, 32}) Idle(n, idle);
  Stress(stress);
  return 0;
}
