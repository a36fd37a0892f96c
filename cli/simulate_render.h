// Renderers shared by `paceline simulate` and `crm resource explain`:
// the crm_mon-style cluster status, the crm_simulate-style transition
// summary and execution list, score listings, and the
// `paceline.simulate/1` JSON document.
//
// Pure functions of their arguments (the configuration, a status, a
// scheduled graph); they write text and never touch files or the clock.
// Output is deterministic: the same input prints the same bytes, so tests
// and admins can diff it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cib/model.h"
#include "policy/policy.h"

namespace paceline::cli::simulate {

// "+100", "0", "-50", "+INFINITY", "-INFINITY".
std::string FormatScore(cib::Score score);

// "  * Node List:" and "  * Full List of Resources:" of `status` as
// crm_mon 2.1 prints them (spaces instead of its tabs).
void PrintClusterStatus(const cib::Configuration& config,
                        const cib::ClusterStatus& status, std::ostream& out);

// One line of the transition summary, e.g. verb "Move", instance "pg_fs",
// details "HA-node1 -> HA-node2", suffix "  due to node availability".
struct SummaryLine {
  std::string verb;
  std::string instance;
  std::string details;
  std::string suffix;
  std::string primitive;  // the configured primitive, for filtering
  std::string parent;     // enclosing clone, "" if none
  std::string group;      // enclosing group, "" if none
};

// What happens to each instance, derived from where it is now (the
// snapshot's status; `before` is the status before any what-if so that an
// instance whose node was taken down still shows where it came from) and
// the graph's actions and placements. In placement order.
std::vector<SummaryLine> TransitionSummary(
    const policy::Snapshot& snapshot, const cib::ClusterStatus& before,
    const policy::TransitionGraph& graph);

// "  * Move       pg_fs      ( HA-node1 -> HA-node2 )" with the verb
// padded to 10 and instances to the longest one among `lines`.
void PrintSummary(const std::vector<SummaryLine>& lines, std::ostream& out);

// Every action, pseudo ones included, in a topological order that breaks
// ties by action id (TransitionGraph::TopologicalOrder leaves pseudo
// actions out).
std::vector<int> FullOrder(const policy::TransitionGraph& graph);

// "  * Resource action: pg_fs           stop on HA-node1" and
// "  * Pseudo action:   PGServer_stopped_0" for every runnable action.
void PrintExecution(const policy::TransitionGraph& graph, std::ostream& out);

// The score terms grouped by resource then node, with a total per node
// (ancestors' terms included); promotion terms in their own section.
void PrintScores(const policy::TransitionGraph& graph, std::ostream& out);

// The resource ids whose terms add up to `instance`'s score: itself, then
// its group (instance) and clone, as the scheduler inherits them.
std::vector<std::string> ScoreLineage(const policy::TransitionGraph& graph,
                                      const std::string& instance);

// {"schema": "paceline.simulate/1", "resources": [...], "actions": [...]}
// on one line; with_scores adds "scores": [{"resource", "node", "score"
// (+/-1000000 for +/-INFINITY), "source", "promotion"}].
std::string SimulateJson(const policy::TransitionGraph& graph,
                         bool with_scores);

}  // namespace paceline::cli::simulate
