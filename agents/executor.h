// The executor: runs agent actions asynchronously on one io_context.
//
// Threading: every method, and every callback, runs on the thread that runs
// the io_context; the executor keeps no locks. There is no thread per agent:
// a child's exit is observed through its pidfd (Linux >= 5.3) and its output
// through a non-blocking pipe, both registered with the io_context.
//
// Semantics the agents need (see agents-notes):
//  - each agent runs in a new process group, with stdin /dev/null, stdout
//    and stderr on one pipe, no other inherited fds, and only the
//    environment agent_env.h builds;
//  - completion is the agent's exit, not EOF on its output: a background
//    child (IPaddr2's send_arp) may hold the pipe for another second; what
//    is already in the pipe at exit is kept, the rest is not waited for;
//  - on timeout the whole group gets SIGTERM, then SIGKILL after
//    kill_grace; the result is "timed out" and the child is still reaped;
//  - at most max_concurrent actions run at once (the rest queue, FIFO), and
//    never two on the same resource id (they queue in submission order).
//
// Destroying the executor SIGKILLs the groups of running actions, reaps
// them, drops queued ones and stops recurring ones; their callbacks are not
// called. Destroy it
// before its io_context.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "agents/agent_env.h"
#include "agents/result.h"

namespace paceline::agents {

struct ExecutorOptions {
  size_t max_concurrent = 4;  // 0 is taken as 1
  std::chrono::milliseconds kill_grace{2000};
  size_t output_head_bytes = 64 * 1024;
  size_t output_tail_bytes = 64 * 1024;
  // Make this process a child subreaper (PR_SET_CHILD_SUBREAPER) and reap
  // every child on SIGCHLD. Without it an agent's killed or daemonised
  // descendants are reparented to init, and on this project's VMs init
  // (not a real init) reaps them late: zombies linger for a second or more
  // and a killed group does not disappear at once. Only for processes
  // whose children all come from this executor (the daemon, the CLI): it
  // reaps children it did not spawn too.
  bool reap_orphans = false;
};

class Executor {
 public:
  using Callback = std::function<void(ActionResult)>;

  Executor(boost::asio::io_context& io, NodeContext node,
           ExecutorOptions options = {});
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues req; done is called exactly once, from the io_context, never from
  // inside Submit. Invalid requests and unsupported classes complete with
  // status kError and the reason; a missing or non-executable agent with
  // kNotInstalled (rc 5).
  void Submit(ActionRequest req, Callback done);

  // Recurring actions (monitors with an interval): runs req now, then again
  // req.interval_ms after each run completes, calling each() with every
  // result, until CancelRecurring. Runs go through the same queue, so they
  // respect the concurrency limit and the per-resource serialisation.
  // kInvalid unless req.interval_ms > 0.
  using RecurringId = unsigned long long;
  Result<RecurringId> StartRecurring(ActionRequest req, Callback each);
  // Stops future runs; the result of a run in flight is dropped (each() is
  // not called again). False for an unknown id.
  bool CancelRecurring(RecurringId id);

  size_t running() const { return busy_.size(); }
  size_t queued() const { return pending_.size(); }
  const NodeContext& node() const { return node_; }

 private:
  struct Job;
  using JobPtr = std::shared_ptr<Job>;

  void Pump();
  void Start(const JobPtr& job);
  // Fails with the finished result when the agent cannot be started.
  std::optional<ActionResult> Spawn(Job& job);
  void ReadOutput(const JobPtr& job);
  void WaitForExit(const JobPtr& job);
  void ArmTimeout(const JobPtr& job);
  void OnExit(const JobPtr& job);
  void DrainOutput(Job& job);
  void Complete(const JobPtr& job, ActionResult result);
  void CompleteLater(const JobPtr& job, ActionResult result);
  struct Recurring;
  void RunRecurring(const std::shared_ptr<Recurring>& rec);
  void WatchChildren();
  void ReapChildren();

  boost::asio::io_context& io_;
  NodeContext node_;
  ExecutorOptions options_;
  // Handlers hold a weak_ptr to this so that none touches a destroyed
  // executor.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::deque<JobPtr> pending_;
  std::set<std::string> busy_;    // resource ids with an action running
  std::map<int, JobPtr> by_pid_;  // spawned and not yet completed
  std::optional<boost::asio::signal_set> sigchld_;
  RecurringId next_recurring_ = 1;
  std::map<RecurringId, std::shared_ptr<Recurring>> recurring_;
};

// Submit as an Asio asynchronous operation, so that a coroutine can write
//   ActionResult r = co_await AsyncRun(ex, req, boost::asio::use_awaitable);
// The completion runs on the io_context thread, like Submit's callback.
template <typename CompletionToken>
auto AsyncRun(Executor& ex, ActionRequest req, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(ActionResult)>(
      [&ex](auto handler, ActionRequest r) {
        // Submit takes a copyable std::function; Asio handlers are move-only.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        ex.Submit(std::move(r), [shared](ActionResult result) {
          (*shared)(std::move(result));
        });
      },
      token, std::move(req));
}

}  // namespace paceline::agents
