// The generator's model of one scenario, between drawing it (cib_generator.cc)
// and writing it as Pacemaker XML (scenario_xml.cc). Internal to the
// differential tests.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace paceline::differential {

using Attrs = std::map<std::string, std::string>;

enum class TopKind { kPrimitive, kGroup, kClone, kPromotable };

struct Primitive {
  std::string id;
  bool stateful = false;  // ocf:pacemaker:Stateful, else ocf:pacemaker:Dummy
  Attrs params;
  Attrs meta;
};

struct TopResource {
  std::string id;
  TopKind kind = TopKind::kPrimitive;
  std::vector<Primitive> primitives;  // one, except for a group
  Attrs meta;                         // of the group/clone (or the primitive)
};

struct LocationSpec {
  std::string id;
  std::string rsc;
  std::string role;  // "" or "Promoted"/"Started"
  std::string score;
  std::string node;
  std::string
      lifetime_end;  // non-empty: crmsh's rule form with a date_expression
};

struct ColocationSpec {
  std::string id;
  std::string score;
  std::string rsc, rsc_role;
  std::string with_rsc, with_rsc_role;
};

struct OrderSpec {
  std::string id;
  std::string kind;  // Mandatory, Optional
  std::string first, first_action;
  std::string then, then_action;
};

enum class NodeKind { kOnline, kStandby, kOffline, kLost };

// What one node's history says about one primitive.
enum class RscState {
  kUnknown,        // no history: Pacemaker probes
  kStopped,        // probed, not running
  kStarted,        // Started (Dummy) or Unpromoted (Stateful)
  kPromoted,       // Stateful only
  kFailedMonitor,  // was running, its recurring monitor failed
  kFailedStart,    // start failed (rc 1), fail count INFINITY
};

struct History {
  const Primitive* primitive = nullptr;
  RscState state = RscState::kUnknown;
  bool was_promoted = false;  // kFailedMonitor of a promoted Stateful
  int monitor_rc = 7;         // kFailedMonitor: 7 not running, 1 error
  bool past_failure = false;  // kStarted with an older, recovered failure
  int fail_count = 0;
  long long when = 0;  // last-rc-change
};

struct NodeSpec {
  std::string name;
  int id = 0;
  NodeKind kind = NodeKind::kOnline;
  Attrs transient;  // master-RSC, fail-count-*, last-failure-*
  std::vector<History> history;
};

struct Scenario {
  bool have_quorum = true;
  Attrs properties;
  Attrs rsc_defaults;
  Attrs op_defaults;
  std::vector<NodeSpec> nodes;
  std::vector<TopResource> resources;
  std::vector<LocationSpec> locations;
  std::vector<ColocationSpec> colocations;
  std::vector<OrderSpec> orders;
};

std::string WriteScenarioXml(const Scenario& s);

// The recurring monitor a primitive's history uses for a role.
struct MonitorSpec {
  long long interval_ms;
  const char* role;  // nullptr, "Promoted", "Unpromoted"
};
inline MonitorSpec MonitorFor(const Primitive& p, bool promoted) {
  if (!p.stateful) return {10000, nullptr};
  return promoted ? MonitorSpec{10000, "Promoted"}
                  : MonitorSpec{11000, "Unpromoted"};
}
inline constexpr long long kMonitorTimeoutMs = 20000;

}  // namespace paceline::differential
