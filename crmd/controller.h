// Controller: the cluster resource manager's brain, on every node.
//
// Every node: answers the DC's "probe" with its Lrm's state after probing
// every configured resource (once per life), runs the DC's "exec" requests
// through the Lrm and answers with the result and its new state, and tells
// the DC when a recurring monitor failed.
//
// The DC: keeps the reported state of every member (a node that leaves the
// view is offline and its resources stopped: no fencing, as in the talk),
// and whenever something changed and no transition is running, runs
// policy::Schedule on the configuration and that status and executes the
// graph with a TransitionRunner — actions to their nodes, in parallel where
// the graph allows. A failed action or an outside event aborts the
// transition; once in-flight actions have finished, it schedules again
// from the new facts. A schedule with nothing to do means the cluster has
// settled. It shares the merged status with the members, so `crm status`
// answers the same on every node.
//
// Messages are JSON objects with a "type"; TakeMessages() returns what to
// send. Single-threaded (the daemon's io_context).
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cib/model.h"
#include "common/log.h"
#include "crmd/cib_sync.h"
#include "crmd/lrm.h"
#include "crmd/transition.h"

namespace paceline::crmd {

class Controller {
 public:
  // names: node id -> name for every configured node.
  Controller(Lrm& lrm, const CibReplica& cib, const CibSync& sync,
             uint32_t self_id, std::map<uint32_t, std::string> names,
             const Logger& log);

  void OnView(uint64_t view, const std::vector<uint32_t>& members, uint32_t dc,
              bool quorate);
  void OnMessage(uint32_t from, const boost::json::object& body);
  // The configuration changed (committed or adopted here).
  void OnConfigChanged();
  // This node's Lrm saw a change by itself (a failed recurring monitor).
  void OnLocalChange();
  // A peer's channel went down: its in-flight actions count as failed.
  void OnPeerDown(uint32_t peer);
  // A peer's channel came (back) up: a probe sent while it was down was
  // dropped, so the DC asks again.
  void OnPeerUp(uint32_t peer);

  std::vector<SyncMessage> TakeMessages();
  // Called after work finished asynchronously (an agent's result), so the
  // daemon sends what it produced.
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }
  // Schedules if something changed and nothing blocks it any more (e.g.
  // the configuration just reached every member).
  void Kick() { MaybeSchedule(); }

  // Requests from this node's CLI that the DC carries out; `done` gets ""
  // when done, else a one-line error. Never dropped: a DC that leaves
  // before answering fails them (a shutdown is sent again to the next DC).
  using Done = std::function<void(std::string error)>;
  // `crm resource cleanup [RSC] [NODE]`: every member (or NODE) forgets the
  // failures of RSC's primitives (all when "") and probes them again.
  void Cleanup(const std::string& resource, const std::string& node, Done done);
  // Answered once the DC has nothing left to do (`--wait`).
  void WaitSettled(Done done);
  // Graceful shutdown: the DC moves this node's resources away (or stops
  // them) and answers when none is active here any more.
  void Shutdown(Done done);
  // Cluster events (actions, transitions, membership) for subscribers:
  // every member gets the DC's.
  void SetEventSink(std::function<void(boost::json::object)> sink) {
    event_sink_ = std::move(sink);
  }
  void Emit(boost::json::object event);
  // Every finished transition, with the scheduler's input (a cib.yaml
  // with the status it saw) and TransitionRecord().
  using JournalSink =
      std::function<void(std::string input, boost::json::object record)>;
  void SetJournal(JournalSink sink) { journal_ = std::move(sink); }

  // The merged status as the DC last shared it (or this node's own view
  // of it before any), for `crm status`.
  cib::ClusterStatus Status() const;
  bool is_dc() const { return view_ != 0 && dc_ == self_; }
  bool settled() const { return is_dc() && !runner_ && !dirty_; }
  uint64_t transitions() const { return transition_id_; }

 private:
  struct Report {
    bool received = false;
    std::vector<cib::ResourceState> resources;
    std::vector<cib::FailedAction> failures;
  };

  void Send(uint32_t to, boost::json::object body);
  boost::json::object StateMessage(std::string type) const;
  void HandleProbe();
  void HandleExec(uint32_t from, const boost::json::object& body);
  void TakeReport(uint32_t from, const boost::json::object& body);
  void HandleResult(uint32_t from, const boost::json::object& body);
  void MaybeSchedule();
  void Dispatch();
  void Finish(int action, bool ok);
  void ShareStatus();
  cib::ClusterStatus BuildStatus() const;
  // Requests (controller_requests.cc).
  struct Origin {
    uint32_t node = 0;
    uint64_t req = 0;
  };
  void Submit(boost::json::object request, Done done);
  void HandleRequest(uint32_t from, const boost::json::object& body);
  void HandleReply(const boost::json::object& body);
  void Reply(const Origin& origin, std::string error);
  void StartCleanup(const Origin& origin, const std::string& resource,
                    const std::string& node);
  void HandleCleanup(uint32_t from, const boost::json::object& body);
  void CleanupAnswered(uint32_t from, uint64_t job);
  void FailPending(const std::string& why);
  // DC: answers settle waiters and finished shutdowns when nothing runs.
  void AnswerWhenIdle();
  bool Active(uint32_t node) const;

  Lrm& lrm_;
  const CibReplica& cib_;
  const CibSync& sync_;
  uint32_t self_;
  std::map<uint32_t, std::string> names_;
  const Logger& log_;

  uint64_t view_ = 0;
  uint32_t dc_ = 0;
  cib::Versions seen_;  // the document versions last handled
  bool quorate_ = false;
  std::vector<uint32_t> members_;
  bool probing_ = false;

  // DC only.
  std::map<uint32_t, Report> reports_;
  std::unique_ptr<TransitionRunner> runner_;
  std::map<int, uint32_t> in_flight_;  // action id -> node id
  uint64_t transition_id_ = 0;
  std::chrono::steady_clock::time_point transition_started_;
  bool share_pending_ = false;  // a result arrived since the last share
  bool dirty_ = false;
  int idle_schedules_ = 0;

  // Requests this node sent to the DC (or is handling as the DC).
  uint64_t next_req_ = 0;
  std::map<uint64_t, Done> pending_;
  uint32_t pending_dc_ = 0;  // the DC they were sent to
  Done shutdown_;            // this node's own shutdown, until answered
  // DC: requests being carried out.
  struct CleanupJob {
    Origin origin;
    std::set<uint32_t> waiting;
  };
  std::map<uint64_t, CleanupJob> cleanups_;
  uint64_t next_job_ = 0;
  std::vector<Origin> settle_waiters_;
  std::map<uint32_t, std::optional<Origin>> shutdowns_;  // answered: nullopt
  std::function<void(boost::json::object)> event_sink_;
  JournalSink journal_;
  std::string journal_input_;  // of the running transition

  std::function<void()> wake_;
  cib::ClusterStatus shared_;  // from the DC
  std::vector<SyncMessage> messages_;
};

}  // namespace paceline::crmd
