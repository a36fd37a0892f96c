// The daemon's composition root (see daemon.h).
#include "crmd/daemon.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cib/store.h"
#include "common/log.h"
#include "crmd/incarnation.h"
#include "crmd/ipc_server.h"
#include "crmd/status_json.h"
#include "membership/authkey.h"
#include "membership/cluster_config.h"
#include "membership/udp_node.h"

namespace paceline::crmd {
namespace asio = boost::asio;
namespace json = boost::json;
using membership::ClusterConfig;

namespace {

// What start-up established before the event loop runs.
struct Setup {
  ClusterConfig config;
  membership::NodeConfig self;
  membership::SecretKey authkey;
  uint64_t incarnation = 0;
  std::string cib_path;
};

Result<Setup> Prepare(const DaemonOptions& o) {
  Setup s;
  PL_ASSIGN_OR_RETURN(s.config, membership::LoadClusterConfig(o.config_path));
  std::vector<asio::ip::address> local;
  if (o.node.empty()) {
    PL_ASSIGN_OR_RETURN(local, membership::LocalInterfaceAddresses());
  }
  PL_ASSIGN_OR_RETURN(s.self,
                      membership::IdentifyLocalNode(s.config, local, o.node));
  PL_ASSIGN_OR_RETURN(s.authkey,
                      membership::LoadAuthKey(s.config.authkey_path));
  std::error_code ec;
  std::filesystem::create_directories(o.state_dir, ec);
  if (ec) {
    return Status::Unavailable("cannot create state directory " + o.state_dir +
                               ": " + ec.message());
  }
  chmod(o.state_dir.c_str(), 0700);
  s.cib_path = o.state_dir + "/cib.yaml";
  PL_ASSIGN_OR_RETURN(
      s.incarnation,
      NextIncarnation(o.state_dir, std::chrono::system_clock::now()));
  return s;
}

class Daemon {
 public:
  Daemon(Setup setup, const DaemonOptions& options)
      : setup_(std::move(setup)),
        options_(options),
        log_("paceline[" + setup_.self.name + "]"),
        signals_(io_, SIGTERM, SIGINT),
        ipc_(io_, [this](const Peer& peer, const json::object& request,
                         Responder respond) {
          HandleRequest(peer, request, std::move(respond));
        }) {}

  Status Start() {
    LoadCib();
    PL_ASSIGN_OR_RETURN(
        node_, membership::UdpNode::Create(io_, setup_.config, setup_.self.id,
                                           setup_.authkey, setup_.incarnation));
    node_->SetConfigEpoch(Epoch());
    PL_RETURN_IF_ERROR(ipc_.Listen(options_.socket_path));
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      log_.Info("signal {}: shutting down", sig);
      Stop();
    });
    node_->Start([this](const membership::View& v) { OnView(v); },
                 [this] {
                   log_.Info(
                       "TILT: this node's event loop stalled or its clock "
                       "jumped; observing for {} ms before acting",
                       setup_.config.failure_detection.max_timeout.count());
                 });
    log_.Info("started: node {} (id {}), incarnation {}, cluster {}, socket {}",
              setup_.self.name, setup_.self.id, setup_.incarnation,
              setup_.config.cluster_name, options_.socket_path);
    return Status::Ok();
  }

  void Run() { io_.run(); }

 private:
  void Stop() {
    node_->Stop();
    ipc_.Stop();
    signals_.cancel();
  }

  void LoadCib() {
    auto doc = cib::CibStore(setup_.cib_path).Load();
    if (doc.ok()) {
      doc_ = std::move(*doc);
    } else if (doc.status().code() != StatusCode::kNotFound) {
      log_.Info("cannot read {}: {}; starting with an empty configuration",
                setup_.cib_path, doc.status().message());
    }
  }

  membership::ConfigEpoch Epoch() const {
    return {uint64_t(std::max<long long>(doc_.versions.admin_epoch, 0)),
            uint64_t(std::max<long long>(doc_.versions.epoch, 0))};
  }

  std::string NameOf(uint32_t id) const {
    const membership::NodeConfig* n = setup_.config.FindNodeById(id);
    return n ? n->name : "#" + std::to_string(id);
  }

  void OnView(const membership::View& v) {
    if (v.id == 0) {
      log_.Info("left view: waiting to rejoin");
      return;
    }
    std::string members;
    for (const auto& m : v.members) {
      members += (members.empty() ? "" : " ") + NameOf(m.id);
    }
    log_.Info("view {}: members [{}], DC {}, {}", v.id, members, NameOf(v.dc),
              v.quorate ? "quorate" : "NOT quorate");
  }

  MembershipSnapshot Snapshot() const {
    const membership::Membership& m = node_->membership();
    MembershipSnapshot s;
    const membership::View& v = m.view();
    s.view = v.id;
    s.dc = v.id ? NameOf(v.dc) : "";
    s.quorate = v.quorate && m.stable();
    s.tilt = m.tilt();
    std::vector<membership::PeerState> peers = m.Peers();
    for (const auto& mem : v.members) {
      MembershipSnapshot::Member out{NameOf(mem.id), mem.id, {}};
      if (mem.id == setup_.self.id) {
        out.links = node_->LocalLinks();
      } else {
        for (const auto& p : peers) {
          if (p.id == mem.id) out.links = p.links;
        }
      }
      s.members.push_back(std::move(out));
    }
    const auto& drops = node_->drops();
    for (auto r :
         {membership::DropReason::kAuth, membership::DropReason::kReplay,
          membership::DropReason::kMalformed,
          membership::DropReason::kWrongCluster,
          membership::DropReason::kOversized,
          membership::DropReason::kMisdirected}) {
      s.dropped[std::string(membership::DropReasonName(r))] = drops.Get(r);
    }
    s.dropped["malformed"] += node_->stats().bad_payload;
    s.sent_datagrams = node_->stats().sent;
    s.sent_bytes = node_->stats().sent_bytes;
    s.received_datagrams = node_->stats().received;
    return s;
  }

  void HandleRequest(const Peer& peer, const json::object& request,
                     Responder respond) {
    std::string_view op = request.at("op").as_string();
    if (op == "status") {
      std::vector<std::string> names;
      std::vector<uint32_t> ids;
      for (const auto& n : setup_.config.nodes) {
        names.push_back(n.name);
        ids.push_back(n.id);
      }
      respond(
          json::object{{"ok", true},
                       {"status", StatusJson(setup_.config.cluster_name, names,
                                             ids, doc_, Snapshot())}});
      return;
    }
    respond(json::object{
        {"ok", false},
        {"error", "the daemon does not handle \"" + std::string(op) +
                      "\" yet (this build runs membership only)"}});
  }

  Setup setup_;
  DaemonOptions options_;
  Logger log_;
  asio::io_context io_;
  asio::signal_set signals_;
  IpcServer ipc_;
  std::unique_ptr<membership::UdpNode> node_;
  cib::Document doc_;
};

// Detaches: the child continues, the parent waits for the child's verdict
// on `ready` (one byte 0 = listening, else an error line) and exits.
int Detach(const std::string& log_path, int& ready_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid > 0) {
    close(fds[1]);
    std::string verdict;
    char buf[512];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) verdict.append(buf, n);
    close(fds[0]);
    if (!verdict.empty() && verdict[0] == '\0') _exit(0);
    std::cerr << (verdict.empty() ? "ERROR: the daemon died while starting; "
                                    "see " +
                                        log_path + "\n"
                                  : verdict);
    _exit(1);
  }
  close(fds[0]);
  setsid();
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  int log =
      open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (devnull >= 0) dup2(devnull, 0);
  if (log >= 0) {
    dup2(log, 1);
    dup2(log, 2);
  }
  ready_fd = fds[1];
  return 0;
}

}  // namespace

int RunDaemon(const DaemonOptions& options) {
  std::signal(SIGPIPE, SIG_IGN);
  Result<Setup> setup = Prepare(options);
  if (!setup.ok()) {
    std::cerr << "ERROR: " << setup.status().message() << "\n";
    return 1;
  }
  int ready_fd = -1;
  if (!options.foreground &&
      Detach(options.state_dir + "/paceline.log", ready_fd) != 0) {
    std::cerr << "ERROR: cannot detach: " << std::strerror(errno) << "\n";
    return 1;
  }
  Daemon daemon(std::move(*setup), options);
  Status started = daemon.Start();
  if (!started.ok()) {
    std::string line = "ERROR: " + started.message() + "\n";
    std::cerr << line;
    if (ready_fd >= 0) (void)!write(ready_fd, line.data(), line.size());
    return 1;
  }
  if (ready_fd >= 0) {
    (void)!write(ready_fd, "", 1);
    close(ready_fd);
  }
  daemon.Run();
  return 0;
}

}  // namespace paceline::crmd
