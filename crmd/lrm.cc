// The local resource manager (see lrm.h).
#include "crmd/lrm.h"

#include <algorithm>

#include "agents/action_timeout.h"
#include "cib/config_index.h"
#include "common/strings.h"

namespace paceline::crmd {
namespace {

bool MetaTrue(const cib::Attributes& meta, std::string_view name) {
  bool on = false;
  const std::string* v = meta.Get(name);
  return v && ParseBool(*v, &on) && on;
}

const cib::Resource* CloneOf(const cib::Configuration& config,
                             const std::string& primitive) {
  const cib::Resource* parent = config.ParentOf(primitive);
  if (parent && parent->IsGroup()) parent = config.ParentOf(parent->id);
  return parent && parent->IsClone() ? parent : nullptr;
}

// "c:3" -> "c" for anonymous clones (their state is kept per primitive).
std::string StateKey(const cib::Configuration* config,
                     const std::string& instance,
                     const std::string& primitive) {
  if (config == nullptr) return instance;
  const cib::Resource* clone = CloneOf(*config, primitive);
  if (clone && !MetaTrue(clone->meta, "globally-unique")) return primitive;
  return instance;
}

std::string CloneNumber(const std::string& instance) {
  size_t colon = instance.rfind(':');
  return colon == std::string::npos ? "0" : instance.substr(colon + 1);
}

}  // namespace

std::vector<std::string> InstancesOf(const cib::Configuration& config,
                                     const cib::Resource& primitive) {
  const cib::Resource* clone = CloneOf(config, primitive.id);
  if (!clone || !MetaTrue(clone->meta, "globally-unique")) {
    return {primitive.id};
  }
  long long max = config.nodes.size();
  if (const std::string* v = clone->meta.Get("clone-max")) {
    max = std::atoll(v->c_str());
  }
  std::vector<std::string> out;
  for (long long i = 0; i < max && i < 1024; ++i) {
    out.push_back(primitive.id + ":" + std::to_string(i));
  }
  return out;
}

Lrm::Lrm(ActionRunner& runner, std::string node_name,
         std::function<void()> on_change)
    : runner_(runner),
      node_(std::move(node_name)),
      on_change_(std::move(on_change)) {}

const cib::Resource* Lrm::Primitive(const std::string& id) const {
  if (config_ == nullptr) return nullptr;
  const cib::Resource* r = config_->FindResource(id);
  return r && r->IsPrimitive() ? r : nullptr;
}

bool Lrm::InPromotable(const std::string& primitive) const {
  if (config_ == nullptr) return false;
  const cib::Resource* clone = CloneOf(*config_, primitive);
  return clone && clone->promotable;
}

std::optional<agents::ActionRequest> Lrm::Request(const ExecSpec& spec,
                                                  std::string* why) const {
  const cib::Resource* p = Primitive(spec.primitive);
  if (p == nullptr) {
    *why = "primitive " + spec.primitive + " is not in the configuration";
    return std::nullopt;
  }
  agents::ActionRequest req;
  req.resource_id = StateKey(config_, spec.instance, spec.primitive);
  req.agent = p->agent;
  req.action = spec.task;
  req.params = p->params;
  req.interval_ms = spec.interval_ms;
  req.timeout_ms = spec.timeout_ms;
  req.meta = spec.meta;
  req.extra_env = agent_env_;
  if (const cib::Resource* clone = CloneOf(*config_, spec.primitive)) {
    for (const auto& nv : clone->meta) req.meta.Set(nv.name, nv.value);
    req.meta.Set("clone", CloneNumber(spec.instance));
    if (!req.meta.Get("clone-max")) {
      req.meta.Set("clone-max", std::to_string(config_->nodes.size()));
    }
    if (!req.meta.Get("clone-node-max")) req.meta.Set("clone-node-max", "1");
    if (clone->promotable) {
      if (!req.meta.Get("promoted-max") && !req.meta.Get("master-max")) {
        req.meta.Set("promoted-max", "1");
      }
    }
  }
  return req;
}

void Lrm::ProbeAll(std::function<void()> done) {
  if (config_ == nullptr) {
    done();
    return;
  }
  auto remaining = std::make_shared<size_t>(1);  // released at the end
  auto finish = [this, remaining, done] {
    if (--*remaining == 0) {
      probed_ = true;
      done();
    }
  };
  for (const cib::Resource& r : config_->resources) {
    if (!r.IsPrimitive()) continue;
    for (const std::string& instance : InstancesOf(*config_, r)) {
      if (instances_.count(StateKey(config_, instance, r.id))) continue;
      ++*remaining;
      Probe(r, instance, finish);
    }
  }
  finish();
}

// One probe (a one-shot monitor). A probe's timeout follows the same rule
// as the daemon's other actions (the recurring monitor's, op_defaults,
// 20 s). An instance found active gets its recurring monitor: the
// scheduler only adds monitors to the actions it schedules, and a resource
// found running (after a restart of this daemon, or a cleanup) must be
// watched all the same.
void Lrm::Probe(const cib::Resource& r, const std::string& instance,
                std::function<void()> done) {
  auto timeout = agents::ChooseTimeout(r, config_->op_defaults, nullptr,
                                       "monitor", cib::Millis(0));
  long long ms = timeout.ok() ? timeout->timeout.count() : 20000;
  ExecSpec spec{instance, r.id, "monitor", 0, ms, cib::Role::kUnknown, {}};
  std::string id = r.id;
  Execute(spec, [this, id, instance, done](ExecOutcome) {
    if (const cib::Resource* p = Primitive(id)) EnsureMonitor(*p, instance);
    done();
  });
}

void Lrm::EnsureMonitor(const cib::Resource& r, const std::string& instance) {
  auto it = instances_.find(StateKey(config_, instance, r.id));
  if (it == instances_.end()) return;
  Instance& inst = it->second;
  cib::Role role = inst.state.role;
  if (role == cib::Role::kStopped || inst.state.failed) {
    StopMonitor(inst);
    return;
  }
  if (inst.monitor != 0) return;
  for (const cib::Operation& op : r.ops) {
    if (op.name != "monitor") continue;
    const std::string* iv = op.attrs.Get("interval");
    auto interval =
        iv ? cib::ParseInterval(*iv) : Result<cib::Millis>(cib::Millis(0));
    if (!interval.ok() || interval->count() <= 0) continue;
    cib::Role op_role = cib::Role::kUnknown;
    if (const std::string* v = op.attrs.Get("role")) {
      op_role = cib::ParseRole(*v).value_or(cib::Role::kUnknown);
    }
    bool fits =
        op_role == cib::Role::kPromoted || op_role == cib::Role::kUnpromoted
            ? op_role == role
            : true;
    if (!fits) continue;
    auto timeout =
        agents::ChooseTimeout(r, config_->op_defaults, nullptr, "monitor",
                              *interval, cib::RoleName(role));
    ExecSpec spec{instance,
                  r.id,
                  "monitor",
                  interval->count(),
                  timeout.ok() ? timeout->timeout.count() : 20000,
                  role,
                  {}};
    Execute(spec, [](ExecOutcome) {});
    return;
  }
}

void Lrm::Reprobe(const std::set<std::string>& primitives,
                  std::function<void()> done) {
  auto remaining = std::make_shared<size_t>(1);
  auto finish = [remaining, done] {
    if (--*remaining == 0) done();
  };
  if (config_ != nullptr) {
    for (const cib::Resource& r : config_->resources) {
      if (!r.IsPrimitive()) continue;
      if (!primitives.empty() && !primitives.count(r.id)) continue;
      for (const std::string& instance : InstancesOf(*config_, r)) {
        std::string key = StateKey(config_, instance, r.id);
        Cleanup(key);
        ++*remaining;
        Probe(r, instance, finish);
      }
    }
  }
  finish();
}

void Lrm::Execute(const ExecSpec& spec, std::function<void(ExecOutcome)> done) {
  std::string why;
  std::optional<agents::ActionRequest> req = Request(spec, &why);
  if (!req) {
    done(ExecOutcome{false, agents::kOcfErrConfigured, "error", why});
    return;
  }
  std::string key = req->resource_id;
  if (spec.task == "monitor" && spec.interval_ms > 0) {
    Instance& inst = instances_[key];
    StopMonitor(inst);
    auto first = std::make_shared<std::function<void(ExecOutcome)>>(done);
    inst.monitor_interval = spec.interval_ms;
    inst.monitor = runner_.StartRecurring(
        *req, [this, spec, first](agents::ActionResult r) {
          if (*first) {
            ExecOutcome out;
            Record(spec, r, &out);
            auto cb = std::move(*first);
            *first = nullptr;
            cb(out);
          } else {
            OnMonitor(spec, r);
          }
        });
    return;
  }
  runner_.Run(*req, [this, spec, done](agents::ActionResult r) {
    ExecOutcome out;
    Record(spec, r, &out);
    done(out);
  });
}

// What a finished action means for the instance's state.
void Lrm::Record(const ExecSpec& spec, const agents::ActionResult& r,
                 ExecOutcome* out) {
  std::string key = StateKey(config_, spec.instance, spec.primitive);
  Instance& inst = instances_[key];
  cib::ResourceState& st = inst.state;
  st.id = key;
  bool promotable = InPromotable(spec.primitive);
  cib::Role started = promotable ? cib::Role::kUnpromoted : cib::Role::kStarted;
  out->rc = r.rc;
  out->status = std::string(agents::ExecStatusName(r.status));
  out->reason = r.reason.empty() ? agents::OcfRcMeaning(r.rc) : r.reason;
  bool probe = spec.task == "monitor" && spec.interval_ms == 0;
  if (probe) {
    out->ok = r.status == agents::ExecStatus::kDone &&
              (r.rc == 0 || r.rc == 7 || r.rc == 8 || r.rc == 5);
    st.role = r.rc == 8   ? cib::Role::kPromoted
              : r.rc == 0 ? started
                          : cib::Role::kStopped;
    if (!out->ok && r.rc != 5) {
      st.role = started;  // unknown state: treat as active and failed
      st.failed = true;
      Fail(spec, r);
    }
    return;
  }
  int expected = spec.task == "monitor" && spec.role == cib::Role::kPromoted
                     ? agents::kOcfRunningPromoted
                     : agents::kOcfSuccess;
  out->ok = r.status == agents::ExecStatus::kDone && r.rc == expected;
  if (!out->ok) {
    Fail(spec, r);
    st.failed = true;
    if (spec.task == "start") {
      st.fail_count = cib::Score::Infinity();  // start-failure-is-fatal
      st.role = started;  // may be half-started: must be stopped
    } else if (spec.task == "stop") {
      st.role = started;  // still there
    }
    return;
  }
  st.failed = false;
  if (spec.task == "start") st.role = started;
  if (spec.task == "promote") st.role = cib::Role::kPromoted;
  if (spec.task == "demote") st.role = cib::Role::kUnpromoted;
  if (spec.task == "stop") {
    st.role = cib::Role::kStopped;
    StopMonitor(inst);
  }
}

void Lrm::Fail(const ExecSpec& spec, const agents::ActionResult& r) {
  cib::FailedAction f;
  f.resource = StateKey(config_, spec.instance, spec.primitive);
  f.node = node_;
  f.action = spec.task;
  f.interval_ms = spec.interval_ms;
  f.rc = r.rc;
  f.status = std::string(agents::ExecStatusName(r.status));
  f.reason = r.reason.empty() ? agents::OcfRcMeaning(r.rc) : r.reason;
  f.at = std::chrono::system_clock::now();
  f.output = r.output.LastLine();
  std::erase_if(failures_, [&](const cib::FailedAction& o) {
    return o.resource == f.resource && o.action == f.action &&
           o.interval_ms == f.interval_ms;
  });
  failures_.push_back(std::move(f));
}

void Lrm::StopMonitor(Instance& inst) {
  if (inst.monitor != 0) runner_.CancelRecurring(inst.monitor);
  inst.monitor = 0;
}

// A recurring monitor's later result: a failure raises the fail count and
// tells the DC, which decides the recovery.
void Lrm::OnMonitor(const ExecSpec& spec, const agents::ActionResult& r) {
  std::string key = StateKey(config_, spec.instance, spec.primitive);
  Instance& inst = instances_[key];
  // Judged against the role the instance has now, not the one it had when
  // the monitor started: a promote or demote whose transition was aborted
  // before the monitor was re-issued changes what "running" means.
  int expected = inst.state.role == cib::Role::kPromoted
                     ? agents::kOcfRunningPromoted
                     : agents::kOcfSuccess;
  if (r.status == agents::ExecStatus::kDone && r.rc == expected) return;
  inst.state.failed = true;
  inst.state.fail_count += cib::Score(1);  // saturates at INFINITY
  inst.state.last_failure = std::chrono::system_clock::now();
  Fail(spec, r);
  StopMonitor(inst);
  if (on_change_) on_change_();
}

std::vector<cib::ResourceState> Lrm::States() const {
  std::vector<cib::ResourceState> out;
  for (const auto& [key, inst] : instances_) out.push_back(inst.state);
  return out;
}

void Lrm::Cleanup(const std::string& instance) {
  for (auto& [key, inst] : instances_) {
    if (!instance.empty() && key != instance) continue;
    inst.state.failed = false;
    inst.state.fail_count = cib::Score(0);
    inst.state.last_failure.reset();
  }
  std::erase_if(failures_, [&](const cib::FailedAction& f) {
    return instance.empty() || f.resource == instance;
  });
}

}  // namespace paceline::crmd
