// Lrm: this node's local resource manager. It is the truth about the
// resources on its node: it probes every configured primitive when asked
// (once per life; afterwards it knows), runs the actions the DC dispatches,
// keeps recurring monitors going where a resource is active, and keeps the
// resulting state of every resource instance (role, failed, fail count,
// failed actions) to report to the DC.
//
// Agents run through the ActionRunner seam: agents::Executor in the daemon,
// a scripted fake in tests. Single-threaded (the daemon's io_context).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agents/agent_env.h"
#include "agents/result.h"
#include "cib/model.h"

namespace paceline::crmd {

// The seam between the controller and real agents.
class ActionRunner {
 public:
  using Done = std::function<void(agents::ActionResult)>;
  virtual ~ActionRunner() = default;
  virtual void Run(agents::ActionRequest req, Done done) = 0;
  // Runs now and every req.interval_ms after each completion; 0 on error.
  virtual uint64_t StartRecurring(agents::ActionRequest req, Done each) = 0;
  virtual void CancelRecurring(uint64_t id) = 0;
};

// One action as the DC asks for it (policy::Action, minus scheduling).
struct ExecSpec {
  std::string instance;   // "pg_fs", "drbd_pg" (anonymous clone), "c:1"
  std::string primitive;  // the configured primitive
  std::string task;       // start, stop, promote, demote, monitor, notify
  long long interval_ms = 0;
  long long timeout_ms = 20000;
  cib::Role role = cib::Role::kUnknown;  // monitors: the role watched
  cib::Attributes meta;                  // notify variables etc.
};

struct ExecOutcome {
  bool ok = false;  // the rc the task expects (probes: any clean answer)
  int rc = 1;
  std::string status;  // "done", "timed out", ...
  std::string reason;  // rc meaning or exit reason
};

class Lrm {
 public:
  // on_change: a resource's state changed outside a dispatched action (a
  // recurring monitor failed); the daemon reports the new state.
  Lrm(ActionRunner& runner, std::string node_name,
      std::function<void()> on_change);

  // The configuration actions are built from (the node's replica; must
  // outlive the call that uses it).
  void SetConfig(const cib::Configuration* config) { config_ = config; }
  // Extra environment for every agent (PACELINE_SOCKET, so the agents'
  // crm_attribute/crm_master calls reach this node's daemon).
  void SetAgentEnv(cib::Attributes env) { agent_env_ = std::move(env); }

  // Probes every configured primitive (instances as the scheduler names
  // them) not probed yet; done() when all answered.
  void ProbeAll(std::function<void()> done);
  bool probed() const { return probed_; }

  void Execute(const ExecSpec& spec, std::function<void(ExecOutcome)> done);

  // This node's resources, as cib::NodeStatus::resources.
  std::vector<cib::ResourceState> States() const;
  std::vector<cib::FailedAction> Failures() const { return failures_; }
  // Clears fail counts and failures (crm resource cleanup); "" for all.
  void Cleanup(const std::string& instance);
  // `crm resource cleanup`: forgets the failures of every instance of these
  // primitives (all when empty) and probes them again; done() when every
  // probe answered.
  void Reprobe(const std::set<std::string>& primitives,
               std::function<void()> done);

 private:
  struct Instance {
    cib::ResourceState state;
    uint64_t monitor = 0;  // recurring monitor id, 0 if none
    long long monitor_interval = 0;
  };

  const cib::Resource* Primitive(const std::string& id) const;
  bool InPromotable(const std::string& primitive) const;
  std::optional<agents::ActionRequest> Request(const ExecSpec& spec,
                                               std::string* why) const;
  void Record(const ExecSpec& spec, const agents::ActionResult& r,
              ExecOutcome* out);
  void Fail(const ExecSpec& spec, const agents::ActionResult& r);
  void StopMonitor(Instance& inst);
  void OnMonitor(const ExecSpec& spec, const agents::ActionResult& r);
  void Probe(const cib::Resource& r, const std::string& instance,
             std::function<void()> done);
  void EnsureMonitor(const cib::Resource& r, const std::string& instance);

  ActionRunner& runner_;
  std::string node_;
  std::function<void()> on_change_;
  const cib::Configuration* config_ = nullptr;
  cib::Attributes agent_env_;
  bool probed_ = false;
  std::map<std::string, Instance> instances_;
  std::vector<cib::FailedAction> failures_;
};

// The instance ids the scheduler uses for a primitive: the id itself, or
// "id:N" for N < clone-max of a globally-unique clone.
std::vector<std::string> InstancesOf(const cib::Configuration& config,
                                     const cib::Resource& primitive);

}  // namespace paceline::crmd
