// Failover with real daemons and agents (needs root: network namespaces).
// Three nodes; a group of three ocf:pacemaker:Dummy with 5 s monitors;
// kill -9 of the node running it, until the group is Started on a
// survivor (polling `crm status --output-as=json` every 10 ms), TRIALS
// times, alternately with the holder as DC and as a non-DC; the killed
// node is restarted (after clearing its /run, as a reboot would) between
// trials. Also: `crm resource move` of the group (command return, and
// until Started on the target), and `crm configure primitive` wall time
// against the live cluster.
//
//   bench_cluster_failover [TRIALS=10]
#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "tests/cluster/netns_cluster.h"

namespace {

using paceline::testing::NetnsCluster;
using paceline::testing::NodeName;
using paceline::testing::RunCommand;
using paceline::testing::RunResult;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// The node all three members run on (as `from` reports), or "".
std::string Holder(const NetnsCluster& c, int from) {
  auto st = c.Status(from);
  if (!st) return "";
  std::string node;
  int started = 0;
  for (const auto& r : st->at("resources").as_array()) {
    const auto& o = r.as_object();
    if (o.at("group").is_null() || o.at("node").is_null()) continue;
    std::string n(o.at("node").as_string());
    if (!node.empty() && n != node) return "";
    node = n;
    if (o.at("role").as_string() == "Started") ++started;
  }
  return started == 3 ? node : "";
}

std::string Dc(const NetnsCluster& c, int from) {
  auto st = c.Status(from);
  if (!st || !st->at("dc").is_string()) return "";
  return std::string(st->at("dc").as_string());
}

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

void Print(const char* what, std::vector<double> v) {
  if (v.empty()) return;
  std::sort(v.begin(), v.end());
  std::printf("  %-22s n=%2zu  min %6.0f  median %6.0f  max %6.0f ms\n", what,
              v.size(), v.front(), v[v.size() / 2], v.back());
}

}  // namespace

int main(int argc, char** argv) {
  if (geteuid() != 0) {
    std::fprintf(stderr, "needs root (network namespaces)\n");
    return 1;
  }
  int trials = argc > 1 ? std::atoi(argv[1]) : 10;
  NetnsCluster c(3);
  if (!c.ok() || !c.StartAll() ||
      !c.WaitFor(
          [&] {
            return c.Agreed({1, 2, 3});
          },
          seconds(10))) {
    std::fprintf(stderr, "cluster did not form\n");
    return 1;
  }
  for (const char* line :
       {"configure property stonith-enabled=false",
        "configure rsc_defaults resource-stickiness=100",
        "configure primitive a ocf:pacemaker:Dummy op monitor interval=5s",
        "configure primitive b ocf:pacemaker:Dummy op monitor interval=5s",
        "configure primitive v ocf:pacemaker:Dummy op monitor interval=5s",
        "configure group g a b v"}) {
    RunResult r = c.Crm(1, line);
    if (r.exit_code != 0) {
      std::fprintf(stderr, "%s: %s", line, r.err.c_str());
      return 1;
    }
  }
  std::vector<double> dc_victim, other_victim;
  for (int t = 0; t < trials; ++t) {
    std::string holder;
    c.WaitFor(
        [&] {
          return !(holder = Holder(c, 1 + t % 3)).empty() ||
                 !(holder = Holder(c, 1 + (t + 1) % 3)).empty();
        },
        seconds(10));
    if (holder.empty()) {
      std::printf("trial %d: the group is not running\n", t);
      continue;
    }
    // Even trials: the holder is the DC; odd trials: it is not. The
    // group is moved there first when needed.
    std::string dc = Dc(c, holder.back() - '0');
    bool want_dc = t % 2 == 0;
    if (!dc.empty() && (holder == dc) != want_dc) {
      int target = want_dc ? dc.back() - '0' : (holder.back() - '0') % 3 + 1;
      if (!want_dc && NodeName(target) == dc) target = target % 3 + 1;
      c.Crm(target, "--wait resource move g " + NodeName(target));
      c.WaitFor([&] { return Holder(c, target) == NodeName(target); },
                seconds(10));
      c.Crm(target, "--wait resource clear g");
      holder = NodeName(target);
    }
    int victim = holder.back() - '0';
    int watcher = victim % 3 + 1;
    bool was_dc = Dc(c, watcher) == holder;
    auto t0 = Clock::now();
    c.Kill(victim);
    bool moved = c.WaitFor(
        [&] {
          std::string h = Holder(c, watcher);
          return !h.empty() && h != holder;
        },
        seconds(10));
    double ms = Ms(Clock::now() - t0);
    if (moved) (was_dc ? dc_victim : other_victim).push_back(ms);
    std::filesystem::remove_all(c.StateDir(victim) + "/" + NodeName(victim));
    c.Start(victim);
    c.WaitFor([&] { return c.Agreed({1, 2, 3}); }, seconds(10));
    std::this_thread::sleep_for(seconds(1));
  }
  std::printf(
      "failover, kill -9 of the group's node -> Started elsewhere "
      "(polling every 20 ms):\n");
  Print("holder was DC", dc_victim);
  Print("holder was not DC", other_victim);

  std::vector<double> move_cmd, move_done;
  for (int t = 0; t < 6; ++t) {
    std::string holder = Holder(c, 1);
    if (holder.empty()) continue;
    std::string target =
        NodeName(holder.back() - '0' == 3 ? 1 : holder.back() - '0' + 1);
    auto t0 = Clock::now();
    RunResult r = c.Crm(1, "resource move g " + target);
    move_cmd.push_back(Ms(Clock::now() - t0));
    if (r.exit_code == 0 &&
        c.WaitFor([&] { return Holder(c, 1) == target; }, seconds(10))) {
      move_done.push_back(Ms(Clock::now() - t0));
    }
    c.Crm(1, "resource clear g");
  }
  std::printf("crm resource move g NODE:\n");
  Print("command returns", move_cmd);
  Print("Started on the target", move_done);

  std::vector<double> configure;
  for (int i = 0; i < 20; ++i) {
    auto t0 = Clock::now();
    c.Crm(2, "configure primitive p" + std::to_string(i) +
                 " ocf:pacemaker:Dummy meta target-role=Stopped");
    configure.push_back(Ms(Clock::now() - t0));
  }
  std::printf("crm configure primitive against the live cluster:\n");
  Print("wall time", configure);
  return 0;
}
