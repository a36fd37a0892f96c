// Which timeout an action runs with when its op does not say.
//
// Pure. Precedence, first that applies:
//   1. the op's own `timeout` (the op of that name and interval, and role
//      when one is given; disabled ops do not count);
//   2. for a probe (monitor, interval 0) without its own op: the timeout of
//      the resource's shortest-interval recurring monitor (Pacemaker does
//      the same, and there it beats op_defaults too);
//   3. op_defaults `timeout`;
//   4. the agent's meta-data advice for the action (for monitor: the entry
//      of the same role if there is one);
//   5. 20 s.
// Step 4 is ours: Pacemaker ignores the advice at run time (pcs copies it
// into the ops when it creates a resource; crmsh only warns when a timeout
// is smaller). Using it means a drbd start without an op gets drbd's 240 s,
// not 20 s; an explicit op_defaults timeout still wins, as the
// administrator's cluster-wide choice. docs/agents.md has the comparison.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agents/metadata.h"
#include "cib/duration.h"
#include "cib/model.h"
#include "common/status.h"

namespace paceline::agents {

inline constexpr cib::Millis kBuiltinTimeout{20000};

enum class TimeoutSource {
  kOperation,        // the op's timeout
  kShortestMonitor,  // a probe borrowing the recurring monitor's
  kOpDefaults,       // op_defaults timeout
  kAgentMetadata,    // the agent's advice
  kBuiltin,          // 20 s
};
// "op", "recurring monitor", "op_defaults", "agent meta-data", "default".
std::string_view TimeoutSourceName(TimeoutSource source);

struct ChosenTimeout {
  cib::Millis timeout{kBuiltinTimeout};
  TimeoutSource source = TimeoutSource::kBuiltin;
};

// The timeout for `action` with that interval (0: one-shot or probe) and
// role ("" for any) of primitive rsc. md may be null (agent without
// meta-data, or not installed). kInvalid naming the op for a timeout or
// interval that does not parse.
Result<ChosenTimeout> ChooseTimeout(const cib::Resource& rsc,
                                    const cib::Attributes& op_defaults,
                                    const AgentMetadata* md,
                                    std::string_view action,
                                    cib::Millis interval,
                                    std::string_view role = "");

// crmsh's check: ops that would run with less time than the agent advises
// for them, one line each ("op start: timeout 30s is smaller than the 240s
// the agent advises"). Looks at every enabled op, and at start and stop
// when they have no op (they always run): those take op_defaults, which
// may be smaller than the advice. Values that do not parse are left to the
// CIB's validation.
std::vector<std::string> CheckOpTimeouts(const cib::Resource& rsc,
                                         const cib::Attributes& op_defaults,
                                         const AgentMetadata& md);

// "240s", "1500ms".
std::string FormatTimeout(cib::Millis d);

}  // namespace paceline::agents
