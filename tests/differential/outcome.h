// What a scheduler decided for one scenario, reduced to what the two
// schedulers can be compared on, and the comparison itself.
//
// Compared:
//   - placement: for every primitive, the sorted node:role pairs where it is
//     active after the transition (role Started, Unpromoted or Promoted).
//     Clone instance numbers are dropped: anonymous instances are
//     interchangeable, and the two schedulers number them differently.
//   - actions: the multiset of "ACTION PRIMITIVE NODE" for the actions that
//     change what runs -- start, stop, promote, demote -- that would
//     execute (runnable, not pseudo), on nodes online in the input.
// Not compared, on both sides alike: monitors (recurring ones and probes:
// they follow from the placement and Pacemaker also reschedules a monitor
// whose definition changed), notifications, pseudo actions (collective
// milestones, stops on a node that is down), cancels and fail-count
// clearing, and the order of actions (a transition's ordering constraints
// are a partial order, which no set comparison captures; it is covered by
// the golden tests).
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace paceline::differential {

struct Outcome {
  std::map<std::string, std::vector<std::string>> placement;  // sorted
  std::vector<std::string> actions;                           // sorted
  std::set<std::string> online;  // nodes online in the input (Pacemaker's)
};

// `crm_simulate -S --output-as=xml` output: <transition> and
// <revised_cluster_status>.
Result<Outcome> ParsePacemakerResult(std::string_view xml);

// `paceline simulate --output-as=json` output (schema paceline.simulate/1).
Result<Outcome> ParsePacelineSimulate(std::string_view json);

// "c1:0" -> "c1".
std::string StripInstance(std::string_view instance);

// One line per difference, empty when the two agree. Actions are filtered
// to the nodes `pacemaker.online` lists on both sides.
std::vector<std::string> Compare(const Outcome& pacemaker,
                                 const Outcome& paceline);

}  // namespace paceline::differential
