// Notifications for clones with notify=true (drbd needs them): around each
// phase that has actions this transition (demote, stop, start, promote),
//
//   pre  -> notify every instance active before -> confirmed-pre
//        -> the phase's begin milestone ... its done milestone
//   post -> notify every instance active after  -> confirmed-post
//
// and the phases chained: demote's confirmed-post before stop's pre, stop's
// before start's, start's before promote's.
#include "common/strings.h"
#include "policy/action_builder.h"

namespace paceline::policy::internal {

namespace {

bool Truthy(const std::string* v) {
  bool b = false;
  return v && ParseBool(*v, &b) && b;
}

bool WantsNotify(const Rsc& clone) {
  for (const Rsc* r = &clone; r; r = r->parent) {
    if (r->config && r->config->meta.Get("notify")) {
      return Truthy(r->config->meta.Get("notify"));
    }
  }
  return false;
}

struct Phase {
  Task begin;
  Task done;
  const char* operation;
};

}  // namespace

void CreateNotifications(WorkingSet& ws, ActionBuilder& b, const Rsc& clone) {
  if (!WantsNotify(clone)) return;
  const std::vector<Rsc*>& prims = clone.primitives;
  const Phase kPhases[] = {{Task::kDemote, Task::kDemoted, "demote"},
                           {Task::kStop, Task::kStopped, "stop"},
                           {Task::kStart, Task::kRunning, "start"},
                           {Task::kPromote, Task::kPromoted, "promote"}};
  int previous = -1;  // the confirmed-post of the phase before
  for (const Phase& phase : kPhases) {
    if (!b.HasPseudo(clone, phase.begin)) continue;
    int pre = b.Notify(clone, -1, "pre", phase.operation);
    int pre_done = b.Notify(clone, -1, "confirmed-pre", phase.operation);
    int post = b.Notify(clone, -1, "post", phase.operation);
    int post_done = b.Notify(clone, -1, "confirmed-post", phase.operation);
    b.Order(pre, pre_done, true);
    b.Order(pre_done, b.Pseudo(clone, phase.begin), true);
    b.Order(b.Pseudo(clone, phase.done), post, true);
    b.Order(post, post_done, true);
    if (previous >= 0) b.Order(previous, pre, true);
    for (const Rsc* p : prims) {
      if (!p->managed || p->blocked) continue;
      for (int node : p->active_on) {  // active before: pre
        int n = b.Notify(*p, node, "pre", phase.operation);
        b.Order(pre, n, false);
        b.Order(n, pre_done, false);
      }
      if (p->assigned >= 0) {  // active after: post
        int n = b.Notify(*p, p->assigned, "post", phase.operation);
        b.Order(post, n, false);
        b.Order(n, post_done, false);
      }
    }
    previous = post_done;
  }
}

}  // namespace paceline::policy::internal
