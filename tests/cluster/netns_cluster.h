// NetnsCluster: real `paceline daemon` processes in a network namespace the
// test creates, each node on its own address 198.51.100.N (on the
// namespace's loopback, so nothing leaves it and iptables inside it can cut
// or thin the traffic between nodes). State dirs, sockets and logs live in
// a temporary directory. Everything — processes, iptables rules, the
// namespace, the files — goes away in the destructor, also when a test
// fails half-way.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/cli/run_util.h"

namespace paceline::testing {

inline std::string NodeName(int i) { return "node" + std::to_string(i); }
inline std::string NodeAddress(int i) {
  return "198.51.100." + std::to_string(i);
}

// The cluster most controller tests start from: no fencing, quorum
// ignored, sticky, and a group g of two Dummy members with 1 s monitors.
inline const std::vector<std::string> kDummyGroupConfig = {
    "configure property stonith-enabled=false",
    "configure property no-quorum-policy=ignore",
    "configure rsc_defaults resource-stickiness=100",
    "configure primitive a ocf:pacemaker:Dummy op monitor interval=1s",
    "configure primitive b ocf:pacemaker:Dummy op monitor interval=1s",
    "configure group g a b"};

// `crm status --output-as=json` through the daemon socket, or nullopt.
inline std::optional<boost::json::object> CrmStatusJson(
    const std::string& socket) {
  RunResult r =
      RunCommand("crm", {"status", "--output-as=json"},
                 {{"PACELINE_SOCKET", socket}}, "", std::chrono::seconds(5));
  if (r.exit_code != 0) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r.out, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.as_object();
}

class NetnsCluster {
 public:
  explicit NetnsCluster(int nodes) : nodes_(nodes), pids_(nodes + 1, -1) {
    static int counter = 0;
    ns_ = "plt-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
    ok_ = Sh("ip netns add " + ns_) && Sh("ip -n " + ns_ + " link set lo up");
    for (int i = 1; ok_ && i <= nodes; ++i) {
      ok_ = Sh("ip -n " + ns_ + " addr add " + NodeAddress(i) + "/32 dev lo");
    }
    std::vector<std::string> args = {"cluster", "setup", "test"};
    for (int i = 1; i <= nodes; ++i) {
      args.push_back(NodeName(i) + "=" + NodeAddress(i));
    }
    args.push_back("--dir");
    args.push_back(dir_.File("etc"));
    RunResult r = RunCommand("paceline", args);
    ok_ = ok_ && r.exit_code == 0;
    setup_error_ = r.err;
  }
  ~NetnsCluster() {
    for (int i = 1; i <= nodes_; ++i) Kill(i);
    Sh("ip netns del " + ns_ + " 2>/dev/null");
  }
  NetnsCluster(const NetnsCluster&) = delete;
  NetnsCluster& operator=(const NetnsCluster&) = delete;

  bool ok() const { return ok_; }
  const std::string& setup_error() const { return setup_error_; }
  std::string EtcDir() const { return dir_.File("etc"); }
  std::string StateDir(int i) const {
    return dir_.File("s" + std::to_string(i));
  }
  std::string Socket(int i) const { return StateDir(i) + "/sock"; }
  std::string LogPath(int i) const { return StateDir(i) + ".log"; }
  std::string Log(int i) const { return ReadFile(LogPath(i)); }

  // Starts node i in the foreground, its stderr appended to LogPath(i).
  bool Start(int i) {
    std::filesystem::create_directories(StateDir(i));
    std::vector<std::string> words = {
        "/usr/sbin/ip", "netns",
        "exec",         ns_,
        PACELINE_BIN,   "daemon",
        "--config",     dir_.File("etc/cluster.yaml"),
        "--node",       NodeName(i),
        "--state-dir",  StateDir(i),
        "--socket",     Socket(i),
        "--foreground"};
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, LogPath(i).c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return false;
    pids_[i] = pid;
    return true;
  }
  bool StartAll() {
    for (int i = 1; i <= nodes_; ++i) {
      if (!Start(i)) return false;
    }
    return true;
  }
  void Kill(int i, int sig = SIGKILL) {
    if (pids_[i] <= 0) return;
    kill(pids_[i], SIGCONT);
    kill(pids_[i], sig);
    waitpid(pids_[i], nullptr, 0);
    pids_[i] = -1;
  }
  // SIGTERM, then waits up to `limit` for the exit; false if it is still
  // running (it is then killed).
  bool Terminate(int i, std::chrono::milliseconds limit) {
    if (pids_[i] <= 0) return true;
    kill(pids_[i], SIGTERM);
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (waitpid(pids_[i], nullptr, WNOHANG) == pids_[i]) {
        pids_[i] = -1;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    Kill(i);
    return false;
  }
  void Signal(int i, int sig) {
    if (pids_[i] > 0) kill(pids_[i], sig);
  }
  bool running(int i) const { return pids_[i] > 0; }
  pid_t pid(int i) const { return pids_[i]; }

  // iptables inside the namespace.
  bool Iptables(const std::string& rule) {
    return Sh("ip netns exec " + ns_ + " iptables " + rule);
  }
  // Drops everything between the groups, both ways.
  bool Partition(const std::vector<std::set<int>>& groups) {
    for (int a = 1; a <= nodes_; ++a) {
      for (int b = 1; b <= nodes_; ++b) {
        bool same = false;
        for (const auto& g : groups) same = same || (g.count(a) && g.count(b));
        if (!same && !Iptables("-A INPUT -s " + NodeAddress(a) + " -d " +
                               NodeAddress(b) + " -j DROP")) {
          return false;
        }
      }
    }
    return true;
  }
  bool Heal() { return Iptables("-F INPUT"); }

  // `crm WORDS...` against node i's socket.
  RunResult Crm(int i, const std::vector<std::string>& args) const {
    return RunCommand("crm", args, {{"PACELINE_SOCKET", Socket(i)}});
  }
  // `crm LINE`, the line split on blanks (no quoting).
  RunResult Crm(int i, const std::string& line) const {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string w; in >> w;) words.push_back(w);
    return Crm(i, words);
  }
  // (primitive id, node) of every active resource instance as node `from`
  // reports it; empty when it does not answer. A primitive listed twice
  // is active on two nodes.
  std::vector<std::pair<std::string, std::string>> Active(int from) const {
    std::vector<std::pair<std::string, std::string>> out;
    auto st = Status(from);
    if (!st) return out;
    for (const boost::json::value& r : st->at("resources").as_array()) {
      const boost::json::object& o = r.as_object();
      if (o.at("node").is_null()) continue;
      out.emplace_back(std::string(o.at("id").as_string()),
                       std::string(o.at("node").as_string()));
    }
    return out;
  }

  // `crm status --output-as=json` of node i, or nullopt.
  std::optional<boost::json::object> Status(int i) const {
    return CrmStatusJson(Socket(i));
  }
  // Runs each `crm LINE` on node i; "" when all succeeded, else the first
  // failing line and its error.
  std::string ConfigureAll(int i, const std::vector<std::string>& lines) const {
    for (const std::string& line : lines) {
      RunResult r = Crm(i, line);
      if (r.exit_code != 0) return line + ": " + r.err;
    }
    return "";
  }

  // The member names of node i's view (empty if unknown), and its DC.
  std::set<std::string> Members(int i, std::string* dc = nullptr) const {
    std::set<std::string> out;
    auto st = Status(i);
    if (!st) return out;
    const auto& m = st->at("membership").as_object();
    if (m.at("tilt").as_bool()) return out;
    for (const auto& mem : m.at("members").as_array()) {
      out.insert(std::string(mem.at("name").as_string()));
    }
    if (dc && m.at("dc").is_string()) *dc = m.at("dc").as_string().c_str();
    return out;
  }

  // True once every node in `nodes` reports exactly `nodes` as its view,
  // with one DC among them.
  bool Agreed(const std::set<int>& nodes, std::string* dc_out = nullptr) const {
    std::set<std::string> want;
    for (int i : nodes) want.insert(NodeName(i));
    std::string first_dc;
    for (int i : nodes) {
      std::string dc;
      if (Members(i, &dc) != want) return false;
      if (!first_dc.empty() && dc != first_dc) return false;
      first_dc = dc;
    }
    if (dc_out) *dc_out = first_dc;
    return !first_dc.empty();
  }

  template <typename Pred>
  bool WaitFor(Pred pred, std::chrono::milliseconds limit) const {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred();
  }

 private:
  static bool Sh(const std::string& cmd) {
    return std::system(cmd.c_str()) == 0;
  }

  int nodes_;
  std::vector<pid_t> pids_;
  std::string ns_;
  TempDir dir_;
  bool ok_ = false;
  std::string setup_error_;
};

}  // namespace paceline::testing
