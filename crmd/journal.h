// TransitionJournal: the DC's record of the transitions it ran, in
// STATE_DIR/transitions/. For transition N (numbered across restarts):
//   N-input.yaml  the configuration and the status the scheduler saw; it
//                 is a cib.yaml, so `paceline simulate --cib N-input.yaml`
//                 replays the decision and `crm resource explain` explains
//                 it;
//   N.json        the graph and what became of it (TransitionRecord).
// The newest `keep` transitions are kept. Files are written whole (temp +
// rename) but not fsynced: the journal explains, it is not state.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "common/status.h"
#include "crmd/transition.h"

namespace paceline::crmd {

class TransitionJournal {
 public:
  TransitionJournal(std::string dir, size_t keep);
  // Creates the directory and finds the next number.
  Status Open();
  // Writes one transition; returns its number.
  Result<uint64_t> Record(std::string_view input_yaml,
                          boost::json::object record);
  const std::string& dir() const { return dir_; }

 private:
  void Prune();

  std::string dir_;
  size_t keep_;
  uint64_t next_ = 1;
};

// {"schema": "paceline.transition/1", "transition": id, "aborted": bool,
//  "reason": "...", "actions": [{"id", "action", "resource", "node",
//  "interval_ms", "after": [...], "state": "done|failed|never|..."}]}
// Pseudo actions are left out; "after" lists real predecessors, with
// pseudo ones resolved through.
boost::json::object TransitionRecord(const TransitionRunner& runner);

}  // namespace paceline::crmd
