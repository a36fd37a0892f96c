// Failover with real daemons and agents (needs root: network namespaces).
// Three nodes; a group of three ocf:pacemaker:Dummy with 5 s monitors;
// kill -9 of the node running it, until the group is Started on a
// survivor (polling `crm status --output-as=json` every 20 ms), TRIALS
// times, alternately with the holder as DC and as a non-DC; the killed
// node is restarted (after clearing its /run, as a reboot would) between
// trials.
//
// Then, observed through the daemon's event feed (a subscriber on node 1,
// connected before the commands, so nothing polls while they run):
// `crm resource move g NODE` (the command's return, and the action_done
// of `start v`, the group's last member, on the target), `crm --wait
// resource move g NODE` (returns once the cluster settled), each TRIALS
// times on an idle cluster; and `crm configure primitive` wall time, back
// to back and each on a settled cluster (the previous one's probes done).
//
//   bench_cluster_failover [TRIALS=10]
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "crmd/ipc_server.h"
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
  if (v.empty()) {
    std::printf("  %-34s no sample\n", what);
    return;
  }
  std::sort(v.begin(), v.end());
  std::printf("  %-34s n=%2zu  min %6.0f  median %6.0f  max %6.0f ms\n", what,
              v.size(), v.front(), v[v.size() / 2], v.back());
}

// The cluster's event feed ({"op":"subscribe"} on a daemon socket), read
// by the bench while commands run, so that nothing polls the daemons.
// It remembers which transitions started and have not finished yet.
class Feed {
 public:
  bool Connect(const std::string& socket) {
    auto client = paceline::crmd::IpcClient::Connect(socket);
    if (!client.ok() ||
        !client->Send(boost::json::object{{"op", "subscribe"}}).ok()) {
      return false;
    }
    auto ack = client->Next(seconds(2));
    if (!ack.ok() || !ack->contains("ok")) return false;
    client_.emplace(std::move(client).value());
    return true;
  }

  bool connected() const { return client_.has_value(); }

  // The next event within `timeout` (read as it arrives), or nullopt.
  std::optional<boost::json::object> Next(milliseconds timeout) {
    if (!client_ || timeout.count() <= 0) return std::nullopt;
    auto t0 = Clock::now();
    auto e = client_->Next(timeout);
    if (!e.ok()) {
      // An error well before the timeout: the daemon closed the feed.
      if (Clock::now() - t0 < timeout / 2) {
        std::fprintf(stderr, "event feed: %s\n", e.status().message().c_str());
        client_.reset();
      }
      return std::nullopt;
    }
    const boost::json::value* kind = e->if_contains("event");
    const boost::json::value* id = e->if_contains("transition");
    if (kind && id && id->is_int64()) {
      if (*kind == "transition_started") open_.insert(id->as_int64());
      if (*kind == "transition_finished") open_.erase(id->as_int64());
    }
    return std::move(*e);
  }

  // Reads events until the cluster is idle: every transition seen to
  // start has finished, and no event at all came for `quiet`. False if
  // that did not happen within `limit`.
  bool WaitIdle(milliseconds quiet = milliseconds(300),
                milliseconds limit = seconds(10)) {
    auto end = Clock::now() + limit;
    auto quiet_since = Clock::now();
    while (connected() && Clock::now() < end) {
      auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now());
      if (Next(std::min(quiet, left))) {
        quiet_since = Clock::now();
      } else if (open_.empty() && Clock::now() - quiet_since >= quiet) {
        return true;
      }
    }
    return false;
  }

 private:
  std::optional<paceline::crmd::IpcClient> client_;
  std::set<int64_t> open_;
};

bool IsEvent(const boost::json::object& e, const char* kind, const char* task,
             const std::string& resource, const std::string& node) {
  auto str = [&](const char* key) {
    const boost::json::value* v = e.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  return str("event") == kind && str("task") == task &&
         str("resource") == resource && str("node") == node;
}

// `crm resource move g TARGET` on node 1, timed two ways from the moment
// the command is spawned: until it returns (cmd_ms) and until the feed
// brings the action_done of `start v` on the target (done_ms, -1 if it
// did not come within 10 s). The command runs on its own thread so that
// the feed is read while it runs.
struct MoveTimes {
  bool ok = false;
  double cmd_ms = -1;
  double done_ms = -1;
};
MoveTimes TimeMove(const NetnsCluster& c, Feed& feed,
                   const std::string& target) {
  MoveTimes out;
  auto t0 = Clock::now();
  RunResult r;
  std::thread cmd([&] {
    r = c.Crm(1, "resource move g " + target);
    out.cmd_ms = Ms(Clock::now() - t0);
  });
  auto end = t0 + seconds(10);
  while (feed.connected() && Clock::now() < end) {
    auto e =
        feed.Next(std::chrono::duration_cast<milliseconds>(end - Clock::now()));
    if (e && IsEvent(*e, "action_done", "start", "v", target)) {
      out.done_ms = Ms(Clock::now() - t0);
      break;
    }
  }
  cmd.join();
  out.ok = r.exit_code == 0;
  if (!out.ok) std::fprintf(stderr, "move: %s", r.err.c_str());
  return out;
}

// The node after `holder` (node1 -> node2 -> node3 -> node1).
std::string NextNode(const std::string& holder) {
  int n = holder.back() - '0';
  return NodeName(n == 3 ? 1 : n + 1);
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

  // Everything below is observed through the event feed, subscribed
  // before the first command.
  Feed feed;
  if (!feed.Connect(c.Socket(1))) {
    std::fprintf(stderr, "cannot subscribe to node 1's event feed\n");
    return 1;
  }
  feed.WaitIdle();
  std::vector<double> move_cmd, move_done, move_wait;
  for (int t = 0; t < trials; ++t) {
    std::string holder = Holder(c, 1);
    if (holder.empty()) {
      std::printf("move trial %d: the group is not running\n", t);
      static bool shown = false;
      for (int i = 1; i <= 3 && !shown; ++i) {  // the first time: why
        std::printf("--- %s's crm status:\n%s", NodeName(i).c_str(),
                    c.Crm(i, "status").out.c_str());
        std::string log = c.Log(i);
        size_t from = log.size() > 4000 ? log.size() - 4000 : 0;
        std::printf("--- end of %s's log:\n%s\n", NodeName(i).c_str(),
                    log.substr(from).c_str());
      }
      shown = true;
      feed.WaitIdle();
      continue;
    }
    MoveTimes m = TimeMove(c, feed, NextNode(holder));
    if (m.ok) move_cmd.push_back(m.cmd_ms);
    if (m.ok && m.done_ms >= 0) move_done.push_back(m.done_ms);
    feed.WaitIdle();
    c.Crm(1, "resource clear g");
    feed.WaitIdle();
  }
  for (int t = 0; t < trials; ++t) {
    std::string holder = Holder(c, 1);
    if (holder.empty()) {
      std::printf("--wait move trial %d: the group is not running\n", t);
      feed.WaitIdle();
      continue;
    }
    std::string target = NextNode(holder);
    auto t0 = Clock::now();
    RunResult r = c.Crm(1, "--wait resource move g " + target);
    double ms = Ms(Clock::now() - t0);
    if (r.exit_code == 0 && Holder(c, 1) == target) {
      move_wait.push_back(ms);
    } else {
      std::fprintf(stderr, "--wait move: rc %d, %s", r.exit_code,
                   r.err.c_str());
      static bool dumped = false;
      for (int i = 1; i <= 3 && !dumped; ++i) {  // the first time: why
        std::string log = c.Log(i);
        size_t from = log.size() > 6000 ? log.size() - 6000 : 0;
        std::fprintf(stderr, "--- end of %s's log:\n%s\n", NodeName(i).c_str(),
                     log.substr(from).c_str());
      }
      dumped = true;
    }
    feed.WaitIdle();
    c.Crm(1, "resource clear g");
    feed.WaitIdle();
  }
  std::printf("crm resource move g NODE (observed through the event feed):\n");
  Print("command returns", move_cmd);
  Print("start v done on the target", move_done);
  Print("crm --wait resource move returns", move_wait);

  std::vector<double> back_to_back, settled;
  for (int i = 0; i < 20; ++i) {
    auto t0 = Clock::now();
    c.Crm(2, "configure primitive p" + std::to_string(i) +
                 " ocf:pacemaker:Dummy meta target-role=Stopped");
    back_to_back.push_back(Ms(Clock::now() - t0));
  }
  for (int i = 0; i < 20; ++i) {
    // The previous command's probes are done: no transition running, and
    // no event for 300 ms.
    if (!feed.WaitIdle()) std::printf("configure %d: not idle after 10 s\n", i);
    auto t0 = Clock::now();
    c.Crm(2, "configure primitive s" + std::to_string(i) +
                 " ocf:pacemaker:Dummy meta target-role=Stopped");
    settled.push_back(Ms(Clock::now() - t0));
  }
  std::printf("crm configure primitive against the live cluster:\n");
  Print("wall time, back to back", back_to_back);
  Print("wall time, on a settled cluster", settled);
  return 0;
}
