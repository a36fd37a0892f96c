// The controller's cluster-wide requests (see controller.h): cleanup,
// waiting until the cluster settled, graceful shutdown, and the event feed.
//
// A request goes from the node whose CLI asked to the DC as {"type":
// "request", "req": N, "op": ...}; the DC carries it out and answers
// {"type": "reply", "req": N, "error": ""}. On the DC itself the same path
// runs without the network. A DC that leaves the view before answering
// fails every pending request with a message saying so — except a
// shutdown, which the node sends again to the next DC.
#include <algorithm>

#include "crmd/controller.h"

namespace paceline::crmd {
namespace json = boost::json;

namespace {

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}
uint64_t Uint(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<uint64_t>() : 0;
}

// The primitives of resource id (itself, a group's members, a clone's
// child), or none when it does not exist.
std::set<std::string> PrimitivesOf(const cib::Configuration& config,
                                   const std::string& id) {
  std::set<std::string> out;
  const cib::Resource* r = config.FindResource(id);
  if (!r) return out;
  if (r->IsPrimitive()) {
    out.insert(r->id);
    return out;
  }
  for (const std::string& child : r->children) {
    out.merge(PrimitivesOf(config, child));
  }
  return out;
}

}  // namespace

void Controller::Cleanup(const std::string& resource, const std::string& node,
                         Done done) {
  if (!resource.empty() && !cib_.doc().config.FindResource(resource)) {
    done("resource " + resource + " not found");
    return;
  }
  Submit(
      json::object{{"op", "cleanup"}, {"resource", resource}, {"node", node}},
      std::move(done));
}

void Controller::WaitSettled(Done done) {
  Submit(json::object{{"op", "settle"}}, std::move(done));
}

void Controller::Shutdown(Done done) {
  shutdown_ = std::move(done);
  if (view_ == 0 || dc_ == 0) return;  // sent when a DC is known (OnView)
  Submit(json::object{{"op", "shutdown"}}, [this](std::string error) {
    if (!shutdown_) return;
    if (error.rfind("the DC ", 0) == 0) return;  // sent again to the next DC
    Done done = std::move(shutdown_);
    shutdown_ = nullptr;
    done(std::move(error));
  });
}

void Controller::Submit(json::object request, Done done) {
  if (view_ == 0 || dc_ == 0) {
    done("no DC: this node is not in a cluster view yet");
    return;
  }
  uint64_t req = ++next_req_;
  pending_[req] = std::move(done);
  pending_dc_ = dc_;
  request["type"] = "request";
  request["req"] = req;
  if (is_dc()) {
    HandleRequest(self_, request);
  } else {
    Send(dc_, std::move(request));
  }
}

void Controller::HandleReply(const json::object& body) {
  auto it = pending_.find(Uint(body, "req"));
  if (it == pending_.end()) return;
  Done done = std::move(it->second);
  pending_.erase(it);
  done(Str(body, "error"));
}

void Controller::Reply(const Origin& origin, std::string error) {
  json::object reply{{"type", "reply"}, {"req", origin.req}, {"error", error}};
  if (origin.node == self_) {
    HandleReply(reply);
  } else {
    Send(origin.node, std::move(reply));
  }
}

void Controller::FailPending(const std::string& why) {
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [req, done] : pending) done(why);
}

// DC: a request from `from` (possibly itself).
void Controller::HandleRequest(uint32_t from, const json::object& body) {
  Origin origin{from, Uint(body, "req")};
  std::string op = Str(body, "op");
  if (!is_dc()) {
    Reply(origin, "the DC moved; retry");
    return;
  }
  if (op == "cleanup") {
    StartCleanup(origin, Str(body, "resource"), Str(body, "node"));
  } else if (op == "settle") {
    settle_waiters_.push_back(origin);
    AnswerWhenIdle();
  } else if (op == "shutdown") {
    auto name = names_.find(from);
    log_.Info("{} is shutting down: moving its resources away",
              name != names_.end() ? name->second : "?");
    shutdowns_[from] = origin;
    dirty_ = true;
    if (runner_) runner_->Abort(names_[from] + " is shutting down");
    MaybeSchedule();
    AnswerWhenIdle();
  } else {
    Reply(origin, "the DC does not know the request \"" + op + "\"");
  }
}

void Controller::StartCleanup(const Origin& origin, const std::string& resource,
                              const std::string& node) {
  json::array prims;
  if (!resource.empty()) {
    std::set<std::string> set = PrimitivesOf(cib_.doc().config, resource);
    if (set.empty()) {
      Reply(origin, "resource " + resource + " not found");
      return;
    }
    for (const std::string& p : set) prims.push_back(json::string(p));
  }
  uint64_t job = ++next_job_;
  CleanupJob& j = cleanups_[job];
  j.origin = origin;
  bool known = node.empty();
  for (uint32_t m : members_) {
    if (!node.empty() && names_[m] != node) continue;
    known = true;
    j.waiting.insert(m);
  }
  if (!known) {
    // Nothing is known about a node outside the view: it probes everything
    // when it joins anyway.
    bool configured = cib_.doc().config.FindNode(node) != nullptr;
    cleanups_.erase(job);
    Reply(origin, configured ? "" : "node " + node + " not found");
    return;
  }
  log_.Info("cleanup of {} on {}",
            resource.empty() ? "every resource" : resource,
            node.empty() ? "every node" : node);
  Emit(json::object{
      {"event", "cleanup"}, {"resource", resource}, {"node", node}});
  std::set<uint32_t> targets = j.waiting;
  for (uint32_t m : targets) {
    json::object msg{{"type", "cleanup"}, {"job", job}, {"primitives", prims}};
    if (m == self_) {
      HandleCleanup(self_, msg);
    } else {
      Send(m, std::move(msg));
    }
  }
}

// Any node: the DC asks to forget failures and probe again.
void Controller::HandleCleanup(uint32_t from, const json::object& body) {
  std::set<std::string> prims;
  if (const json::value* v = body.if_contains("primitives");
      v && v->is_array()) {
    for (const json::value& p : v->as_array()) {
      if (p.is_string()) prims.insert(std::string(p.as_string()));
    }
  }
  uint64_t job = Uint(body, "job");
  lrm_.SetConfig(&cib_.doc().config);
  lrm_.Reprobe(prims, [this, from, job] {
    if (from == self_) {
      OnLocalChange();
      if (is_dc()) CleanupAnswered(self_, job);
    } else {
      json::object msg = StateMessage("cleaned");
      msg["job"] = job;
      Send(from, std::move(msg));
    }
    if (wake_) wake_();
  });
}

void Controller::CleanupAnswered(uint32_t from, uint64_t job) {
  auto it = cleanups_.find(job);
  if (it == cleanups_.end()) return;
  it->second.waiting.erase(from);
  if (!it->second.waiting.empty()) return;
  Origin origin = it->second.origin;
  cleanups_.erase(it);
  dirty_ = true;
  MaybeSchedule();
  Reply(origin, "");
}

bool Controller::Active(uint32_t node) const {
  auto it = reports_.find(node);
  if (it == reports_.end()) return false;
  return std::any_of(it->second.resources.begin(), it->second.resources.end(),
                     [](const cib::ResourceState& s) {
                       return s.role != cib::Role::kStopped;
                     });
}

void Controller::AnswerWhenIdle() {
  if (!is_dc()) return;
  // A shutting-down node may go as soon as nothing runs there, even while
  // the rest of the transition goes on.
  for (auto& [node, origin] : shutdowns_) {
    if (!origin || Active(node)) continue;
    bool in_flight =
        std::any_of(in_flight_.begin(), in_flight_.end(),
                    [&](const auto& a) { return a.second == node; });
    // The DC itself goes only once its transition is over: the next DC
    // would not know about actions still running elsewhere.
    if (in_flight || (node == self_ && runner_)) continue;
    log_.Info("{} has no active resources left: it may stop", names_[node]);
    Reply(*origin, "");
    origin.reset();
  }
  if (runner_ || dirty_) return;
  for (auto& [node, origin] : shutdowns_) {
    if (origin && Active(node)) {
      // Settled with resources still there: their stop failed, or they
      // are unmanaged. Stopping the daemon would leave them unwatched.
      Reply(*origin, "resources are still active on " + names_[node] +
                         " and cannot be moved or stopped; see crm status");
      origin.reset();
    }
  }
  auto waiters = std::move(settle_waiters_);
  settle_waiters_.clear();
  for (const Origin& o : waiters) Reply(o, "");
}

void Controller::Emit(json::object event) {
  if (!event.contains("at")) {
    event["at"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  }
  if (is_dc()) {
    for (uint32_t m : members_) {
      if (m != self_) {
        Send(m, json::object{{"type", "event"}, {"event", event}});
      }
    }
  }
  if (event_sink_) event_sink_(std::move(event));
}

}  // namespace paceline::crmd
