// The membership state machine (see membership.h and docs/membership.md).
#include "membership/membership.h"

#include <algorithm>
#include <stdexcept>

namespace paceline::membership {
namespace {

// Wall-clock jumps against the steady clock larger than this are a stall.
constexpr auto kWallJump = std::chrono::seconds(1);

}  // namespace

bool View::Contains(uint32_t node) const {
  return std::any_of(members.begin(), members.end(),
                     [&](const Member& m) { return m.id == node; });
}

bool IsQuorate(const ClusterConfig& config, const MemberList& members,
               bool all_seen_once) {
  if (config.quorum.wait_for_all && !all_seen_once) return false;
  uint64_t votes = 0;
  for (const Member& m : members) {
    if (const NodeConfig* n = config.FindNodeById(m.id)) votes += n->votes;
  }
  if (config.quorum.two_node && config.nodes.size() == 2) return votes >= 1;
  return 2 * votes > config.ExpectedVotes();
}

Membership::Membership(ClusterConfig config, uint32_t self_id,
                       uint64_t incarnation, SteadyTime now, WallTime wall_now)
    : config_(std::move(config)),
      self_id_(self_id),
      incarnation_(incarnation),
      tilt_until_(now + config_.failure_detection.max_timeout),
      last_event_(now),
      last_wall_(wall_now),
      deadline_(now),
      next_heartbeat_(now) {
  for (size_t i = 0; i < config_.nodes.size(); ++i) {
    const NodeConfig& n = config_.nodes[i];
    if (n.id == self_id_) {
      self_index_ = i;
      continue;
    }
    Peer p;
    p.node = &n;
    p.index = i;
    p.links.assign(
        n.addresses.size(),
        LinkDetector(config_.failure_detection, config_.heartbeat_interval));
    peers_.push_back(std::move(p));
  }
}

// A suspected peer is probed on every tick: ten probes per heartbeat
// interval, so that with 30% loss each way (a round trip gets through half
// the time) the 100 ms between suspicion and the earliest death hold ten
// chances to hear from a live peer (four left one in 15 to chance).
Millis Membership::tick_interval() const {
  return std::max(Millis(5), config_.heartbeat_interval / 10);
}

Membership::Peer* Membership::FindPeer(uint32_t id) {
  for (Peer& p : peers_) {
    if (p.node->id == id) return &p;
  }
  return nullptr;
}

const Membership::Peer* Membership::FindPeer(uint32_t id) const {
  return const_cast<Membership*>(this)->FindPeer(id);
}

size_t Membership::IndexOf(uint32_t id) const {
  if (id == self_id_) return self_index_;
  const Peer* p = FindPeer(id);
  return p ? p->index : 64;
}

// ---- events

void Membership::OnTick(SteadyTime now, WallTime wall_now) {
  CheckStall(now, wall_now);
  if (tilt_ && now >= tilt_until_) tilt_ = false;
  if (!tilt_) DetectDeaths(now);
  SendProbes(now);
  MaybeHeartbeat(now);
  Step(now);
  deadline_ = ComputeDeadline(now);
}

void Membership::OnHeartbeat(uint32_t from, size_t link, const Heartbeat& hb,
                             SteadyTime now, WallTime wall_now) {
  CheckStall(now, wall_now);
  Peer* p = FindPeer(from);
  if (p == nullptr || link >= p->links.size()) return;
  if (hb.incarnation < p->incarnation) return;  // an older life of the peer
  if (hb.incarnation > p->incarnation) {
    // A restarted peer is a new member: nothing of its old life survives.
    p->incarnation = hb.incarnation;
    p->last.reset();
  }
  bool periodic = (hb.flags & (kProbe | kProbeReply | kOffSchedule)) == 0;
  p->links[link].OnArrival(now, periodic);
  p->alive = true;
  p->last = hb;
  if (hb.flags & kProbe) Send(from, link, kProbeReply | kOffSchedule);
  Step(now);
  deadline_ = ComputeDeadline(now);
}

// A stall is a wake-up much later than the deadline we asked for (the loop
// did not run: VM pause, SIGSTOP, starvation), or the wall clock moving
// differently from the steady clock since the last event (a clock step).
void Membership::CheckStall(SteadyTime now, WallTime wall_now) {
  auto late = now - deadline_;
  auto gap = now - last_event_;
  auto wall_gap = wall_now - last_wall_;
  auto skew = wall_gap > gap ? wall_gap - gap : gap - wall_gap;
  auto half = config_.failure_detection.min_timeout / 2;
  // Idle, events come at least every heartbeat interval (our own sends).
  if (late > half || gap > config_.heartbeat_interval + half ||
      skew > kWallJump) {
    EnterTilt(now);
  }
  if (now > last_event_) last_event_ = now;
  last_wall_ = wall_now;
}

SteadyTime Membership::ComputeDeadline(SteadyTime now) const {
  SteadyTime soon = now + tick_interval();
  // An acknowledged proposal is worth fast ticks while it may still be
  // installed; an abandoned one is not.
  bool ack_pending =
      acked_ && acked_->id > highest_installed_ &&
      now - acked_at_ < 2 * config_.failure_detection.max_timeout;
  if (tilt_ || proposal_ || ack_pending) {
    return std::min(soon, next_heartbeat_);
  }
  SteadyTime next = next_heartbeat_;
  for (const Peer& p : peers_) {
    if (!p.alive) continue;
    for (const LinkDetector& l : p.links) {
      if (!l.up()) continue;
      next = std::min(next, l.Suspect(now) ? soon : l.SuspectAt());
    }
  }
  for (const auto& e : excluded_) {
    if (e.second > now) next = std::min(next, e.second);
  }
  return std::max(next, now + std::chrono::milliseconds(1));
}

void Membership::EnterTilt(SteadyTime now) {
  if (!tilt_) ++tilt_count_;
  tilt_ = true;
  tilt_until_ =
      std::max(tilt_until_, now + config_.failure_detection.max_timeout);
  // Silence measured across our own stall says nothing about the peers.
  for (Peer& p : peers_) {
    for (LinkDetector& l : p.links) l.Forgive(now);
  }
  proposal_.reset();
}

void Membership::DetectDeaths(SteadyTime now) {
  for (Peer& p : peers_) {
    if (!p.alive) continue;
    bool any_up = false;
    for (LinkDetector& l : p.links) {
      if (l.up() && l.Dead(now)) l.MarkDown();
      any_up = any_up || l.up();
    }
    if (!any_up) {
      p.alive = false;
      p.last.reset();
    }
  }
}

void Membership::SendProbes(SteadyTime now) {
  for (const Peer& p : peers_) {
    if (!p.alive) continue;
    bool all_suspect = true;
    for (const LinkDetector& l : p.links) {
      if (l.up() && !l.Suspect(now)) all_suspect = false;
    }
    if (!all_suspect) continue;
    for (size_t link = 0; link < p.links.size(); ++link) {
      Send(p.node->id, link, kProbe | kOffSchedule);
    }
  }
}

void Membership::MaybeHeartbeat(SteadyTime now) {
  if (now < next_heartbeat_) return;
  SendToAll(0);
  next_heartbeat_ = now + config_.heartbeat_interval;
}

// ---- outgoing

Heartbeat Membership::MakeHeartbeat(uint8_t flags) const {
  Heartbeat hb;
  hb.incarnation = incarnation_;
  hb.flags = flags | (tilt_ ? kTilt : 0) |
             (view_.id != 0 && view_.quorate ? kQuorate : 0);
  hb.admin_epoch = epoch_.admin_epoch;
  hb.epoch = epoch_.epoch;
  hb.alive_mask = uint64_t(1) << self_index_;
  for (const Peer& p : peers_) {
    if (p.alive) hb.alive_mask |= uint64_t(1) << p.index;
  }
  hb.view_id = view_.id;
  hb.view_coordinator = view_.coordinator;
  hb.view_dc = view_.dc;
  hb.view_mask = MaskOf(view_.members);
  if (acked_) {
    hb.ack_id = acked_->id;
    hb.ack_coordinator = acked_coordinator_;
  }
  if (proposal_) {
    hb.proposal_id = proposal_->id;
    hb.proposal_dc = proposal_->dc;
    hb.proposal_members = proposal_->members;
  }
  return hb;
}

void Membership::SendToAll(uint8_t flags) {
  Heartbeat hb = MakeHeartbeat(flags);
  for (const Peer& p : peers_) {
    for (size_t link = 0; link < p.links.size(); ++link) {
      outgoing_.push_back(Outgoing{p.node->id, link, hb});
    }
  }
}

void Membership::Send(uint32_t to, size_t link, uint8_t flags) {
  outgoing_.push_back(Outgoing{to, link, MakeHeartbeat(flags)});
}

std::vector<Outgoing> Membership::TakeOutgoing() {
  std::vector<Outgoing> out;
  out.swap(outgoing_);
  return out;
}

std::optional<View> Membership::TakeViewChange() {
  if (!view_changed_) return std::nullopt;
  view_changed_ = false;
  return view_;
}

uint64_t Membership::MaskOf(const MemberList& members) const {
  uint64_t mask = 0;
  for (const Member& m : members) {
    size_t i = IndexOf(m.id);
    if (i < 64) mask |= uint64_t(1) << i;
  }
  return mask;
}

}  // namespace paceline::membership
