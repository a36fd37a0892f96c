// TransitionRunner: executes one scheduled transition graph, sans I/O. The
// DC asks it which actions may be dispatched now (every predecessor
// completed), reports each result, and asks whether the transition is
// over. Pseudo actions (milestones of groups and clones) complete by
// themselves as soon as their predecessors have. Unrunnable actions are
// never dispatched, and neither is anything that depends on them.
//
// A recurring monitor that nothing in the graph waits for (its first run
// after a start or promote) is held back while an action something does
// wait for is running or ready on the same node: agent processes compete
// for the node's CPU (on a small machine two Dummy runs side by side take
// as long as one after the other), so the next member of a group starts
// first and the monitors follow. Nothing waits longer for it than the
// transition's own work on that node.
//
// A failed action aborts the transition: nothing new is dispatched, the
// actions in flight are waited for, and the DC schedules again from the
// new facts. Abort() does the same for an outside event (a node left, the
// configuration changed): in-flight actions finish, then a new schedule.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "policy/transition_graph.h"

namespace paceline::crmd {

enum class ActionState { kWaiting, kInFlight, kDone, kFailed, kNever };

class TransitionRunner {
 public:
  TransitionRunner(uint64_t id, policy::TransitionGraph graph);

  uint64_t id() const { return id_; }
  const policy::TransitionGraph& graph() const { return graph_; }

  // Real actions that may be dispatched now; they become in flight.
  std::vector<const policy::Action*> TakeReady();
  // The result of an in-flight action; unknown or repeated ids are ignored
  // (returns false).
  bool OnResult(int action, bool success);
  // Stop dispatching (an event made the graph stale). The reason is kept
  // for the journal.
  void Abort(std::string why);

  // Nothing in flight and nothing more will be dispatched.
  bool finished() const;
  bool aborted() const { return aborted_; }
  const std::string& abort_reason() const { return abort_reason_; }
  ActionState state(int action) const { return state_[action]; }
  size_t in_flight() const { return in_flight_; }
  // Counts for logs: done, failed, never run (unrunnable or cut off).
  size_t count(ActionState s) const;

 private:
  bool Ready(int action) const;
  // A recurring monitor with no successor (see above).
  bool Deferrable(int action) const;
  void CompletePseudo();

  uint64_t id_;
  policy::TransitionGraph graph_;
  std::vector<std::vector<int>> preds_;
  std::vector<bool> has_succ_;
  std::vector<ActionState> state_;
  size_t in_flight_ = 0;
  bool aborted_ = false;
  std::string abort_reason_;
};

}  // namespace paceline::crmd
