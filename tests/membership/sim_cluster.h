// SimCluster: several Membership state machines on a simulated network with
// a fake clock, for deterministic tests of joins, deaths, restarts, loss,
// partitions and stalls. Time advances in 1 ms steps; every node ticks at
// the deadline its state machine asks for; datagrams take `latency` and are
// lost with the configured probability; a paused node neither ticks nor reads,
// and what was sent to it waits in its "socket" until it resumes.
//
// After every event it runs every node's CheckInvariants() and the global
// ones: all nodes that installed the view (id, coordinator) agree on its
// members and DC; a node's installed view ids strictly grow; a view's
// quorum follows from its members. A violation throws std::logic_error.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "membership/membership.h"

namespace paceline::membership {

inline ClusterConfig MakeSimConfig(int nodes, int links = 1) {
  ClusterConfig c;
  c.cluster_name = "sim";
  for (int i = 1; i <= nodes; ++i) {
    NodeConfig n;
    n.name = "node" + std::to_string(i);
    n.id = uint32_t(i);
    for (int l = 0; l < links; ++l) {
      auto ip = boost::asio::ip::make_address(
          "198.51." + std::to_string(100 + l) + "." + std::to_string(i));
      n.addresses.push_back(LinkAddress{ip, 0});
    }
    c.nodes.push_back(n);
  }
  if (nodes == 2) {
    c.quorum.two_node = true;
    c.quorum.wait_for_all = true;
  }
  return c;
}

class SimCluster {
 public:
  explicit SimCluster(ClusterConfig config, uint64_t seed = 1)
      : config_(std::move(config)), rng_(seed) {
    nodes_.resize(config_.nodes.size());
  }

  SteadyTime now() const { return now_; }
  WallTime wall() const { return wall_; }
  Membership& node(uint32_t id) { return *nodes_[id - 1].m; }
  bool running(uint32_t id) const { return nodes_[id - 1].m != nullptr; }

  void Start(uint32_t id) {
    Slot& s = nodes_[id - 1];
    s.m =
        std::make_unique<Membership>(config_, id, ++incarnations_, now_, wall_);
    s.m->SetConfigEpoch(s.epoch);
    s.paused = false;
    s.inbox.clear();
    s.highest = 0;
  }
  void StartAll() {
    for (uint32_t id = 1; id <= nodes_.size(); ++id) Start(id);
  }
  // kill -9: the process is gone; datagrams to it are lost.
  void Kill(uint32_t id) {
    nodes_[id - 1].m.reset();
    nodes_[id - 1].inbox.clear();
  }
  void Pause(uint32_t id) { nodes_[id - 1].paused = true; }
  void Resume(uint32_t id) { nodes_[id - 1].paused = false; }
  void SetEpoch(uint32_t id, ConfigEpoch e) {
    nodes_[id - 1].epoch = e;
    if (running(id)) node(id).SetConfigEpoch(e);
  }
  // Loss probability for datagrams from -> to on `link` (-1: every link).
  void SetLoss(uint32_t from, uint32_t to, double p, int link = -1) {
    for (size_t l = 0; l < kLinks; ++l) {
      if (link < 0 || size_t(link) == l) loss_[{from, to, l}] = p;
    }
  }
  void SetLossEverywhere(double p) {
    for (uint32_t a = 1; a <= nodes_.size(); ++a) {
      for (uint32_t b = 1; b <= nodes_.size(); ++b) SetLoss(a, b, p);
    }
  }
  // Cuts every link between the groups (both directions).
  void Partition(const std::vector<std::set<uint32_t>>& groups) {
    for (uint32_t a = 1; a <= nodes_.size(); ++a) {
      for (uint32_t b = 1; b <= nodes_.size(); ++b) {
        bool same = false;
        for (const auto& g : groups) same = same || (g.count(a) && g.count(b));
        SetLoss(a, b, same ? 0.0 : 1.0);
      }
    }
  }
  void Heal() { loss_.clear(); }
  void JumpWallClock(std::chrono::seconds d) { wall_ += d; }

  void Run(std::chrono::milliseconds duration) {
    SteadyTime end = now_ + duration;
    while (now_ < end) StepOneMs();
  }
  // Runs until pred() holds (checked every ms) or `limit` passes; returns
  // the time it took, or nullopt.
  template <typename Pred>
  std::optional<std::chrono::milliseconds> RunUntil(
      Pred pred, std::chrono::milliseconds limit) {
    SteadyTime start = now_;
    while (now_ - start < limit) {
      if (pred()) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(now_ -
                                                                     start);
      }
      StepOneMs();
    }
    return std::nullopt;
  }

  // True when exactly `ids` are running, unpaused, not tilting, and all in
  // one installed view whose members are exactly `ids`.
  bool Agreed(const std::set<uint32_t>& ids) const {
    const View* first = nullptr;
    for (uint32_t id : ids) {
      const Slot& s = nodes_[id - 1];
      if (!s.m || s.paused || !s.m->stable()) return false;
      const View& v = s.m->view();
      if (v.members.size() != ids.size()) return false;
      for (const Member& m : v.members) {
        if (!ids.count(m.id)) return false;
      }
      if (first && !(v == *first)) return false;
      first = &v;
    }
    return first != nullptr;
  }

  // Every view any node installed, in order, per node.
  const std::vector<View>& history(uint32_t id) const {
    return nodes_[id - 1].history;
  }
  size_t views_installed() const { return views_.size(); }

 private:
  static constexpr size_t kLinks = 2;
  struct Slot {
    std::unique_ptr<Membership> m;
    bool paused = false;
    std::deque<std::tuple<uint32_t, size_t, Heartbeat>> inbox;
    uint64_t highest = 0;
    ConfigEpoch epoch;
    std::vector<View> history;
  };
  struct InFlight {
    SteadyTime at;
    uint32_t from, to;
    size_t link;
    Heartbeat hb;
  };

  void StepOneMs() {
    now_ += std::chrono::milliseconds(1);
    wall_ += std::chrono::milliseconds(1);
    // Deliver what is due into the receivers' sockets.
    for (auto it = flight_.begin(); it != flight_.end();) {
      if (it->at <= now_) {
        Slot& s = nodes_[it->to - 1];
        if (s.m) s.inbox.emplace_back(it->from, it->link, it->hb);
        it = flight_.erase(it);
      } else {
        ++it;
      }
    }
    for (uint32_t id = 1; id <= nodes_.size(); ++id) {
      Slot& s = nodes_[id - 1];
      if (!s.m || s.paused) continue;
      // A node resuming reads its socket before its timer fires, the
      // worst case for stale data.
      while (!s.inbox.empty()) {
        auto [from, link, hb] = s.inbox.front();
        s.inbox.pop_front();
        s.m->OnHeartbeat(from, link, hb, now_, wall_);
        AfterEvent(id);
      }
      if (now_ >= s.m->deadline()) {
        s.m->OnTick(now_, wall_);
        AfterEvent(id);
      }
    }
  }

  void AfterEvent(uint32_t id) {
    Slot& s = nodes_[id - 1];
    for (Outgoing& o : s.m->TakeOutgoing()) {
      auto it = loss_.find({id, o.to, o.link});
      double p = it == loss_.end() ? 0.0 : it->second;
      if (p > 0 && std::uniform_real_distribution<>(0, 1)(rng_) < p) continue;
      flight_.push_back(
          InFlight{now_ + latency_, id, o.to, o.link, std::move(o.heartbeat)});
    }
    s.m->CheckInvariants();
    if (auto v = s.m->TakeViewChange()) {
      s.history.push_back(*v);
      if (v->id == 0) return;
      if (v->id <= s.highest) {
        throw std::logic_error("node " + std::to_string(id) +
                               ": view id did not grow");
      }
      s.highest = v->id;
      // A view is named by its id and its coordinator's life.
      uint64_t life = 0;
      for (const Member& m : v->members) {
        if (m.id == v->coordinator) life = m.incarnation;
      }
      auto key = std::make_tuple(v->id, v->coordinator, life);
      auto [at, inserted] = views_.emplace(key, *v);
      if (!inserted &&
          (at->second.members != v->members || at->second.dc != v->dc)) {
        throw std::logic_error("view " + std::to_string(v->id) +
                               " installed with different members or DC");
      }
    }
  }

  ClusterConfig config_;
  std::mt19937_64 rng_;
  SteadyTime now_{std::chrono::hours(1000)};
  WallTime wall_{std::chrono::hours(500000)};
  std::chrono::milliseconds latency_{1};
  uint64_t incarnations_ = 0;
  std::vector<Slot> nodes_;
  std::deque<InFlight> flight_;
  std::map<std::tuple<uint32_t, uint32_t, size_t>, double> loss_;
  std::map<std::tuple<uint64_t, uint32_t, uint64_t>, View> views_;
};

}  // namespace paceline::membership
