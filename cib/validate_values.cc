// Value-level checks: meta attributes, cluster properties, op attributes.
#include <array>
#include <string_view>

#include "cib/duration.h"
#include "cib/model.h"
#include "cib/validate.h"
#include "common/strings.h"

namespace paceline::cib {

namespace {

Status BadValue(std::string_view what, std::string_view name,
                std::string_view value, std::string_view expected) {
  return Status::Syntax(std::string(what) + " " + std::string(name) + "=" +
                        std::string(value) + ": expected " +
                        std::string(expected));
}

bool OneOf(std::string_view value,
           std::initializer_list<std::string_view> options) {
  for (auto o : options) {
    if (IEquals(value, o)) return true;
  }
  return false;
}

Status CheckBool(std::string_view what, std::string_view name,
                 std::string_view value) {
  bool b = false;
  if (ParseBool(value, &b)) return Status::Ok();
  return BadValue(what, name, value, "true or false");
}

Status CheckCount(std::string_view what, std::string_view name,
                  std::string_view value) {
  long long n = 0;
  if (ParseInt64(value, &n) && n >= 0) return Status::Ok();
  return BadValue(what, name, value, "a non-negative integer");
}

Status CheckScoreValue(std::string_view what, std::string_view name,
                       std::string_view value) {
  if (ParseScore(value).ok()) return Status::Ok();
  return BadValue(what, name, value, "a score (integer, inf or -inf)");
}

Status CheckIntervalValue(std::string_view what, std::string_view name,
                          std::string_view value) {
  if (ParseInterval(value).ok()) return Status::Ok();
  return BadValue(what, name, value, "an interval such as 15s, 500ms, 1min");
}

}  // namespace

Status CheckMetaAttribute(std::string_view name, std::string_view value) {
  constexpr std::string_view kWhat = "meta";
  if (name == "target-role") {
    if (ParseRole(value)) return Status::Ok();
    return BadValue(kWhat, name, value,
                    "Started, Stopped, Promoted (Master) or Unpromoted "
                    "(Slave)");
  }
  if (OneOf(name, {"is-managed", "maintenance", "allow-migrate", "notify",
                   "globally-unique", "interleave", "ordered", "promotable",
                   "critical", "allow-unhealthy-nodes"})) {
    return CheckBool(kWhat, name, value);
  }
  if (OneOf(name, {"resource-stickiness", "priority", "migration-threshold",
                   "stickiness"})) {
    return CheckScoreValue(kWhat, name, value);
  }
  if (OneOf(name, {"clone-max", "clone-node-max", "clone-min", "promoted-max",
                   "master-max", "promoted-node-max", "master-node-max"})) {
    return CheckCount(kWhat, name, value);
  }
  if (name == "failure-timeout") return CheckIntervalValue(kWhat, name, value);
  if (name == "multiple-active" &&
      !OneOf(value, {"block", "stop_only", "stop_start", "stop_unexpected"})) {
    return BadValue(kWhat, name, value,
                    "block, stop_only, stop_start or stop_unexpected");
  }
  if (name == "requires" &&
      !OneOf(value, {"nothing", "quorum", "fencing", "unfencing"})) {
    return BadValue(kWhat, name, value,
                    "nothing, quorum, fencing or unfencing");
  }
  return Status::Ok();
}

Status CheckProperty(std::string_view name, std::string_view value,
                     bool* known) {
  constexpr std::string_view kWhat = "property";
  *known = true;
  if (OneOf(name, {"stonith-enabled", "symmetric-cluster", "maintenance-mode",
                   "start-failure-is-fatal", "stop-all-resources",
                   "stop-orphan-resources", "stop-orphan-actions",
                   "enable-startup-probes", "concurrent-fencing",
                   "startup-fencing", "enable-acl", "have-watchdog",
                   "shutdown-lock", "remove-after-stop"})) {
    return CheckBool(kWhat, name, value);
  }
  if (name == "no-quorum-policy") {
    if (OneOf(value, {"stop", "freeze", "ignore", "demote", "suicide"})) {
      return Status::Ok();
    }
    return BadValue(kWhat, name, value,
                    "stop, freeze, ignore, demote or suicide");
  }
  if (name == "placement-strategy") {
    if (OneOf(value, {"default", "utilization", "minimal", "balanced"})) {
      return Status::Ok();
    }
    return BadValue(kWhat, name, value,
                    "default, utilization, minimal or balanced");
  }
  if (OneOf(name, {"cluster-recheck-interval", "dc-deadtime", "stonith-timeout",
                   "election-timeout", "shutdown-escalation",
                   "join-integration-timeout", "join-finalization-timeout",
                   "transition-delay", "shutdown-lock-limit", "fence-reaction",
                   "priority-fencing-delay"})) {
    if (name == "fence-reaction") return Status::Ok();
    return CheckIntervalValue(kWhat, name, value);
  }
  if (OneOf(name, {"batch-limit", "migration-limit", "node-action-limit",
                   "pe-error-series-max", "pe-warn-series-max",
                   "pe-input-series-max"})) {
    long long n = 0;
    if (ParseInt64(value, &n)) return Status::Ok();
    return BadValue(kWhat, name, value, "an integer");
  }
  if (OneOf(name, {"node-health-strategy"})) {
    if (OneOf(value, {"none", "migrate-on-red", "only-green", "progressive",
                      "custom"})) {
      return Status::Ok();
    }
    return BadValue(kWhat, name, value,
                    "none, migrate-on-red, only-green, progressive or custom");
  }
  // Properties Pacemaker itself maintains or that carry free text.
  *known = OneOf(
      name, {"dc-version", "cluster-infrastructure", "cluster-name",
             "last-lrm-refresh", "stonith-action", "stonith-watchdog-timeout",
             "node-health-base", "node-health-green", "node-health-yellow",
             "node-health-red", "cluster-ipc-limit", "load-threshold",
             "stonith-max-attempts"});
  return Status::Ok();
}

bool IsKnownOperation(std::string_view name) {
  return OneOf(name, {"start", "stop", "monitor", "promote", "demote", "notify",
                      "migrate_to", "migrate_from", "reload", "reload-agent",
                      "meta-data", "validate-all", "status"});
}

Status CheckOpAttribute(std::string_view name, std::string_view value) {
  constexpr std::string_view kWhat = "op attribute";
  if (OneOf(name, {"interval", "timeout", "start-delay"})) {
    return CheckIntervalValue(kWhat, name, value);
  }
  if (name == "role") {
    if (ParseRole(value)) return Status::Ok();
    return BadValue(kWhat, name, value,
                    "Started, Stopped, Promoted (Master) or Unpromoted "
                    "(Slave)");
  }
  if (name == "on-fail") {
    if (OneOf(value, {"ignore", "block", "stop", "restart", "standby", "fence",
                      "demote", "restart-container", "reset"})) {
      return Status::Ok();
    }
    return BadValue(kWhat, name, value,
                    "ignore, block, stop, restart, standby, fence or demote");
  }
  if (OneOf(name, {"enabled", "record-pending"})) {
    return CheckBool(kWhat, name, value);
  }
  return Status::Ok();
}

}  // namespace paceline::cib
