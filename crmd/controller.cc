// The controller (see controller.h).
#include "crmd/controller.h"

#include <algorithm>

#include "cib/store.h"
#include "crmd/journal.h"
#include "policy/policy.h"

namespace paceline::crmd {
namespace json = boost::json;

namespace {

long long Millis(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             t.time_since_epoch())
      .count();
}
WallTime FromMillis(long long ms) {
  return WallTime(std::chrono::milliseconds(ms));
}
std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}
long long Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<long long>() : 0;
}

json::array StatesJson(const std::vector<cib::ResourceState>& states) {
  json::array out;
  for (const auto& s : states) {
    json::object o{{"id", s.id},
                   {"role", std::string(cib::RoleName(s.role))},
                   {"failed", s.failed},
                   {"fail_count", s.fail_count.ToString()}};
    if (s.last_failure) o["last_failure"] = Millis(*s.last_failure);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<cib::ResourceState> ParseStates(const json::value* v) {
  std::vector<cib::ResourceState> out;
  if (!v || !v->is_array()) return out;
  for (const json::value& e : v->as_array()) {
    if (!e.is_object()) continue;
    const json::object& o = e.as_object();
    cib::ResourceState s;
    s.id = Str(o, "id");
    s.role = cib::ParseRole(Str(o, "role")).value_or(cib::Role::kStopped);
    s.failed = o.contains("failed") && o.at("failed").is_bool() &&
               o.at("failed").as_bool();
    if (auto score = cib::ParseScore(Str(o, "fail_count")); score.ok()) {
      s.fail_count = *score;
    }
    if (o.contains("last_failure")) {
      s.last_failure = FromMillis(Int(o, "last_failure"));
    }
    out.push_back(std::move(s));
  }
  return out;
}

json::array FailuresJson(const std::vector<cib::FailedAction>& failures) {
  json::array out;
  for (const auto& f : failures) {
    out.push_back(json::object{{"resource", f.resource},
                               {"node", f.node},
                               {"action", f.action},
                               {"interval_ms", f.interval_ms},
                               {"rc", f.rc},
                               {"status", f.status},
                               {"reason", f.reason},
                               {"at", Millis(f.at)},
                               {"output", f.output}});
  }
  return out;
}

std::vector<cib::FailedAction> ParseFailures(const json::value* v) {
  std::vector<cib::FailedAction> out;
  if (!v || !v->is_array()) return out;
  for (const json::value& e : v->as_array()) {
    if (!e.is_object()) continue;
    const json::object& o = e.as_object();
    cib::FailedAction f;
    f.resource = Str(o, "resource");
    f.node = Str(o, "node");
    f.action = Str(o, "action");
    f.interval_ms = Int(o, "interval_ms");
    f.rc = int(Int(o, "rc"));
    f.status = Str(o, "status");
    f.reason = Str(o, "reason");
    f.at = FromMillis(Int(o, "at"));
    f.output = Str(o, "output");
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

Controller::Controller(Lrm& lrm, const CibReplica& cib, const CibSync& sync,
                       uint32_t self_id, std::map<uint32_t, std::string> names,
                       const Logger& log)
    : lrm_(lrm),
      cib_(cib),
      sync_(sync),
      self_(self_id),
      names_(std::move(names)),
      log_(log) {}

void Controller::Send(uint32_t to, json::object body) {
  messages_.push_back(SyncMessage{to, std::move(body)});
}

std::vector<SyncMessage> Controller::TakeMessages() {
  if (share_pending_ && is_dc()) ShareStatus();
  share_pending_ = false;
  std::vector<SyncMessage> out;
  out.swap(messages_);
  return out;
}

json::object Controller::StateMessage(std::string type) const {
  return json::object{{"type", std::move(type)},
                      {"resources", StatesJson(lrm_.States())},
                      {"failures", FailuresJson(lrm_.Failures())}};
}

void Controller::OnView(uint64_t view, const std::vector<uint32_t>& members,
                        uint32_t dc, bool quorate) {
  bool was_dc = is_dc();
  view_ = view;
  dc_ = view != 0 ? dc : 0;
  quorate_ = quorate;
  members_ = members;
  if (!pending_.empty() && dc_ != pending_dc_) {
    auto old = names_.find(pending_dc_);
    FailPending("the DC (" +
                (old != names_.end() ? old->second : std::string("?")) +
                ") changed before answering; check `crm status` and retry if "
                "needed");
  }
  if (shutdown_ && pending_.empty() && dc_ != 0) Shutdown(std::move(shutdown_));
  if (!is_dc()) {
    if (was_dc) {
      runner_.reset();
      in_flight_.clear();
      reports_.clear();
      cleanups_.clear();
      settle_waiters_.clear();
      shutdowns_.clear();
    }
    return;
  }
  auto member = [&](uint32_t id) {
    return std::find(members_.begin(), members_.end(), id) != members_.end();
  };
  // Members that left: their resources are stopped (no fencing).
  std::erase_if(reports_, [&](const auto& r) { return !member(r.first); });
  std::erase_if(shutdowns_, [&](const auto& s) { return !member(s.first); });
  for (auto& [job, c] : std::map<uint64_t, CleanupJob>(cleanups_)) {
    for (uint32_t n : c.waiting) {
      if (!member(n)) CleanupAnswered(n, job);
    }
  }
  if (runner_)
    runner_->Abort("the membership changed (view " + std::to_string(view) +
                   ")");
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    if (std::find(members_.begin(), members_.end(), it->second) ==
        members_.end()) {
      int action = it->first;
      it = in_flight_.erase(it);
      if (runner_) runner_->OnResult(action, false);
    } else {
      ++it;
    }
  }
  // Ask every member (again) what it runs; a joining node probes first.
  for (uint32_t m : members_) {
    if (reports_[m].received) continue;
    if (m == self_) {
      HandleProbe();
    } else {
      Send(m, json::object{{"type", "probe"}});
    }
  }
  dirty_ = true;
  MaybeSchedule();
}

void Controller::OnMessage(uint32_t from, const json::object& body) {
  std::string type = Str(body, "type");
  if (type == "probe" && from == dc_) {
    HandleProbe();
  } else if (type == "exec" && from == dc_) {
    HandleExec(from, body);
  } else if (type == "status" && from == dc_) {
    shared_ = cib::ClusterStatus{};
    shared_.dc = Str(body, "dc");
    const json::value* nodes = body.if_contains("nodes");
    if (nodes && nodes->is_array()) {
      for (const json::value& n : nodes->as_array()) {
        if (!n.is_object()) continue;
        cib::NodeStatus ns;
        ns.name = Str(n.as_object(), "name");
        ns.state = cib::ParseNodeState(Str(n.as_object(), "state"))
                       .value_or(cib::NodeState::kOffline);
        ns.resources = ParseStates(n.as_object().if_contains("resources"));
        shared_.nodes.push_back(std::move(ns));
      }
    }
    shared_.failures = ParseFailures(body.if_contains("failures"));
  } else if (is_dc() && (type == "state" || type == "changed")) {
    TakeReport(from, body);
    AnswerWhenIdle();
  } else if (is_dc() && type == "result") {
    HandleResult(from, body);
  } else if (type == "request") {
    HandleRequest(from, body);
  } else if (type == "reply" && from == dc_) {
    HandleReply(body);
  } else if (type == "cleanup" && from == dc_) {
    HandleCleanup(from, body);
  } else if (is_dc() && type == "cleaned") {
    TakeReport(from, body);
    CleanupAnswered(from, uint64_t(Int(body, "job")));
  } else if (type == "event" && from == dc_) {
    const json::value* e = body.if_contains("event");
    if (e && e->is_object() && event_sink_) event_sink_(e->as_object());
  }
}

void Controller::HandleProbe() {
  if (probing_) return;
  probing_ = true;
  lrm_.SetConfig(&cib_.doc().config);
  lrm_.ProbeAll([this] {
    probing_ = false;
    if (is_dc()) {
      Report& r = reports_[self_];
      r.received = true;
      r.resources = lrm_.States();
      r.failures = lrm_.Failures();
      dirty_ = true;
      MaybeSchedule();
    } else if (dc_ != 0) {
      Send(dc_, StateMessage("state"));
    }
    if (wake_) wake_();
  });
}

void Controller::HandleExec(uint32_t from, const json::object& body) {
  ExecSpec spec;
  spec.instance = Str(body, "instance");
  spec.primitive = Str(body, "primitive");
  spec.task = Str(body, "task");
  spec.interval_ms = Int(body, "interval_ms");
  spec.timeout_ms = Int(body, "timeout_ms");
  spec.role = cib::ParseRole(Str(body, "role")).value_or(cib::Role::kUnknown);
  if (std::string t = Str(body, "notify_type"); !t.empty()) {
    spec.meta.Set("notify_type", t);
    spec.meta.Set("notify_operation", Str(body, "notify_operation"));
  }
  long long transition = Int(body, "transition");
  long long action = Int(body, "action");
  lrm_.SetConfig(&cib_.doc().config);
  lrm_.Execute(spec, [this, from, transition, action](ExecOutcome out) {
    json::object reply = StateMessage("result");
    reply["transition"] = transition;
    reply["action"] = action;
    reply["ok"] = out.ok;
    reply["rc"] = out.rc;
    reply["reason"] = out.reason;
    if (from == self_) {
      HandleResult(self_, reply);
    } else {
      Send(from, std::move(reply));
    }
    if (wake_) wake_();
  });
}

void Controller::TakeReport(uint32_t from, const json::object& body) {
  Report& r = reports_[from];
  r.received = true;
  r.resources = ParseStates(body.if_contains("resources"));
  r.failures = ParseFailures(body.if_contains("failures"));
  dirty_ = true;
  if (runner_ && Str(body, "type") == "changed") {
    runner_->Abort("a monitor failed on " + names_[from]);
  }
  MaybeSchedule();
}

void Controller::HandleResult(uint32_t from, const json::object& body) {
  if (!is_dc()) return;
  TakeReport(from, body);  // the node's new state
  // Members show progress too (crm status anywhere): shared once per
  // batch of messages (TakeMessages), so a burst of results costs one.
  share_pending_ = true;
  if (!runner_ || uint64_t(Int(body, "transition")) != runner_->id()) return;
  int action = int(Int(body, "action"));
  if (in_flight_.erase(action) == 0) return;
  bool ok =
      body.contains("ok") && body.at("ok").is_bool() && body.at("ok").as_bool();
  const policy::Action& a = runner_->graph().actions[action];
  if (!ok) {
    log_.Info("transition {}: {} failed: rc {} ({})", runner_->id(), a.Key(),
              Int(body, "rc"), Str(body, "reason"));
  }
  Emit(json::object{{"event", ok ? "action_done" : "action_failed"},
                    {"transition", runner_->id()},
                    {"action", a.Key()},
                    {"resource", a.resource},
                    {"task", std::string(policy::TaskName(a.task))},
                    {"node", a.node},
                    {"rc", Int(body, "rc")},
                    {"reason", Str(body, "reason")}});
  Finish(action, ok);
  AnswerWhenIdle();
}

void Controller::Finish(int action, bool ok) {
  runner_->OnResult(action, ok);
  Dispatch();
  if (runner_->finished()) {
    log_.Info("transition {} {}: {} done, {} failed", runner_->id(),
              runner_->aborted() ? "aborted (" + runner_->abort_reason() + ")"
                                 : "complete",
              runner_->count(ActionState::kDone),
              runner_->count(ActionState::kFailed));
    auto took = std::chrono::steady_clock::now() - transition_started_;
    Emit(json::object{
        {"event", "transition_finished"},
        {"transition", runner_->id()},
        {"aborted", runner_->aborted()},
        {"reason", runner_->abort_reason()},
        {"done", runner_->count(ActionState::kDone)},
        {"failed", runner_->count(ActionState::kFailed)},
        {"ms",
         std::chrono::duration_cast<std::chrono::milliseconds>(took).count()}});
    if (journal_) {
      json::object record = TransitionRecord(*runner_);
      record["dc"] = names_[self_];
      record["ms"] =
          std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
      journal_(std::move(journal_input_), std::move(record));
      journal_input_.clear();
    }
    runner_.reset();
    dirty_ = true;  // schedule again: confirm the cluster settled
    MaybeSchedule();
  }
}

void Controller::OnConfigChanged() {
  lrm_.SetConfig(&cib_.doc().config);
  const cib::Versions& v = cib_.versions();
  bool config = v.admin_epoch != seen_.admin_epoch || v.epoch != seen_.epoch;
  seen_ = v;
  if (!is_dc()) return;
  dirty_ = true;
  // A status-only change (a promotion score an agent set) does not make the
  // running transition wrong; the next schedule takes it into account.
  if (runner_ && config) runner_->Abort("the configuration changed");
  MaybeSchedule();
}

void Controller::OnLocalChange() {
  if (is_dc()) {
    Report& r = reports_[self_];
    r.received = true;
    r.resources = lrm_.States();
    r.failures = lrm_.Failures();
    dirty_ = true;
    if (runner_) runner_->Abort("a monitor failed on this node");
    MaybeSchedule();
  } else if (dc_ != 0) {
    Send(dc_, StateMessage("changed"));
  }
}

void Controller::OnPeerUp(uint32_t peer) {
  if (!is_dc() || peer == self_) return;
  if (std::find(members_.begin(), members_.end(), peer) == members_.end()) {
    return;
  }
  if (!reports_[peer].received) Send(peer, json::object{{"type", "probe"}});
}

void Controller::OnPeerDown(uint32_t peer) {
  if (!is_dc() || !runner_) return;
  std::vector<int> lost;
  for (const auto& [action, node] : in_flight_) {
    if (node == peer) lost.push_back(action);
  }
  for (int action : lost) {
    in_flight_.erase(action);
    if (!runner_) break;
    Finish(action, false);
  }
}

cib::ClusterStatus Controller::BuildStatus() const {
  cib::ClusterStatus st;
  auto dc = names_.find(dc_);
  st.dc = dc != names_.end() ? dc->second : "";
  for (const cib::Node& n : cib_.doc().config.nodes) {
    cib::NodeStatus ns;
    ns.name = n.name;
    ns.state = cib::NodeState::kOffline;
    // Transient attributes (promotion scores) live in the replicated
    // document's status section, written by the agents' crm_attribute.
    if (const cib::NodeStatus* doc = cib_.doc().status.FindNode(n.name)) {
      ns.attributes = doc->attributes;
    }
    for (const auto& [id, origin] : shutdowns_) {
      auto name = names_.find(id);
      if (name != names_.end() && name->second == n.name) {
        ns.attributes.Set("shutdown", "1");
      }
    }
    for (const auto& [id, report] : reports_) {
      auto name = names_.find(id);
      if (name == names_.end() || name->second != n.name) continue;
      ns.state = cib::NodeState::kOnline;
      ns.resources = report.resources;
      st.failures.insert(st.failures.end(), report.failures.begin(),
                         report.failures.end());
    }
    st.nodes.push_back(std::move(ns));
  }
  return st;
}

cib::ClusterStatus Controller::Status() const {
  return is_dc() ? BuildStatus() : shared_;
}

void Controller::ShareStatus() {
  share_pending_ = false;
  cib::ClusterStatus st = BuildStatus();
  json::array nodes;
  for (const cib::NodeStatus& n : st.nodes) {
    nodes.push_back(
        json::object{{"name", n.name},
                     {"state", std::string(cib::NodeStateName(n.state))},
                     {"resources", StatesJson(n.resources)}});
  }
  json::object msg{{"type", "status"},
                   {"dc", st.dc},
                   {"nodes", std::move(nodes)},
                   {"failures", FailuresJson(st.failures)}};
  for (uint32_t m : members_) {
    if (m != self_) Send(m, msg);
  }
}

void Controller::MaybeSchedule() {
  if (!is_dc() || runner_ || !dirty_) return;
  if (!sync_.synced()) return;  // OnView/OnConfigChanged call again
  for (uint32_t m : members_) {
    if (!reports_[m].received) return;  // still probing
  }
  dirty_ = false;
  ShareStatus();
  cib::ClusterStatus status = BuildStatus();
  status.quorate = quorate_;
  policy::Snapshot snap{cib_.doc().config, status, quorate_};
  auto graph = policy::Schedule(snap, {}, std::chrono::system_clock::now());
  if (!graph.ok()) {
    log_.Info("cannot schedule: {}", graph.status().message());
    return;
  }
  size_t work = std::count_if(
      graph->actions.begin(), graph->actions.end(),
      [](const policy::Action& a) { return !a.pseudo && a.runnable; });
  if (work == 0) {  // settled
    AnswerWhenIdle();
    return;
  }
  if (journal_) {
    cib::Document input;
    input.versions = cib_.versions();
    input.config = cib_.doc().config;
    input.status = std::move(status);
    journal_input_ = cib::SerializeDocument(input);
  }
  runner_ =
      std::make_unique<TransitionRunner>(++transition_id_, std::move(*graph));
  transition_started_ = std::chrono::steady_clock::now();
  log_.Info("transition {}: {} actions", transition_id_, work);
  Emit(json::object{{"event", "transition_started"},
                    {"transition", transition_id_},
                    {"actions", work}});
  Dispatch();
}

void Controller::Dispatch() {
  if (!runner_) return;
  for (const policy::Action* a : runner_->TakeReady()) {
    if (!runner_) return;  // a synchronous failure finished it
    uint32_t node = 0;
    for (const auto& [id, name] : names_) {
      if (name == a->node) node = id;
    }
    json::object exec{{"type", "exec"},
                      {"transition", runner_->id()},
                      {"action", a->id},
                      {"instance", a->resource},
                      {"primitive", a->primitive},
                      {"task", std::string(policy::TaskName(a->task))},
                      {"interval_ms", a->interval_ms},
                      {"timeout_ms", a->timeout_ms},
                      {"role", std::string(cib::RoleName(a->role))},
                      {"notify_type", a->notify_type},
                      {"notify_operation", a->notify_operation}};
    if (node == 0 ||
        std::find(members_.begin(), members_.end(), node) == members_.end()) {
      Finish(a->id, false);  // dispatches what is left, or ends it
      return;
    }
    in_flight_[a->id] = node;
    log_.Info("transition {}: {}", runner_->id(), a->Key());
    Emit(json::object{{"event", "action_started"},
                      {"transition", runner_->id()},
                      {"action", a->Key()},
                      {"resource", a->resource},
                      {"task", std::string(policy::TaskName(a->task))},
                      {"node", a->node}});
    if (node == self_) {
      HandleExec(self_, exec);
    } else {
      Send(node, std::move(exec));
    }
  }
}

}  // namespace paceline::crmd
