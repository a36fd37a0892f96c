// Transition execution state (see transition.h).
#include "crmd/transition.h"

#include <algorithm>
#include <set>

namespace paceline::crmd {

TransitionRunner::TransitionRunner(uint64_t id, policy::TransitionGraph graph)
    : id_(id), graph_(std::move(graph)) {
  size_t n = graph_.actions.size();
  preds_.resize(n);
  has_succ_.assign(n, false);
  state_.assign(n, ActionState::kWaiting);
  for (const policy::Edge& e : graph_.edges) {
    if (e.first >= 0 && e.then >= 0 && size_t(e.first) < n &&
        size_t(e.then) < n) {
      preds_[e.then].push_back(e.first);
      has_succ_[e.first] = true;
    }
  }
  // Unrunnable actions, and everything after them, will never run.
  bool changed = true;
  for (size_t i = 0; i < n; ++i) {
    if (!graph_.actions[i].runnable) state_[i] = ActionState::kNever;
  }
  while (changed) {
    changed = false;
    for (size_t i = 0; i < n; ++i) {
      if (state_[i] == ActionState::kNever) continue;
      for (int p : preds_[i]) {
        if (state_[p] == ActionState::kNever) {
          state_[i] = ActionState::kNever;
          changed = true;
          break;
        }
      }
    }
  }
  CompletePseudo();
}

bool TransitionRunner::Ready(int action) const {
  if (state_[action] != ActionState::kWaiting) return false;
  return std::all_of(preds_[action].begin(), preds_[action].end(),
                     [&](int p) { return state_[p] == ActionState::kDone; });
}

void TransitionRunner::CompletePseudo() {
  bool changed = true;
  while (changed && !aborted_) {
    changed = false;
    for (size_t i = 0; i < graph_.actions.size(); ++i) {
      if (graph_.actions[i].pseudo && Ready(int(i))) {
        state_[i] = ActionState::kDone;
        changed = true;
      }
    }
  }
}

bool TransitionRunner::Deferrable(int action) const {
  const policy::Action& a = graph_.actions[action];
  return a.task == policy::Task::kMonitor && a.interval_ms > 0 &&
         !has_succ_[action];
}

std::vector<const policy::Action*> TransitionRunner::TakeReady() {
  std::vector<const policy::Action*> out;
  if (aborted_) return out;
  std::set<std::string> busy;  // nodes running or given awaited work
  for (size_t i = 0; i < graph_.actions.size(); ++i) {
    const policy::Action& a = graph_.actions[i];
    if (a.pseudo || Deferrable(int(i))) continue;
    if (state_[i] == ActionState::kInFlight) busy.insert(a.node);
    if (!Ready(int(i))) continue;
    state_[i] = ActionState::kInFlight;
    ++in_flight_;
    busy.insert(a.node);
    out.push_back(&a);
  }
  for (size_t i = 0; i < graph_.actions.size(); ++i) {
    const policy::Action& a = graph_.actions[i];
    if (a.pseudo || !Deferrable(int(i)) || !Ready(int(i))) continue;
    if (busy.count(a.node)) continue;
    state_[i] = ActionState::kInFlight;
    ++in_flight_;
    out.push_back(&a);
  }
  return out;
}

bool TransitionRunner::OnResult(int action, bool success) {
  if (action < 0 || size_t(action) >= state_.size() ||
      state_[action] != ActionState::kInFlight) {
    return false;
  }
  --in_flight_;
  state_[action] = success ? ActionState::kDone : ActionState::kFailed;
  if (!success) {
    Abort("action " + graph_.actions[action].Key() + " failed");
  }
  CompletePseudo();
  return true;
}

void TransitionRunner::Abort(std::string why) {
  if (aborted_) return;
  aborted_ = true;
  abort_reason_ = std::move(why);
}

bool TransitionRunner::finished() const {
  if (in_flight_ > 0) return false;
  if (aborted_) return true;
  for (size_t i = 0; i < state_.size(); ++i) {
    if (state_[i] == ActionState::kWaiting && Ready(int(i))) return false;
  }
  return true;
}

size_t TransitionRunner::count(ActionState s) const {
  size_t n = 0;
  for (size_t i = 0; i < state_.size(); ++i) {
    if (graph_.actions[i].pseudo) continue;
    if (state_[i] == s || (s == ActionState::kNever &&
                           state_[i] == ActionState::kWaiting && finished())) {
      ++n;
    }
  }
  return n;
}

}  // namespace paceline::crmd
