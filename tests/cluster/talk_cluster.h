// TalkCluster: the two-node stack of the talk "High Availability with
// PostgreSQL and Pacemaker", for real, on one host.
//
//   switch netns (bridge) ── veth ── HA-node1 netns  198.51.100.11/24
//                        ├── veth ── HA-node2 netns  198.51.100.12/24
//                        └── veth ── client netns    198.51.100.100/24
//
// Each node is `paceline daemon --foreground` started as
// `ip netns exec NODE unshare --mount --propagation private sh -c ...`: its
// own network namespace and its own mount namespace, in which it gets a
// private /run (a tmpfs: PostgreSQL's socket directory /run/postgresql and
// whatever agents keep in /run vanish with the node, as on a reboot) and a
// private tmpfs under its socket directory, where the daemon puts the
// agents' HA_RSCTMP and HA_VARRUN. The state directory (the CIB, like
// /var/lib/paceline) and the daemon's log stay on the test's temp dir, as
// a disk would. The 198.51.100.0/24 addresses exist only in these
// namespaces; nothing has a default route.
//
// The "SAN" both nodes share is a loop device with xfs; PostgreSQL 15's
// data directory was made on it once (initdb as postgres), with a private
// port, /run/postgresql as socket directory, and trust for the test subnet.
//
// Killing a node kills every process in its network namespace (the daemon,
// agents, postmaster and backends) with SIGKILL; its mount namespace and
// everything mounted in it go with them, and its network namespace is
// deleted (a VIP on it must not outlive the machine). The destructor does that
// for every node and the client, deletes the namespaces, detaches the loop
// device and removes the temp dir, also when a test fails half-way.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/agents/node_fixtures.h"
#include "tests/cli/run_util.h"
#include "tests/cluster/netns_cluster.h"

namespace paceline::testing {

using agents::testing::Shell;
using agents::testing::ShellResult;

inline constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";
inline constexpr const char* kVip = "198.51.100.50";
inline constexpr int kPgPort = 5497;

// Splits shell text the way sh would for the talk's commands: blanks
// separate words, "double quotes" group (and are removed), a backslash
// before the end of the line (trailing blanks allowed, as in the talk's
// copy) continues the command, every other line break ends one.
inline std::vector<std::vector<std::string>> ShellCommands(
    const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> words;
  std::string word;
  bool in_word = false, quoted = false;
  auto end_word = [&] {
    if (in_word) words.push_back(word);
    word.clear();
    in_word = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (quoted) {
      word += c;
    } else if (c == '\\') {
      size_t j = text.find_first_not_of(" \t", i + 1);
      if (j == std::string::npos || text[j] == '\n') {
        end_word();
        i = j == std::string::npos ? text.size() : j;
      } else {
        word += text[++i];
        in_word = true;
      }
    } else if (c == ' ' || c == '\t') {
      end_word();
    } else if (c == '\n') {
      end_word();
      if (!words.empty()) out.push_back(std::move(words));
      words.clear();
    } else {
      word += c;
      in_word = true;
    }
  }
  end_word();
  if (!words.empty()) out.push_back(std::move(words));
  return out;
}

class TalkCluster {
 public:
  static constexpr int kNodes = 2;

  TalkCluster() {
    chmod(dir_.path().c_str(), 0755);  // postgres must reach the data dir
    std::string tag = "plt" + std::to_string(getpid());
    sw_ = tag + "-sw";
    client_ = tag + "-cl";
    for (int i = 1; i <= kNodes; ++i) ns_[i] = tag + "-n" + std::to_string(i);
    if (!MakeNetwork()) return;
    if (!MakeClusterConfig()) return;
    loop_.emplace(dir_.File("san.img"), 320, "xfs");
    if (!loop_->ok()) {
      error_ = loop_->error();
      return;
    }
    if (!MakeDatabase()) return;
    ok_ = true;
  }
  ~TalkCluster() {
    for (int i = 1; i <= kNodes; ++i) KillNode(i);
    KillNamespace(client_);
    Sh("ip netns del " + client_);
    Sh("ip netns del " + sw_);
    loop_.reset();  // after every mount of it died with its namespace
  }
  TalkCluster(const TalkCluster&) = delete;
  TalkCluster& operator=(const TalkCluster&) = delete;

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }

  static std::string Name(int i) { return "HA-node" + std::to_string(i); }
  static std::string Address(int i) {
    return "198.51.100." + std::to_string(10 + i);
  }
  std::string Dir() const { return dir_.path(); }
  std::string Device() const { return loop_ ? loop_->device() : ""; }
  std::string DataDir() const { return dir_.File("db/pgdata"); }
  std::string PgLog() const { return dir_.File("postgres.log"); }
  std::string NodeDir(int i) const {
    return dir_.File("n" + std::to_string(i));
  }
  std::string Socket(int i) const { return NodeDir(i) + "/sock"; }
  std::string LogPath(int i) const { return NodeDir(i) + "/daemon.log"; }
  std::string Log(int i) const { return ReadFile(LogPath(i)); }
  const std::string& Netns(int i) const { return ns_[i]; }
  bool running(int i) const { return pids_[i] > 0; }
  pid_t pid(int i) const { return pids_[i]; }

  // Boots node i: fresh private /run and agent runtime tmpfs, the daemon
  // in the foreground, stdout and stderr appended to LogPath(i).
  bool Start(int i) {
    if (running(i)) return false;
    if (unplugged_[i]) {
      if (!Plug(ns_[i], "p" + std::to_string(i), Address(i))) return false;
      unplugged_[i] = false;
    }
    std::string runtime = NodeDir(i) + "/" + Name(i);
    std::filesystem::create_directories(runtime);
    std::filesystem::create_directories(NodeDir(i) + "/state");
    std::string script =
        "set -e\n"
        "mount -t tmpfs -o mode=0755 plt-run /run\n"
        "mkdir -p /run/lock\n"
        "mkdir -m 2775 /run/postgresql\n"
        "chown postgres:postgres /run/postgresql\n"
        "mount -t tmpfs -o mode=0700 plt-rsc " +
        runtime + "\n" + ModprobeShim() +
        "export PACELINE_CACHE_DIR=" + TestCacheDir() + "\nexec " +
        PACELINE_BIN + " daemon --config " + dir_.File("etc/cluster.yaml") +
        " --node " + Name(i) + " --state-dir " + NodeDir(i) +
        "/state --socket " + Socket(i) + " --foreground\n";
    std::vector<std::string> words = {
        "/usr/sbin/ip",  "netns",   "exec",    ns_[i], "unshare", "--mount",
        "--propagation", "private", "/bin/sh", "-c",   script};
    pid_t pid = Spawn(words, LogPath(i));
    if (pid <= 0) return false;
    pids_[i] = pid;
    return true;
  }

  // The machine dies: kill -9 of every process in its network namespace
  // until none is left (bounded; its mount namespace and mounts die with
  // them), then its cable is pulled and its network namespace deleted.
  // Start() boots it again with a fresh one.
  bool KillNode(int i) {
    if (unplugged_[i]) return true;
    bool ok = KillNamespace(ns_[i]);
    if (pids_[i] > 0) {
      kill(pids_[i], SIGKILL);
      waitpid(pids_[i], nullptr, 0);
      pids_[i] = -1;
    }
    Unplug(i);
    return ok;
  }

  // `crm ARGS` against node i's daemon (the build tree's binary by path).
  RunResult Crm(int i, const std::vector<std::string>& args) const {
    return RunCommand("crm", args, {{"PACELINE_SOCKET", Socket(i)}}, "",
                      std::chrono::seconds(30));
  }
  // `crm ARGS` offline on FILE (Pacemaker's CIB_file habit).
  RunResult CrmOffline(const std::string& file,
                       const std::vector<std::string>& args) const {
    return RunCommand("crm", args, {{"CIB_file", file}}, "",
                      std::chrono::seconds(30));
  }
  // `crm status --output-as=json` of node i, or nullopt.
  std::optional<boost::json::object> Status(int i) const {
    if (!running(i)) return std::nullopt;
    return CrmStatusJson(Socket(i));
  }

  // A command in the client's network namespace (bounded by `timeout`).
  ShellResult Client(const std::string& cmd, int seconds = 30) const {
    return Shell("timeout -s KILL " + std::to_string(seconds) +
                 " ip netns exec " + client_ + " " + cmd);
  }
  // libpq connection string for the VIP. Keepalive and tcp_user_timeout:
  // the VIP leaves before PostgreSQL stops, so the server's FIN of a moved
  // session is lost and only a timeout ends it.
  static std::string Conninfo() {
    return std::string("'host=") + kVip + " port=" + std::to_string(kPgPort) +
           " user=postgres dbname=postgres connect_timeout=5 keepalives=1 "
           "keepalives_idle=1 keepalives_interval=1 keepalives_count=3 "
           "tcp_user_timeout=3000'";
  }
  ShellResult Psql(const std::string& sql) const {
    return Client(std::string(kPgBin) + "/psql -X -q -tA -v ON_ERROR_STOP=1 " +
                  Conninfo() + " -c \"" + sql + "\"");
  }
  ShellResult Pgbench(const std::string& args) const {
    return Client(std::string(kPgBin) + "/pgbench " + args + " " + Conninfo(),
                  60);
  }

  // Real effects in node i's namespaces: the VIP on its interface, the
  // xfs mounted in its mount namespace, a postmaster among its processes.
  bool HasVip(int i) const {
    return Shell("ip -n " + ns_[i] + " -4 -o addr show dev eth0")
               .output.find(std::string(" ") + kVip + "/") != std::string::npos;
  }
  bool HasMount(int i) const {
    if (!running(i)) return false;
    std::string info =
        ReadFile("/proc/" + std::to_string(pids_[i]) + "/mountinfo");
    return info.find(" " + DataDir() + " ") != std::string::npos;
  }
  bool HasPostmaster(int i) const {
    for (int pid : NamespacePids(ns_[i])) {
      std::string comm = ReadFile("/proc/" + std::to_string(pid) + "/comm");
      if (comm == "postgres\n") return true;
    }
    return false;
  }

 private:
  static bool Sh(const std::string& cmd) {
    return Shell("timeout -s KILL 20 " + cmd).exit_code == 0;
  }
  bool Fail(const std::string& what, const ShellResult& r) {
    error_ = what + ": " + r.output;
    return false;
  }

  bool MakeNetwork() {
    for (const std::string& c :
         {"ip netns add " + sw_, "ip -n " + sw_ + " link add br0 type bridge",
          "ip -n " + sw_ + " link set br0 up",
          "ip -n " + sw_ + " link set lo up"}) {
      ShellResult r = Shell(c);
      if (r.exit_code != 0) return Fail(c, r);
    }
    for (int i = 1; i <= kNodes; ++i) {
      if (!Plug(ns_[i], "p" + std::to_string(i), Address(i))) return false;
    }
    return Plug(client_, "pc", "198.51.100.100");
  }

  // A fresh network namespace `ns` cabled to the switch through `port`,
  // with `address`/24 on its eth0 and nothing else (no default route).
  bool Plug(const std::string& ns, const std::string& port,
            const std::string& address) {
    for (const std::string& c :
         {"ip netns add " + ns,
          "ip -n " + sw_ + " link add " + port +
              " type veth peer name eth0 netns " + ns,
          "ip -n " + sw_ + " link set " + port + " master br0 up",
          "ip -n " + ns + " link set lo up",
          "ip -n " + ns + " addr add " + address + "/24 dev eth0",
          "ip -n " + ns + " link set eth0 up"}) {
      ShellResult r = Shell(c);
      if (r.exit_code != 0) return Fail(c, r);
    }
    return true;
  }
  // Pulls node i's cable and throws its network state away (what a
  // powered-off machine loses: a VIP an agent had added is gone with it).
  void Unplug(int i) {
    Sh("ip -n " + sw_ + " link del p" + std::to_string(i));
    Sh("ip netns del " + ns_[i]);
    unplugged_[i] = true;
  }

  bool MakeClusterConfig() {
    std::vector<std::string> args = {"cluster", "setup", "hapg"};
    for (int i = 1; i <= kNodes; ++i)
      args.push_back(Name(i) + "=" + Address(i));
    args.push_back("--dir");
    args.push_back(dir_.File("etc"));
    RunResult r = RunCommand("paceline", args);
    if (r.exit_code != 0) error_ = "cluster setup: " + r.err;
    return r.exit_code == 0;
  }

  // initdb onto the SAN once, in a throw-away mount namespace, as the talk
  // does on the primary before Pacemaker manages the file system.
  bool MakeDatabase() {
    std::string db = DataDir();
    std::filesystem::create_directories(db);
    WriteFile(dir_.File("postgresql.extra.conf"),
              "port = " + std::to_string(kPgPort) +
                  "\nlisten_addresses = '*'\n"
                  "unix_socket_directories = '/run/postgresql'\n");
    WriteFile(dir_.File("pg_hba.extra.conf"),
              "host all all 198.51.100.0/24 trust\n");
    std::string script =
        "set -e; mount -t xfs -o noatime,nodiratime " + Device() + " " + db +
        "; chown postgres:postgres " + db + "; chmod 0700 " + db +
        "; runuser -u postgres -- " + kPgBin + "/initdb -D " + db +
        " -A trust -U postgres --no-sync --no-instructions >/dev/null" +
        "; cat " + dir_.File("postgresql.extra.conf") + " >> " + db +
        "/postgresql.conf; cat " + dir_.File("pg_hba.extra.conf") + " >> " +
        db + "/pg_hba.conf; umount " + db;
    ShellResult r = Shell(
        "timeout -s KILL 60 unshare --mount --propagation "
        "private sh -c \"" +
        script + "\"");
    if (r.exit_code != 0) return Fail("initdb on the SAN", r);
    return true;
  }

  // Filesystem runs `check_binary modprobe` (MODPROBE defaults to
  // "modprobe" on the agents' PATH) before every action, even for a file
  // system the kernel already has; this machine has no kmod. Inside the
  // node's own mount namespace only, the daemon's shim directory (first on
  // the agents' PATH) gets a read-only overlay that adds modprobe ->
  // /bin/true. Where kmod is installed this is skipped.
  std::string ModprobeShim() {
    if (Shell("command -v modprobe").exit_code == 0) return "";
    std::string extra = dir_.File("modprobe-shim");
    std::filesystem::create_directories(extra);
    std::error_code ec;
    std::filesystem::create_symlink("/bin/true", extra + "/modprobe", ec);
    std::string shim = BinDir() + "/sbin";
    return "mount -t overlay plt-shim -o lowerdir=" + extra + ":" + shim + " " +
           shim + "\n";
  }

  static std::vector<int> NamespacePids(const std::string& ns) {
    std::vector<int> pids;
    std::istringstream in(Shell("ip netns pids " + ns).output);
    for (int pid; in >> pid;) pids.push_back(pid);
    return pids;
  }
  // SIGKILL to everything in netns `ns` until it is empty; false if
  // something survived 10 s.
  static bool KillNamespace(const std::string& ns) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      std::vector<int> pids = NamespacePids(ns);
      if (pids.empty()) return true;
      for (int pid : pids) kill(pid, SIGKILL);
      while (waitpid(-1, nullptr, WNOHANG) > 0) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return NamespacePids(ns).empty();
  }

  static pid_t Spawn(std::vector<std::string>& words, const std::string& log) {
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
  }

  TempDir dir_;
  std::optional<agents::testing::LoopDevice> loop_;
  std::string sw_, client_;
  std::array<std::string, kNodes + 1> ns_;
  std::array<pid_t, kNodes + 1> pids_{-1, -1, -1};
  std::array<bool, kNodes + 1> unplugged_{};
  bool ok_ = false;
  std::string error_;
};

}  // namespace paceline::testing
