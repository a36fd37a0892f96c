// The daemon's composition root (see daemon.h).
#include "crmd/daemon.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "cib/edit.h"
#include "cib/store.h"
#include "common/log.h"
#include "crmd/cib_replica.h"
#include "crmd/cib_sync.h"
#include "crmd/controller.h"
#include "crmd/executor_runner.h"
#include "crmd/incarnation.h"
#include "crmd/ipc_server.h"
#include "crmd/journal.h"
#include "crmd/status_json.h"
#include "membership/authkey.h"
#include "membership/channel.h"
#include "membership/cluster_config.h"
#include "membership/udp_node.h"

namespace paceline::crmd {
namespace asio = boost::asio;
namespace json = boost::json;
using membership::ClusterConfig;

namespace {

// Transitions kept in STATE_DIR/transitions (Pacemaker keeps its
// pe-input files by the thousand; ours hold the whole status too).
constexpr size_t kJournalKeep = 500;

long long NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

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

class Daemon : public membership::ChannelHandler {
 public:
  Daemon(Setup setup, const DaemonOptions& options)
      : setup_(std::move(setup)),
        options_(options),
        log_("paceline[" + setup_.self.name + "]"),
        cib_(setup_.cib_path),
        sync_(cib_, setup_.self.id),
        signals_(io_, SIGTERM, SIGINT),
        ipc_(io_, [this](const Peer& peer, const json::object& request,
                         Responder respond) {
          HandleRequest(peer, request, std::move(respond));
        }) {}

  Status Start() {
    if (Status s = cib_.Load(); !s.ok()) {
      return Status::Corrupt("cannot read the configuration " + cib_.path() +
                             ": " + s.message());
    }
    PL_ASSIGN_OR_RETURN(
        node_, membership::UdpNode::Create(io_, setup_.config, setup_.self.id,
                                           setup_.authkey, setup_.incarnation));
    node_->SetConfigEpoch(Epoch());
    PL_ASSIGN_OR_RETURN(membership::ClusterKeys keys,
                        membership::MakeClusterKeys(
                            setup_.authkey, setup_.config.cluster_name));
    PL_RETURN_IF_ERROR(StartController());
    channel_ = std::make_unique<membership::Channel>(
        io_, setup_.config, setup_.self.id, setup_.incarnation, keys, *this);
    PL_RETURN_IF_ERROR(channel_->Start());
    sync_.OnCommitted([this] {
      node_->SetConfigEpoch(Epoch());
      std::string versions = FormatVersions(cib_.versions());
      log_.Info("configuration {} is current here", versions);
      last_change_at_ = std::chrono::system_clock::now();
      last_change_ = "configuration " + versions;
      ipc_.Publish(json::object{{"event", "config"},
                                {"versions", versions},
                                {"epoch", cib_.versions().epoch},
                                {"at", NowMillis()}});
      controller_->OnConfigChanged();
    });
    PL_RETURN_IF_ERROR(ipc_.Listen(options_.socket_path));
    WaitForSignal();
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
  // The first SIGTERM/SIGINT is a graceful shutdown: the DC moves this
  // node's resources away (or stops them where they cannot go), then the
  // daemon exits. A node with nothing active exits at once. A second
  // signal exits at once, leaving whatever still runs to the others'
  // recovery (as a crash would).
  void WaitForSignal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (shutting_down_) {
        log_.Info("signal {} again: exiting now", sig);
        Stop();
        return;
      }
      shutting_down_ = true;
      bool active = false;
      for (const auto& st : lrm_->States()) {
        active = active || st.role != cib::Role::kStopped;
      }
      if (!active) {
        log_.Info("signal {}: no active resources here, shutting down", sig);
        Stop();
        return;
      }
      log_.Info(
          "signal {}: moving this node's resources away before shutting "
          "down (signal again to exit at once)",
          sig);
      WaitForSignal();
      controller_->Shutdown([this](std::string error) {
        if (!error.empty()) {
          log_.Info("shutdown blocked: {} (signal again to exit anyway)",
                    error);
          return;
        }
        log_.Info("no resources active here any more: shutting down");
        // After this handler's Flush has handed the last messages over.
        auto deadline =
            std::chrono::steady_clock::now() + std::chrono::seconds(1);
        asio::post(io_, [this, deadline] { StopWhenSent(deadline); });
      });
      Flush();
    });
  }

  // Stops once the last messages (the DC's final status, replies) left,
  // or at the deadline.
  void StopWhenSent(std::chrono::steady_clock::time_point deadline) {
    if (channel_->Idle() || std::chrono::steady_clock::now() >= deadline) {
      Stop();
      return;
    }
    drain_.expires_after(std::chrono::milliseconds(5));
    drain_.async_wait([this, deadline](const boost::system::error_code& ec) {
      if (!ec) StopWhenSent(deadline);
    });
  }

  // The network goes quiet, and the loop stops even though the executor
  // still has timers and its SIGCHLD watch; the Executor's destructor then
  // kills and reaps whatever agent is still running.
  void Stop() {
    node_->Stop();
    channel_->Stop();
    ipc_.Stop();
    signals_.cancel();
    io_.stop();
  }

  membership::ConfigEpoch Epoch() const {
    const cib::Versions& v = cib_.versions();
    return {uint64_t(std::max<long long>(v.admin_epoch, 0)),
            uint64_t(std::max<long long>(v.epoch, 0))};
  }

  // The local resource manager (real agents, this node's own HA_RSCTMP and
  // HA_VARRUN beside its socket, so several nodes on one host never share
  // them) and the controller.
  Status StartController() {
    agents::NodeContext node;
    node.node_name = setup_.self.name;
    node.sbin_dir = agents::DefaultShimDir();
    std::string run =
        std::filesystem::path(options_.socket_path).parent_path().string() +
        "/" + setup_.self.name;
    node.ha_rsctmp = run + "/rsctmp";
    node.ha_varrun = run + "/run/";
    for (const std::string& d : {node.ha_rsctmp, node.ha_varrun}) {
      std::error_code ec;
      std::filesystem::create_directories(d, ec);
      if (ec) {
        return Status::Unavailable("cannot create " + d + ": " + ec.message());
      }
    }
    agents::ExecutorOptions opts;
    opts.reap_orphans = true;
    executor_ = std::make_unique<agents::Executor>(io_, node, opts);
    runner_ = std::make_unique<ExecutorRunner>(*executor_);
    lrm_ = std::make_unique<Lrm>(*runner_, setup_.self.name, [this] {
      controller_->OnLocalChange();
      Flush();
    });
    lrm_->SetConfig(&cib_.doc().config);
    cib::Attributes env;
    env.Set("PACELINE_SOCKET", options_.socket_path);
    lrm_->SetAgentEnv(env);
    std::map<uint32_t, std::string> names;
    for (const auto& n : setup_.config.nodes) names[n.id] = n.name;
    controller_ = std::make_unique<Controller>(*lrm_, cib_, sync_,
                                               setup_.self.id, names, log_);
    controller_->SetWake([this] { Flush(); });
    controller_->SetEventSink(
        [this](json::object event) { ipc_.Publish(event); });
    PL_RETURN_IF_ERROR(journal_.Open());
    controller_->SetJournal([this](std::string input, json::object record) {
      uint64_t transition = record.at("transition").as_uint64();
      auto n = journal_.Record(input, std::move(record));
      if (n.ok()) {
        log_.Info("transition {} recorded: {}/{}.json", transition,
                  journal_.dir(), *n);
      } else {
        log_.Info("cannot record transition {}: {}", transition,
                  n.status().message());
      }
    });
    return Status::Ok();
  }

  // Why the DC cannot commit a configuration change now, or "".
  std::string WriteBlocker() const {
    node_->Poll();  // a stall just before this request must count
    const membership::Membership& m = node_->membership();
    if (!m.stable()) return "this node is not in a stable membership view";
    const std::string* policy =
        cib_.doc().config.properties.Get("no-quorum-policy");
    if (!m.view().quorate && !(policy && *policy == "ignore")) {
      return "the cluster partition has no quorum (no-quorum-policy is not "
             "ignore)";
    }
    return "";
  }

  // {"op":"cib_replace","base":{"admin_epoch":..,"epoch":..,"num_updates":..},
  //  "cib":"<cib.yaml text>"}: commit a document computed from `base`,
  //  through the DC; answered when every member has it, or refused.
  void ReplaceCib(const Peer& peer, const json::object& request,
                  Responder respond) {
    auto error = [](std::string code, std::string message) {
      return json::object{{"ok", false}, {"code", code}, {"error", message}};
    };
    if (!peer.root()) {
      respond(error("denied", "only root may change the configuration"));
      return;
    }
    auto base = ParseVersions(request.if_contains("base"));
    const json::value* text = request.if_contains("cib");
    if (!base || !text || !text->is_string()) {
      respond(error("invalid", "cib_replace needs \"base\" and \"cib\""));
      return;
    }
    uint64_t id = ++last_request_;
    writers_[id] = std::move(respond);
    sync_.SetWriteBlocker(WriteBlocker());
    sync_.Write(id, *base, std::string(text->as_string()));
    Flush();
  }

  // DC, synced: cluster.yaml's nodes that the configuration does not list
  // yet are added (with their ids), as Pacemaker adds nodes that join, so
  // `crm node standby NODE` works for every node of the cluster.
  //
  // Each node also gets an entry in the document's status section: it
  // carries the node's transient attributes (promotion scores the agents
  // set with crm_attribute -l reboot); the rest of the live status is the
  // controller's. Transient attributes die with their node's membership
  // (as Pacemaker's attrd forgets a node that leaves): a returning node's
  // agents set them again, and a stale promotion score must not pull the
  // promoted role back to it.
  void AddMissingNodes() {
    if (!sync_.is_dc() || !sync_.synced() || adding_nodes_) return;
    cib::DefineObjects define;
    bool status_missing = false;
    bool stale = false;
    for (const auto& n : setup_.config.nodes) {
      const cib::NodeStatus* st = cib_.doc().status.FindNode(n.name);
      if (st == nullptr) status_missing = true;
      if (st && !st->attributes.empty() && !InView(n.id)) stale = true;
      if (cib_.doc().config.FindNode(n.name) != nullptr) continue;
      cib::Node node;
      node.name = n.name;
      node.id = n.id;
      define.objects.push_back(cib::ConfigObject{node});
    }
    if (define.objects.empty() && !status_missing && !stale) return;
    cib::Document doc = cib_.doc();
    for (const auto& n : setup_.config.nodes) {
      cib::NodeStatus* st = doc.status.FindNode(n.name);
      if (st && !InView(n.id)) st->attributes = cib::Attributes();
    }
    if (!define.objects.empty()) {
      auto applied =
          cib::ApplyEdit(doc, define, std::chrono::system_clock::now());
      if (!applied.ok()) {
        log_.Info("cannot add the cluster's nodes to the configuration: {}",
                  applied.status().message());
        return;
      }
    }
    for (const auto& n : setup_.config.nodes) {
      if (doc.status.FindNode(n.name) != nullptr) continue;
      cib::NodeStatus ns;
      ns.name = n.name;
      doc.status.nodes.push_back(std::move(ns));
    }
    if (define.objects.empty()) ++doc.versions.num_updates;
    uint64_t id = ++last_request_;
    adding_nodes_ = true;
    writers_[id] = [this](json::object answer) {
      adding_nodes_ = false;
      const json::value* code = answer.if_contains("code");
      if (!answer.at("ok").as_bool() && code && *code != "unavailable") {
        log_.Info("adding the cluster's nodes was refused: {}",
                  json::serialize(answer));
      }
    };
    sync_.SetWriteBlocker(WriteBlocker());
    sync_.Write(id, cib_.versions(), cib::SerializeDocument(doc));
  }

  bool InView(uint32_t id) const {
    return std::find(view_members_.begin(), view_members_.end(), id) !=
           view_members_.end();
  }

  // Sends what the replication produced and answers finished writes. A
  // message that cannot be sent is a peer that is down for replication.
  void Flush() {
    // A committed write is answered before the controller reacts to it
    // (scheduling, spawning probes), which the writer need not wait for.
    AnswerWriters();
    AddMissingNodes();
    for (int round = 0; round < 4; ++round) {
      controller_->Kick();
      auto messages = sync_.TakeMessages();
      auto control = controller_->TakeMessages();
      if (messages.empty() && control.empty()) break;
      for (const SyncMessage& m : messages) {
        if (!channel_->Send(m.to, json::serialize(m.body))) {
          sync_.OnPeerDown(m.to);
        }
      }
      for (const SyncMessage& m : control) {
        if (!channel_->Send(m.to, json::serialize(m.body))) {
          controller_->OnPeerDown(m.to);
        }
      }
    }
    AnswerWriters();
  }

  void AnswerWriters() {
    for (WriteAnswer& a : sync_.TakeAnswers()) {
      auto it = writers_.find(a.request);
      if (it == writers_.end()) continue;
      Responder respond = std::move(it->second);
      writers_.erase(it);
      respond(std::move(a.body));
    }
  }

  // ChannelHandler.
  void OnPeerUp(uint32_t peer, uint64_t incarnation) override {
    log_.Info("channel to {} up (incarnation {})", NameOf(peer), incarnation);
    sync_.OnPeerUp(peer);
    controller_->OnPeerUp(peer);
    Flush();
  }
  void OnPeerDown(uint32_t peer, uint64_t, size_t unsent) override {
    log_.Info("channel to {} down ({} unsent messages dropped)", NameOf(peer),
              unsent);
    sync_.OnPeerDown(peer);
    controller_->OnPeerDown(peer);
    Flush();
  }
  void OnMessage(uint32_t peer, uint64_t, std::string_view bytes) override {
    boost::system::error_code ec;
    json::value v = json::parse(bytes, ec);
    if (ec || !v.is_object()) {
      log_.Info("dropped a malformed message from {}", NameOf(peer));
      return;
    }
    sync_.SetWriteBlocker(WriteBlocker());
    static const std::set<std::string_view> kControl = {
        "probe",   "exec",  "status",  "state",   "changed", "result",
        "request", "reply", "cleanup", "cleaned", "event"};
    const json::value* type = v.as_object().if_contains("type");
    if (type && type->is_string() && kControl.count(type->as_string())) {
      controller_->OnMessage(peer, v.as_object());
    } else {
      sync_.OnMessage(peer, v.as_object());
    }
    Flush();
  }

  std::string NameOf(uint32_t id) const {
    const membership::NodeConfig* n = setup_.config.FindNodeById(id);
    return n ? n->name : "#" + std::to_string(id);
  }

  void OnView(const membership::View& v) {
    std::vector<uint32_t> members;
    for (const auto& m : v.members) members.push_back(m.id);
    // Peers that left the view: end their channel sessions now rather than
    // wait for TCP to notice.
    for (uint32_t old : view_members_) {
      if (std::find(members.begin(), members.end(), old) == members.end() &&
          old != setup_.self.id) {
        channel_->Reset(old);
      }
    }
    view_members_ = members;
    // Subscribers see the membership change before what it causes.
    if (v.id != 0) {
      json::array member_names;
      for (const auto& m : v.members)
        member_names.push_back(json::string(NameOf(m.id)));
      ipc_.Publish(json::object{{"event", "view"},
                                {"view", v.id},
                                {"members", std::move(member_names)},
                                {"dc", NameOf(v.dc)},
                                {"quorate", v.quorate},
                                {"at", NowMillis()}});
    }
    sync_.SetWriteBlocker(WriteBlocker());
    sync_.OnView(v.id, members, v.dc);
    controller_->OnView(v.id, members, v.dc, v.quorate);
    Flush();
    if (v.id == 0) {
      log_.Info("left view: waiting to rejoin");
      return;
    }
    std::string names;
    for (const auto& m : v.members) {
      names += (names.empty() ? "" : " ") + NameOf(m.id);
    }
    log_.Info("view {}: members [{}], DC {}, {}", v.id, names, NameOf(v.dc),
              v.quorate ? "quorate" : "NOT quorate");
  }

  MembershipSnapshot Snapshot() const {
    node_->Poll();
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
      json::object status =
          StatusJson(setup_.config.cluster_name, names, ids, cib_.doc(),
                     controller_->Status(), Snapshot());
      if (!last_change_.empty()) {
        status["last_change"] =
            json::object{{"at", cib::FormatTimestamp(last_change_at_)},
                         {"what", last_change_}};
      }
      respond(json::object{{"ok", true}, {"status", std::move(status)}});
      return;
    }
    if (op == "get_cib") {
      const json::value* live = request.if_contains("live");
      bool with_status = live && live->is_bool() && live->as_bool();
      respond(json::object{
          {"ok", true},
          {"cib",
           cib::SerializeDocument(with_status ? LiveDocument() : cib_.doc())}});
      return;
    }
    if (op == "cleanup" || op == "wait") {
      if (op == "cleanup" && !peer.root()) {
        respond(json::object{{"ok", false},
                             {"code", "denied"},
                             {"error", "only root may clean up resources"}});
        return;
      }
      auto answer = [respond, op = std::string(op)](std::string error) {
        if (error.empty()) {
          respond(json::object{{"ok", true}, {"op", op}});
        } else {
          respond(json::object{{"ok", false},
                               {"op", op},
                               {"code", "unavailable"},
                               {"error", error}});
        }
      };
      if (op == "wait") {
        controller_->WaitSettled(answer);
      } else {
        auto field = [&](const char* key) {
          const json::value* v = request.if_contains(key);
          return v && v->is_string() ? std::string(v->as_string()) : "";
        };
        controller_->Cleanup(field("resource"), field("node"), answer);
      }
      Flush();
      return;
    }
    if (op == "cib_replace") {
      ReplaceCib(peer, request, std::move(respond));
      return;
    }
    respond(
        json::object{{"ok", false},
                     {"error", "unknown request \"" + std::string(op) + "\""}});
  }

  // The configuration with the live status (what the controller knows of
  // every node's resources and failures) in its status section, for the
  // CLI's read-only commands (locate, explain, list).
  cib::Document LiveDocument() const {
    cib::Document doc = cib_.doc();
    cib::ClusterStatus live = controller_->Status();
    doc.status.dc = live.dc;
    doc.status.failures = live.failures;
    doc.status.quorate = node_->membership().view().quorate;
    for (cib::NodeStatus& n : live.nodes) {
      cib::NodeStatus* d = doc.status.FindNode(n.name);
      if (d == nullptr) {
        doc.status.nodes.push_back(std::move(n));
        continue;
      }
      d->state = n.state;
      d->resources = std::move(n.resources);
    }
    return doc;
  }

  Setup setup_;
  DaemonOptions options_;
  bool shutting_down_ = false;
  // What changed last here, for crm_mon's header.
  WallTime last_change_at_;
  std::string last_change_;
  Logger log_;
  CibReplica cib_;
  CibSync sync_;
  std::vector<uint32_t> view_members_;
  uint64_t last_request_ = 0;
  bool adding_nodes_ = false;
  std::map<uint64_t, Responder> writers_;  // CLI writes awaiting an answer
  asio::io_context io_;
  asio::signal_set signals_;
  asio::steady_timer drain_{io_};
  IpcServer ipc_;
  std::unique_ptr<membership::UdpNode> node_;
  std::unique_ptr<membership::Channel> channel_;
  std::unique_ptr<agents::Executor> executor_;
  std::unique_ptr<ExecutorRunner> runner_;
  std::unique_ptr<Lrm> lrm_;
  std::unique_ptr<Controller> controller_;
  TransitionJournal journal_{options_.state_dir + "/transitions", kJournalKeep};
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
