// The `expect` files of the scheduler's golden cases
// (tests/policy/cases/NAME/expect): hand-written assertions about a
// TransitionGraph, derived from Pacemaker's documented semantics rather
// than copied from our own output. The parser and the checker live here so
// the runner (golden_test.cc) stays a loop over directories.
//
// One assertion per line; `#` starts a comment, blank lines are ignored.
//
//   place INSTANCE NODE ROLE      some placement of INSTANCE (an instance id
//                                 such as drbd_pg:0, or the primitive id for
//                                 any of its instances) is on NODE in ROLE
//                                 (Started, Promoted or Unpromoted)
//   stopped INSTANCE              no placement of INSTANCE is on any node
//   instances PRIMITIVE NODE ROLE N
//                                 exactly N instances of PRIMITIVE are on
//                                 NODE in ROLE (clone-node-max cases)
//   action TASK RESOURCE NODE [interval=DUR] [role=ROLE]
//                                 a runnable real action exists; TASK is
//                                 start|stop|promote|demote|monitor|probe
//                                 (monitor: interval > 0, probe: interval 0);
//                                 RESOURCE is the primitive id (an instance
//                                 suffix ":N" is ignored); interval= and
//                                 role= narrow monitors
//   no-action TASK RESOURCE NODE [...]
//                                 no runnable real action matches
//   unrunnable TASK RESOURCE NODE [...]
//                                 a matching action exists and is not
//                                 runnable (blocked by its predecessors)
//   before A < B [< C ...]        each action is an ancestor of the next one
//                                 in the graph (A, B, C: TASK RESOURCE NODE)
//   not-before A < B              both exist and A is not an ancestor of B
//   ordered A <> B                A and B are ordered one way or the other
//                                 (Serialize)
//   actions N                     exactly N runnable real start, stop,
//                                 promote and demote actions (probes,
//                                 monitors and notifications not counted)
//
// Not thread-safe; plain functions over values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cib/model.h"
#include "common/status.h"
#include "policy/transition_graph.h"

namespace paceline::policy::golden {

// One TASK RESOURCE NODE [interval=DUR] [role=ROLE] term.
struct ActionPattern {
  std::string task;  // start|stop|promote|demote|monitor|probe
  std::string resource;
  std::string node;
  std::optional<long long> interval_ms;
  std::optional<cib::Role> role;
  std::string ToString() const;
  bool Matches(const Action& action) const;
};

enum class ExpectKind {
  kPlace,
  kStopped,
  kInstances,
  kAction,
  kNoAction,
  kUnrunnable,
  kBefore,
  kNotBefore,
  kOrdered,
  kActions,
};

struct Expectation {
  int line = 0;
  std::string text;  // the line as written, for messages
  ExpectKind kind = ExpectKind::kAction;
  std::string instance;  // place, stopped, instances
  std::string node;      // place, instances
  cib::Role role = cib::Role::kUnknown;
  long long count = 0;                 // instances, actions
  std::vector<ActionPattern> actions;  // 1 for action kinds, >= 2 for orders
};

// kSyntax naming the line on anything that is not of the grammar above.
Result<std::vector<Expectation>> ParseExpect(std::string_view text);

// Every resource and node an expectation names exists in config, so a typo
// fails loudly instead of making a `stopped` or `no-action` pass.
Status CheckNames(const std::vector<Expectation>& expects,
                  const cib::Configuration& config);

// Checks expectations against a graph; one message per failed line
// ("expect:12: before stop pg_vip HA-node1 < ...: not ordered"), empty if
// every line holds.
std::vector<std::string> CheckGraph(const std::vector<Expectation>& expects,
                                    const TransitionGraph& graph);

// The graph as readable lines (actions with their predecessors, then
// placements), printed when a case fails.
std::string DescribeGraph(const TransitionGraph& graph);

}  // namespace paceline::policy::golden
