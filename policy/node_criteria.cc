// Stage 2, node criteria: every resource's score on every node before
// assignment. Terms, each recorded with its source for `explain`:
//   - symmetric-cluster=false: nodes without a location are not allowed
//   - location constraints (role-less or Started; Promoted ones feed the
//     promotion stage), lifetimes from `crm resource migrate` expire
//   - node availability (offline, unclean, standby, maintenance)
//   - stickiness on the node a primitive is active on
//   - migration-threshold reached (the ban lands on the failed primitive,
//     as in Pacemaker; a group follows its member through the chain)
//   - target-role=Stopped, lost quorum
// A resource's total is its own terms plus its ancestors'.
#include <algorithm>

#include "common/strings.h"
#include "policy/working_set.h"

namespace paceline::policy::internal {

namespace {

struct TermRec {
  int node;
  Score score;
  std::string source;
  bool location = false;
  std::string via;  // the ancestor it was inherited from
  // target-role=Stopped: left out of `allowed`, which assignment starts
  // from (the ban applies when the resource itself is assigned).
  bool target_role = false;
};

// The terms behind each resource's scores, for `explain` and `--scores`:
// exactly what the totals below add up, inherited ones marked "via".
class Recorder {
 public:
  Recorder(WorkingSet& ws)
      : ws_(ws),
        on_(ws.options->record_scores),
        all_(ws.resources.size()),
        plain_(ws.resources.size()) {}

  void Begin(const Rsc& r, bool from_plain) {
    if (!on_) return;
    auto& mine = all_[size_t(r.index)];
    if (r.parent) {
      const auto& from = from_plain ? plain_[size_t(r.parent->index)]
                                    : all_[size_t(r.parent->index)];
      for (TermRec t : from) {
        if (t.via.empty()) t.via = r.parent->id;
        mine.push_back(std::move(t));
      }
    }
  }
  void Add(const Rsc& r, const TermRec& t) {
    if (on_) all_[size_t(r.index)].push_back(t);
  }
  // Snapshot of what non-first group members inherit: without the group's
  // own locations.
  void Seal(const Rsc& r) {
    if (!on_) return;
    auto& plain = plain_[size_t(r.index)];
    for (const TermRec& t : all_[size_t(r.index)]) {
      bool own_location = t.via.empty() && t.location;
      if (!own_location) plain.push_back(t);
    }
    for (const TermRec& t : all_[size_t(r.index)]) {
      ws_.Term(r, t.node, t.score,
               t.via.empty() ? t.source : t.source + " (via " + t.via + ")");
    }
  }

 private:
  WorkingSet& ws_;
  bool on_;
  std::vector<std::vector<TermRec>> all_;
  std::vector<std::vector<TermRec>> plain_;
};

using Terms = std::unordered_map<const Rsc*, std::vector<TermRec>>;

void AddLocations(WorkingSet& ws, Terms& terms,
                  std::vector<std::vector<bool>>& located) {
  for (const auto& k : ws.snapshot->config.constraints) {
    const auto* l = std::get_if<cib::Location>(&k);
    if (!l) continue;
    if (l->role == Role::kPromoted) continue;  // promotion stage
    if (l->expires && *l->expires <= ws.now) {
      ws.Note("location " + l->id + " expired at " +
              cib::FormatTimestamp(*l->expires) + " and is ignored");
      continue;
    }
    Rsc* r = ws.Resolve(l->rsc);
    int node = ws.NodeIndex(l->node);
    if (!r || node < 0) continue;
    terms[r].push_back({node, l->score, "location " + l->id, true});
    located[size_t(r->index)][size_t(node)] = true;
  }
}

std::string Unavailability(const NodeInfo& n) {
  if (n.unclean) return "node " + n.name + " is unclean";
  if (!n.online) return "node " + n.name + " is offline";
  if (n.standby) return "node " + n.name + " is in standby";
  if (n.shutdown) return "node " + n.name + " is shutting down";
  if (n.maintenance) return "node " + n.name + " is in maintenance";
  return "";
}

Score FailCount(const WorkingSet& ws, const Rsc& p, const NodeInfo& n,
                bool* expired) {
  *expired = false;
  const cib::ResourceState* st = n.states.Find(
      p.instance >= 0 && p.CloneAncestor() && p.CloneAncestor()->globally_unique
          ? std::string_view(p.id)
          : std::string_view(p.primitive_id));
  if (!st) return Score();
  const cib::ResourceState& s = *st;
  if (p.failure_timeout && s.last_failure &&
      *s.last_failure + *p.failure_timeout <= ws.now) {
    *expired = s.fail_count.value() != 0;
    return Score();
  }
  return s.fail_count;
}

void AddPrimitiveTerms(WorkingSet& ws, Rsc& p, Terms& terms) {
  // The texts only matter to the explanation (--scores, explain).
  bool texts = ws.Recording();
  if (p.active_on.size() == 1 && p.stickiness.value() != 0) {
    terms[&p].push_back({p.active_on[0], p.stickiness,
                         texts ? "stickiness (resource-stickiness=" +
                                     p.stickiness.ToString() + ")"
                               : std::string()});
  }
  // As Pacemaker, the ban lands on the failed primitive itself (a group
  // member: its group follows it through the members' colocation chain, or
  // keeps the members before it where the group cannot move); an anonymous
  // clone's instance bans the whole clone from the node, which its
  // dependents' preferences then carry (seed 1).
  Rsc* banned = &p;
  const Rsc* clone = p.CloneAncestor();
  if (clone && !clone->globally_unique) {
    while (banned->parent) banned = banned->parent;
  }
  for (size_t i = 0; i < ws.nodes.size(); ++i) {
    bool expired = false;
    Score count = FailCount(ws, p, ws.nodes[i], &expired);
    if (expired) {
      ws.Note("failures of " + p.primitive_id + " on " + ws.nodes[i].name +
              " expired (failure-timeout)");
    }
    if (count.value() > 0 && count >= p.migration_threshold) {
      std::string why = texts ? p.primitive_id + " failed " + count.ToString() +
                                    " times, migration-threshold=" +
                                    p.migration_threshold.ToString()
                              : std::string();
      // Once per node (every instance of an anonymous clone sees the same
      // count); without texts, any ban there already does.
      std::vector<TermRec>& list = terms[banned];
      bool known = std::any_of(list.begin(), list.end(), [&](const TermRec& t) {
        return t.node == int(i) && t.score.IsMinusInfinity() && t.source == why;
      });
      if (!known) list.push_back({int(i), Score::MinusInfinity(), why});
    }
  }
}

void AddResourceTerms(WorkingSet& ws, Rsc& r, Terms& terms) {
  bool no_quorum = !ws.snapshot->quorate && ws.no_quorum_policy != "ignore";
  for (size_t i = 0; i < ws.nodes.size(); ++i) {
    if (r.target_role == Role::kStopped &&
        (!r.parent || r.parent->target_role != Role::kStopped)) {
      terms[&r].push_back({int(i), Score::MinusInfinity(),
                           "target-role=Stopped", false, "", true});
    }
    if (no_quorum && !r.parent) {
      // freeze, stop, demote: no score; as Pacemaker, resources are placed
      // (they count for ties) and then kept from starting, or stopped, after
      // assignment (Blocker). Other policies ban every node.
      bool spared = ws.no_quorum_policy == "freeze" ||
                    ws.no_quorum_policy == "stop" ||
                    ws.no_quorum_policy == "demote";
      if (!spared) {
        terms[&r].push_back(
            {int(i), Score::MinusInfinity(),
             "no quorum (no-quorum-policy=" + ws.no_quorum_policy + ")"});
      }
    }
  }
  if (r.orphan) {
    for (size_t i = 0; i < ws.nodes.size(); ++i) {
      terms[&r].push_back(
          {int(i), Score::MinusInfinity(), "instance beyond clone-max"});
    }
  }
  if (r.IsPrimitive()) AddPrimitiveTerms(ws, r, terms);
}

}  // namespace

void ApplyNodeCriteria(WorkingSet& ws) {
  Terms terms;
  std::vector<std::vector<bool>> located(
      ws.resources.size(), std::vector<bool>(ws.nodes.size(), false));
  AddLocations(ws, terms, located);
  for (auto& r : ws.resources) {
    AddResourceTerms(ws, r, terms);
  }
  // Totals: parents are built before their children, so one pass in
  // creation order sees every ancestor's total first. A group's locations
  // count once, through its first member (Pacemaker resets them to 0 for
  // the others, which still follow through the group's colocation chain).
  std::vector<std::vector<Score>> without_locations(ws.resources.size());
  // The same totals without target-role=Stopped: what others see of a
  // resource before its own assignment (Pacemaker bans a stopped resource
  // only when it is assigned); assignment starts from these.
  std::vector<std::vector<Score>> free_plain(ws.resources.size());
  std::unordered_map<const Rsc*, std::vector<bool>> allowed;
  Recorder record(ws);
  for (size_t k = 0; k < ws.resources.size(); ++k) {
    Rsc& r = ws.resources[k];
    std::vector<bool> ok = r.parent ? allowed[r.parent] : located[k];
    if (r.parent) {
      for (size_t i = 0; i < ok.size(); ++i) ok[i] = ok[i] || located[k][i];
    }
    allowed[&r] = ok;
    const std::vector<Score>* base = nullptr;
    const std::vector<Score>* free_base = nullptr;
    bool plain_base = false;
    if (r.parent) {
      bool first =
          r.parent->children.empty() || r.parent->children.front() == &r;
      size_t p = size_t(r.parent->index);
      plain_base = r.parent->IsGroup() && !first;
      base = plain_base ? &without_locations[p] : &r.parent->scores;
      free_base = plain_base ? &free_plain[p] : &r.parent->allowed;
    }
    record.Begin(r, plain_base);
    r.allowed.assign(ws.nodes.size(), Score());
    for (size_t i = 0; i < ws.nodes.size(); ++i) {
      r.scores[i] = base ? (*base)[i] : Score();
      r.allowed[i] = free_base ? (*free_base)[i] : Score();
      std::string why = Unavailability(ws.nodes[i]);
      if (!r.parent && !why.empty()) {
        r.scores[i] += Score::MinusInfinity();
        r.allowed[i] += Score::MinusInfinity();
        record.Add(r, {int(i), Score::MinusInfinity(), why});
      }
    }
    std::vector<Score>& plain = without_locations[k];
    plain = r.scores;
    std::vector<Score>& fplain = free_plain[k];
    fplain = r.allowed;
    auto it = terms.find(&r);
    if (it != terms.end()) {
      for (const auto& t : it->second) {
        size_t n = size_t(t.node);
        r.scores[n] += t.score;
        r.own_scores[n] += t.score;
        bool role = t.target_role;
        if (!role) r.allowed[n] += t.score;
        // Bans too (pcmk__group_apply_location resets every score of the
        // later members, -INFINITY included): they follow the first member
        // through the group's colocation chain, but their own scores -- a
        // sticky one's INFINITY where the group is banned -- still reach
        // what merges them (seed 592).
        if (!t.location) {
          plain[n] += t.score;
          if (!role) fplain[n] += t.score;
        }
        record.Add(r, t);
      }
    }
    if (!ws.symmetric) {
      for (size_t i = 0; i < ws.nodes.size(); ++i) {
        if (ok[i]) continue;
        r.scores[i] = Score::MinusInfinity();
        r.allowed[i] = Score::MinusInfinity();
        plain[i] = Score::MinusInfinity();
        fplain[i] = Score::MinusInfinity();
        if (!r.parent) {
          record.Add(r, {int(i), Score::MinusInfinity(),
                         "symmetric-cluster=false and no location allows it"});
        }
      }
    }
    record.Seal(r);
  }
}

}  // namespace paceline::policy::internal
