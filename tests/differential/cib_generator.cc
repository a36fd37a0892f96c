// Draws a Scenario from a seed (see cib_generator.h for what it covers).
#include "tests/differential/cib_generator.h"

#include <algorithm>
#include <random>
#include <set>

#include "tests/differential/scenario.h"

namespace paceline::differential {

namespace {

class Drawer {
 public:
  explicit Drawer(std::uint64_t seed, const GeneratorOptions& o)
      : rng_(seed * 0x9E3779B97F4A7C15ull + 0x5EED), o_(o) {}

  Scenario Make() {
    DrawCluster();
    DrawResources();
    DrawRanks();
    DrawLocations();
    DrawColocations();
    DrawOrders();
    DrawStatus();
    return std::move(s_);
  }

 private:
  // ---- Randomness that is the same under every standard library.
  int Below(int n) { return n <= 1 ? 0 : int(rng_() % std::uint64_t(n)); }
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[size_t(Below(int(v.size())))];
  }
  const char* Pick(std::initializer_list<const char*> v) {
    return v.begin()[Below(int(v.size()))];
  }

  std::string AnyNode() { return s_.nodes[size_t(Below(int(n_)))].name; }

  void DrawCluster() {
    n_ = size_t(Between(o_.min_nodes, o_.max_nodes));
    for (size_t i = 0; i < n_; ++i) {
      NodeSpec n{.name = "node" + std::to_string(i + 1), .id = int(i + 1)};
      int r = Below(100);
      n.kind = r < 72   ? NodeKind::kOnline
               : r < 84 ? NodeKind::kStandby
               : r < 93 ? NodeKind::kOffline
                        : NodeKind::kLost;
      s_.nodes.push_back(std::move(n));
    }
    s_.properties["stonith-enabled"] = "false";
    if (Chance(60)) {
      s_.properties["no-quorum-policy"] =
          Pick({"stop", "freeze", "ignore", "demote"});
    }
    s_.have_quorum = !Chance(15);
    if (Chance(70)) {
      s_.rsc_defaults["resource-stickiness"] =
          Pick({"0", "1", "50", "100", "1000", "INFINITY"});
    }
    if (Chance(40)) {
      s_.rsc_defaults["migration-threshold"] = Pick({"1", "2", "3", "5"});
    }
    if (Chance(30)) s_.op_defaults["timeout"] = "20s";
  }

  Primitive NewPrimitive(const std::string& id, bool stateful) {
    Primitive p{.id = id, .stateful = stateful};
    if (!stateful && Chance(60)) {
      p.params["fake"] = "v" + std::to_string(Below(1000));
    }
    if (Chance(40)) {
      p.params["state"] = "/run/paceline-differential/" + id + ".state";
    }
    return p;
  }

  // Meta attributes that change placement, on a primitive or a collective.
  void DrawMeta(Attrs& meta) {
    if (Chance(25)) {
      meta["resource-stickiness"] = Pick({"0", "10", "100", "200", "INFINITY"});
    }
    if (Chance(12)) meta["migration-threshold"] = Pick({"1", "2", "3"});
    if (Chance(4)) meta["target-role"] = "Stopped";
  }

  void DrawResources() {
    int budget = Between(3, o_.max_primitives);
    int id = 0;
    while (budget > 0) {
      TopResource r;
      int roll = Below(100);
      std::string n = std::to_string(++id);
      if (roll < 45 || budget < 2) {
        r.id = "rsc" + n;
        r.kind = TopKind::kPrimitive;
        r.primitives.push_back(NewPrimitive(r.id, false));
        DrawMeta(r.primitives.back().meta);
      } else if (roll < 65) {
        r.id = "grp" + n;
        r.kind = TopKind::kGroup;
        int size = std::min(budget, Between(2, 4));
        for (int m = 0; m < size; ++m) {
          r.primitives.push_back(
              NewPrimitive(r.id + "_m" + std::to_string(m + 1), false));
        }
        DrawMeta(r.meta);
      } else if (roll < 80) {
        r.id = "cl" + n;
        r.kind = TopKind::kClone;
        r.primitives.push_back(NewPrimitive(r.id + "_c", false));
        if (Chance(30)) r.meta["clone-max"] = std::to_string(Between(1, 3));
        if (Chance(15)) r.meta["notify"] = "true";
        DrawMeta(r.meta);
      } else {
        r.id = "ms" + n;
        r.kind = TopKind::kPromotable;
        r.primitives.push_back(NewPrimitive(r.id + "_s", true));
        r.meta["promotable"] = "true";
        if (Chance(50)) r.meta["clone-max"] = std::to_string(Between(1, 3));
        if (Chance(15)) r.meta["promoted-max"] = "2";
        if (Chance(30)) r.meta["notify"] = "true";
        DrawMeta(r.meta);
      }
      budget -= int(r.primitives.size());
      s_.resources.push_back(std::move(r));
    }
  }

  // One random ranking of the top-level resources: colocations point from a
  // higher rank (dependent) to a lower one (primary), orders from lower
  // (first) to higher (then), so neither graph has a cycle.
  void DrawRanks() {
    for (size_t i = 0; i < s_.resources.size(); ++i) rank_.push_back(i);
    for (size_t i = rank_.size(); i > 1; --i) {
      std::swap(rank_[i - 1], rank_[size_t(Below(int(i)))]);
    }
  }

  // Two distinct top-level resources, the first ranked lower.
  bool RankedPair(const TopResource** lo, const TopResource** hi) {
    if (rank_.size() < 2) return false;
    int a = Below(int(rank_.size())), b = Below(int(rank_.size()));
    if (a == b) return false;
    if (a > b) std::swap(a, b);
    *lo = &s_.resources[rank_[size_t(a)]];
    *hi = &s_.resources[rank_[size_t(b)]];
    return true;
  }

  std::string Id(const char* prefix) {
    return std::string(prefix) + std::to_string(++ids_);
  }

  void DrawLocations() {
    int count = Below(int(s_.resources.size()) + 2);
    for (int i = 0; i < count; ++i) {
      const TopResource& r = Pick(s_.resources);
      LocationSpec l{.id = Id("loc"), .rsc = r.id, .node = AnyNode()};
      l.score =
          Pick({"-INFINITY", "-100", "50", "100", "200", "500", "INFINITY"});
      if (r.kind == TopKind::kPromotable && Chance(40)) {
        l.role = "Promoted";
        l.score = Pick({"10", "50", "100", "INFINITY", "-INFINITY"});
      }
      s_.locations.push_back(std::move(l));
    }
    if (Chance(25)) {  // crm resource move / ban, as crmsh writes them
      const TopResource& r = Pick(s_.resources);
      std::string node = AnyNode();
      bool ban = Chance(40);
      LocationSpec l{.id = (ban ? "cli-ban-" : "cli-prefer-") + r.id +
                           (ban ? "-on-" + node : ""),
                     .rsc = r.id,
                     .role = "Started",
                     .score = ban ? "-INFINITY" : "INFINITY",
                     .node = node};
      if (Chance(40)) {
        l.lifetime_end =
            Chance(50) ? "2001-01-01 00:00:00Z" : "2099-01-01 00:00:00Z";
      }
      s_.locations.push_back(std::move(l));
    }
  }

  std::string RoleFor(const TopResource& r) {
    if (r.kind != TopKind::kPromotable || Chance(40)) return "";
    return Chance(80) ? "Promoted" : "Unpromoted";
  }

  void DrawColocations() {
    int count = Below(int(s_.resources.size()) + 1);
    for (int i = 0; i < count; ++i) {
      const TopResource *primary = nullptr, *dependent = nullptr;
      if (!RankedPair(&primary, &dependent)) continue;
      if (dependent->kind == TopKind::kClone ||
          dependent->kind == TopKind::kPromotable) {
        if (!Chance(25)) continue;  // a clone following one resource is rare
      }
      if (!colocated_.insert({dependent->id, primary->id}).second) continue;
      ColocationSpec c{
          .id = Id("col"), .rsc = dependent->id, .with_rsc = primary->id};
      int roll = Below(100);
      c.score = roll < 45   ? "INFINITY"
                : roll < 65 ? "-INFINITY"
                            : std::to_string(Chance(70) ? Between(1, 1000)
                                                        : -Between(1, 1000));
      c.rsc_role = RoleFor(*dependent);
      c.with_rsc_role = RoleFor(*primary);
      s_.colocations.push_back(std::move(c));
    }
  }

  void DrawOrders() {
    int count = Below(int(s_.resources.size()) + 1);
    for (int i = 0; i < count; ++i) {
      const TopResource *first = nullptr, *then = nullptr;
      if (!RankedPair(&first, &then)) continue;
      if (!ordered_.insert({first->id, then->id}).second) continue;
      OrderSpec o{.id = Id("ord"),
                  .kind = Chance(70) ? "Mandatory" : "Optional",
                  .first = first->id,
                  .first_action = "start",
                  .then = then->id,
                  .then_action = "start"};
      if (first->kind == TopKind::kPromotable && Chance(70)) {
        o.first_action = "promote";
      }
      if (then->kind == TopKind::kPromotable && Chance(30)) {
        o.then_action = "promote";
      }
      s_.orders.push_back(std::move(o));
    }
  }

  // ---- Status.

  bool Up(const NodeSpec& n) {
    return n.kind == NodeKind::kOnline || n.kind == NodeKind::kStandby;
  }

  // Nodes whose history the schedulers read: the members, and lost nodes
  // (they left without stopping anything).
  std::vector<size_t> HistoryNodes() {
    std::vector<size_t> out;
    for (size_t i = 0; i < n_; ++i) {
      if (s_.nodes[i].kind != NodeKind::kOffline) out.push_back(i);
    }
    return out;
  }

  long long When() { return kNowEpoch - Between(60, 86400); }

  void Failure(NodeSpec& n, const History& h, const std::string& op,
               const std::string& count) {
    std::string key = h.primitive->id + "#" + op;
    n.transient["fail-count-" + key] = count;
    n.transient["last-failure-" + key] = std::to_string(h.when);
  }

  // One node's history entry for an active primitive.
  History Active(const Primitive& p, bool promoted) {
    History h{.primitive = &p, .when = When()};
    h.state = promoted ? RscState::kPromoted : RscState::kStarted;
    if (Chance(12)) {
      h.state = RscState::kFailedMonitor;
      h.was_promoted = promoted;
      h.monitor_rc = Chance(60) ? 7 : 1;
      h.fail_count = Between(1, 3);
    } else if (Chance(8)) {
      h.past_failure = true;
      h.fail_count = Between(1, 3);
    }
    return h;
  }

  void Record(size_t node, History h) {
    NodeSpec& n = s_.nodes[node];
    if (h.fail_count > 0) {
      MonitorSpec m = MonitorFor(
          *h.primitive, h.was_promoted || h.state == RscState::kPromoted);
      Failure(n, h, "monitor_" + std::to_string(m.interval_ms),
              std::to_string(h.fail_count));
    }
    if (h.state == RscState::kFailedStart) Failure(n, h, "start_0", "INFINITY");
    n.history.push_back(h);
  }

  // Fills every history node not yet recorded for p: probed stopped, a
  // failed start now and then, or nothing (not probed yet).
  void RecordInactive(const Primitive& p, std::vector<bool>& done) {
    for (size_t i : HistoryNodes()) {
      if (done[i]) continue;
      if (!Up(s_.nodes[i])) continue;  // lost nodes: only what was running
      History h{.primitive = &p, .when = When()};
      int roll = Below(100);
      h.state = roll < 3    ? RscState::kFailedStart
                : roll < 20 ? RscState::kUnknown
                            : RscState::kStopped;
      Record(i, h);
    }
  }

  void StatusOfSingle(const TopResource& r) {
    std::vector<size_t> hosts = HistoryNodes();
    if (hosts.empty()) return;
    size_t home = Pick(hosts);
    // How many members run (a group starts its members in order).
    size_t running = Chance(55) ? r.primitives.size() : 0;
    if (running > 0 && r.kind == TopKind::kGroup && Chance(25)) {
      running = size_t(Below(int(running)));
    }
    for (size_t m = 0; m < r.primitives.size(); ++m) {
      const Primitive& p = r.primitives[m];
      std::vector<bool> done(n_, false);
      if (m < running) {
        Record(home, Active(p, false));
        done[home] = true;
        if (Chance(4)) {  // active on two nodes at once
          size_t other = Pick(hosts);
          if (!done[other]) {
            Record(other, Active(p, false));
            done[other] = true;
          }
        }
      }
      RecordInactive(p, done);
    }
  }

  void StatusOfClone(const TopResource& r) {
    const Primitive& p = r.primitives.front();
    int max = int(n_);
    if (auto it = r.meta.find("clone-max"); it != r.meta.end()) {
      max = std::stoi(it->second);
    }
    int promoted_max = r.meta.count("promoted-max") ? 2 : 1;
    std::vector<bool> done(n_, false);
    int active = 0, promoted = 0;
    for (size_t i : HistoryNodes()) {
      if (active >= max || !Chance(55)) continue;
      bool promote = p.stateful && promoted < promoted_max && Chance(40);
      Record(i, Active(p, promote));
      done[i] = true;
      ++active;
      promoted += promote;
    }
    RecordInactive(p, done);
    if (!p.stateful) return;
    for (size_t i = 0; i < n_; ++i) {  // what the agent left behind
      if (!Up(s_.nodes[i])) continue;
      if (Chance(done[i] ? 85 : 10)) {
        s_.nodes[i].transient["master-" + p.id] = Pick({"5", "10", "100"});
      }
    }
  }

  void DrawStatus() {
    for (const TopResource& r : s_.resources) {
      if (r.kind == TopKind::kClone || r.kind == TopKind::kPromotable) {
        StatusOfClone(r);
      } else {
        StatusOfSingle(r);
      }
    }
  }

  std::mt19937_64 rng_;
  GeneratorOptions o_;
  Scenario s_;
  size_t n_ = 0;
  int ids_ = 0;
  std::vector<size_t> rank_;
  std::set<std::pair<std::string, std::string>> colocated_, ordered_;
};

}  // namespace

std::string GenerateCib(std::uint64_t seed, const GeneratorOptions& options) {
  Scenario s = Drawer(seed, options).Make();
  return WriteScenarioXml(s);
}

}  // namespace paceline::differential
