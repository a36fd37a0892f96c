#include "agents/action_timeout.h"

#include <optional>

#include "common/strings.h"

namespace paceline::agents {

namespace {

// An attribute as a duration; nullopt when absent.
Result<std::optional<cib::Millis>> DurationAttr(const cib::Attributes& attrs,
                                                std::string_view name,
                                                std::string_view what) {
  const std::string* text = attrs.Get(name);
  if (!text) return std::optional<cib::Millis>();
  Result<cib::Millis> d = cib::ParseInterval(*text);
  if (!d.ok()) {
    return Status::Invalid(std::string(what) + ": bad " + std::string(name) +
                           " " + Quote(*text));
  }
  return std::optional<cib::Millis>(*d);
}

bool Enabled(const cib::Operation& op) {
  const std::string* e = op.attrs.Get("enabled");
  bool on = true;
  return !e || !ParseBool(*e, &on) || on;
}

bool RoleMatches(const cib::Operation& op, std::string_view role) {
  if (role.empty()) return true;
  const std::string* r = op.attrs.Get("role");
  if (!r) return false;
  auto want = cib::ParseRole(role);
  auto have = cib::ParseRole(*r);
  return want && have && *want == *have;
}

std::string OpName(const cib::Resource& rsc, const cib::Operation& op) {
  return "primitive " + Quote(rsc.id) + " op " + op.name;
}

Result<cib::Millis> Interval(const cib::Resource& rsc,
                             const cib::Operation& op) {
  PL_ASSIGN_OR_RETURN(auto interval,
                      DurationAttr(op.attrs, "interval", OpName(rsc, op)));
  return interval.value_or(cib::Millis(0));
}

// Step 1: the op itself.
Result<std::optional<cib::Millis>> OwnTimeout(const cib::Resource& rsc,
                                              std::string_view action,
                                              cib::Millis interval,
                                              std::string_view role) {
  for (const auto& op : rsc.ops) {
    if (op.name != action || !Enabled(op) || !RoleMatches(op, role)) continue;
    PL_ASSIGN_OR_RETURN(cib::Millis i, Interval(rsc, op));
    if (i != interval) continue;
    return DurationAttr(op.attrs, "timeout", OpName(rsc, op));
  }
  return std::optional<cib::Millis>();
}

// Step 2: the shortest-interval enabled recurring monitor's timeout.
Result<std::optional<cib::Millis>> ShortestMonitorTimeout(
    const cib::Resource& rsc) {
  const cib::Operation* best = nullptr;
  cib::Millis best_interval{0};
  for (const auto& op : rsc.ops) {
    if (op.name != "monitor" || !Enabled(op)) continue;
    PL_ASSIGN_OR_RETURN(cib::Millis i, Interval(rsc, op));
    if (i.count() > 0 && (!best || i < best_interval)) {
      best = &op;
      best_interval = i;
    }
  }
  if (!best) return std::optional<cib::Millis>();
  return DurationAttr(best->attrs, "timeout", OpName(rsc, *best));
}

std::optional<cib::Millis> AdvisedTimeout(const AgentMetadata* md,
                                          std::string_view action,
                                          std::string_view role) {
  if (!md) return std::nullopt;
  // Meta-data roles were normalised when parsed ("Master" -> "Promoted").
  std::string normal(role);
  if (auto r = cib::ParseRole(role)) normal = std::string(cib::RoleName(*r));
  const ActionInfo* a =
      normal.empty() ? nullptr : md->FindAction(action, normal);
  if (!a || !a->timeout) a = md->FindAction(action);
  if (!a) return std::nullopt;
  return a->timeout;
}

}  // namespace

std::string_view TimeoutSourceName(TimeoutSource source) {
  switch (source) {
    case TimeoutSource::kOperation:
      return "op";
    case TimeoutSource::kShortestMonitor:
      return "recurring monitor";
    case TimeoutSource::kOpDefaults:
      return "op_defaults";
    case TimeoutSource::kAgentMetadata:
      return "agent meta-data";
    case TimeoutSource::kBuiltin:
      return "default";
  }
  return "default";
}

Result<ChosenTimeout> ChooseTimeout(const cib::Resource& rsc,
                                    const cib::Attributes& op_defaults,
                                    const AgentMetadata* md,
                                    std::string_view action,
                                    cib::Millis interval,
                                    std::string_view role) {
  PL_ASSIGN_OR_RETURN(auto own, OwnTimeout(rsc, action, interval, role));
  if (own) return ChosenTimeout{*own, TimeoutSource::kOperation};
  if (action == "monitor" && interval.count() == 0) {
    PL_ASSIGN_OR_RETURN(auto mon, ShortestMonitorTimeout(rsc));
    if (mon) return ChosenTimeout{*mon, TimeoutSource::kShortestMonitor};
  }
  PL_ASSIGN_OR_RETURN(auto dflt,
                      DurationAttr(op_defaults, "timeout", "op_defaults"));
  if (dflt) return ChosenTimeout{*dflt, TimeoutSource::kOpDefaults};
  if (auto advised = AdvisedTimeout(md, action, role)) {
    return ChosenTimeout{*advised, TimeoutSource::kAgentMetadata};
  }
  return ChosenTimeout{};
}

std::string FormatTimeout(cib::Millis d) {
  long long ms = d.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::vector<std::string> CheckOpTimeouts(const cib::Resource& rsc,
                                         const cib::Attributes& op_defaults,
                                         const AgentMetadata& md) {
  struct Want {
    std::string action;
    cib::Millis interval;
    std::string role;
  };
  std::vector<Want> wants;
  for (const auto& op : rsc.ops) {
    Result<cib::Millis> interval = Interval(rsc, op);
    if (!Enabled(op) || !interval.ok()) continue;
    const std::string* role = op.attrs.Get("role");
    wants.push_back({op.name, *interval, role ? *role : ""});
  }
  for (const char* always : {"start", "stop"}) {
    bool has = false;
    for (const auto& w : wants) has = has || w.action == always;
    if (!has) wants.push_back({always, cib::Millis(0), ""});
  }
  std::vector<std::string> problems;
  for (const auto& w : wants) {
    Result<ChosenTimeout> chosen =
        ChooseTimeout(rsc, op_defaults, &md, w.action, w.interval, w.role);
    std::optional<cib::Millis> advised = AdvisedTimeout(&md, w.action, w.role);
    if (!chosen.ok() || !advised || chosen->timeout >= *advised) continue;
    std::string what = chosen->source == TimeoutSource::kOpDefaults
                           ? "op_defaults timeout "
                           : "timeout ";
    problems.push_back("op " + w.action + ": " + what +
                       FormatTimeout(chosen->timeout) +
                       " is smaller than the " + FormatTimeout(*advised) +
                       " the agent advises");
  }
  return problems;
}

}  // namespace paceline::agents
