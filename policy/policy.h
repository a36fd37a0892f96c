// The policy engine (scheduler): a pure function from the configuration and
// the cluster status to a transition graph.
//
//   Schedule(snapshot, options, now) -> TransitionGraph
//
// No I/O, no clock reads (`now` decides expired lifetimes and failure
// timeouts), no globals; the same input gives the same graph byte for
// byte. Pacemaker's semantics are the reference (docs/policy.md lists where
// we differ and why). The pipeline, each stage in its own file:
//
//   unpack        configuration + status -> working set (nodes, resource
//                 tree with clone instances, current roles, fail counts)
//   node criteria availability, locations, stickiness, failures -> scores
//   assign        resources in priority/configuration order, colocations
//                 (primaries first, dependents' preferences fed back),
//                 clone instances, promotion
//   actions       start/stop/promote/demote/monitor/probe per instance
//   orderings     implicit (stop before start, group order, ...) and
//                 configured (order constraints, symmetrical)
//   graph         runnable propagation, DAG check
#pragma once

#include "cib/model.h"
#include "common/clock.h"
#include "policy/transition_graph.h"

namespace paceline::policy {

struct Snapshot {
  cib::Configuration config;
  cib::ClusterStatus status;
  bool quorate = true;  // from membership; offline files assume quorum
};

struct Options {
  bool record_scores = false;  // fill TransitionGraph::scores
};

// Fails only on input the engine cannot schedule at all (a cycle in the
// orderings); an active resource the configuration lacks is a note.
Result<TransitionGraph> Schedule(const Snapshot& snapshot,
                                 const Options& options, WallTime now);

// The status after every runnable action of the graph succeeded: what
// `simulate --save` writes back, and what the convergence property test
// schedules again (expecting no further actions).
cib::ClusterStatus ApplyTransition(const Snapshot& snapshot,
                                   const TransitionGraph& graph);

}  // namespace paceline::policy
