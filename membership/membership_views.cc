// View agreement, DC election and the local invariants of Membership (see
// membership.h and docs/membership.md, "Views").
#include <algorithm>
#include <stdexcept>
#include <string>

#include "membership/membership.h"

namespace paceline::membership {
namespace {

bool Bit(uint64_t mask, size_t index) {
  return index < 64 && ((mask >> index) & 1);
}

}  // namespace

void Membership::Step(SteadyTime now) {
  std::erase_if(excluded_, [&](const auto& e) { return e.second <= now; });
  DropStaleView();
  if (tilt_) return;
  uint32_t coordinator = Coordinator();
  if (coordinator == self_id_) {
    Coordinate(now);
  } else {
    proposal_.reset();
    FollowCoordinator(coordinator);
  }
}

bool Membership::HearsMe(const Peer& p) const {
  return p.alive && p.last && Bit(p.last->alive_mask, self_index_);
}

// The lowest id among this node and the peers that are alive, hear this
// node, and are not tilting.
uint32_t Membership::Coordinator() const {
  uint32_t lowest = self_id_;
  for (const Peer& p : peers_) {
    if (HearsMe(p) && !(p.last->flags & kTilt)) {
      lowest = std::min(lowest, p.node->id);
    }
  }
  return lowest;
}

MemberList Membership::DesiredMembers(SteadyTime now) const {
  MemberList members;
  members.push_back(Member{self_id_, incarnation_});
  for (const Peer& p : peers_) {
    // A tilting peer stays: it acknowledges once its stall is over.
    if (!HearsMe(p)) continue;
    bool excluded = std::any_of(
        excluded_.begin(), excluded_.end(),
        [&](const auto& e) { return e.first == p.node->id && e.second > now; });
    if (!excluded) members.push_back(Member{p.node->id, p.incarnation});
  }
  std::sort(members.begin(), members.end(),
            [](const Member& a, const Member& b) { return a.id < b.id; });
  return members;
}

uint64_t Membership::NextViewId() const {
  uint64_t top = std::max(view_.id, highest_installed_);
  if (acked_) top = std::max(top, acked_->id);
  top = std::max(top, last_proposed_);
  for (const Peer& p : peers_) {
    if (!p.alive || !p.last) continue;
    top = std::max({top, p.last->view_id, p.last->ack_id, p.last->proposal_id});
  }
  return top + 1;
}

// A DC claim (a view naming the claimant as DC) is stale when a member of
// that view has since installed a newer view with another DC: the claimant
// was left behind (e.g. it was paused), its view no longer exists.
bool Membership::ClaimIsCurrent(uint32_t claimant, const Heartbeat& hb) const {
  for (const Peer& q : peers_) {
    if (q.node->id == claimant || !q.alive || !q.last) continue;
    if (Bit(hb.view_mask, q.index) && q.last->view_id > hb.view_id &&
        q.last->view_dc != claimant) {
      return false;
    }
  }
  if (Bit(hb.view_mask, self_index_) && view_.id > hb.view_id &&
      view_.dc != claimant) {
    return false;
  }
  return true;
}

// Stable: members that are DC of a current view keep it. Among several
// (merged partitions), or when there is none, the highest configuration
// epoch wins, then the lowest id.
uint32_t Membership::ChooseDc(const MemberList& members) const {
  struct Candidate {
    uint32_t id;
    ConfigEpoch epoch;
    bool claims;
    bool quorate;  // its claim comes from a quorate view
  };
  std::vector<Candidate> all;
  for (const Member& m : members) {
    if (m.id == self_id_) {
      bool claims = view_.id != 0 && view_.dc == self_id_;
      all.push_back({m.id, epoch_, claims, claims && view_.quorate});
      continue;
    }
    const Peer* p = FindPeer(m.id);
    if (p == nullptr || !p->last) continue;
    const Heartbeat& hb = *p->last;
    bool claims =
        hb.view_id != 0 && hb.view_dc == m.id && ClaimIsCurrent(m.id, hb);
    // Our own current view names its DC too (its heartbeat may lag).
    bool quorate = claims && (hb.flags & kQuorate);
    if (view_.id != 0 && view_.dc == m.id) {
      claims = true;
      quorate = quorate || view_.quorate;
    }
    all.push_back(
        {m.id, ConfigEpoch{hb.admin_epoch, hb.epoch}, claims, quorate});
  }
  // A DC that had quorum keeps it over one that had not (the majority side
  // of a healed partition keeps its DC); then epochs, then ids.
  bool any_claim = std::any_of(all.begin(), all.end(),
                               [](const Candidate& c) { return c.claims; });
  bool any_quorate = std::any_of(all.begin(), all.end(),
                                 [](const Candidate& c) { return c.quorate; });
  const Candidate* best = nullptr;
  for (const Candidate& c : all) {
    if (any_claim && !c.claims) continue;
    if (any_quorate && !c.quorate) continue;
    if (best == nullptr || c.epoch > best->epoch ||
        (c.epoch == best->epoch && c.id < best->id)) {
      best = &c;
    }
  }
  return best ? best->id : self_id_;
}

void Membership::Coordinate(SteadyTime now) {
  MemberList desired = DesiredMembers(now);
  if (view_.id != 0 && view_.members == desired) {
    proposal_.reset();
    return;
  }
  if (!proposal_ || proposal_->members != desired) {
    proposal_ = Proposal{NextViewId(), ChooseDc(desired), desired, now};
    last_proposed_ = proposal_->id;
    SendToAll(kOffSchedule);
  }
  std::vector<uint32_t> missing;
  for (const Member& m : proposal_->members) {
    if (m.id == self_id_) continue;
    const Peer* p = FindPeer(m.id);
    if (p == nullptr || !p->last || p->last->ack_id != proposal_->id ||
        p->last->ack_coordinator != self_id_) {
      missing.push_back(m.id);
    }
  }
  if (missing.empty()) {
    Proposal done = *proposal_;
    proposal_.reset();
    Install(done.id, self_id_, done.dc, done.members);
    SendToAll(kOffSchedule);
    return;
  }
  if (now - proposal_->started >= config_.failure_detection.max_timeout) {
    // They hear us but cannot agree (asymmetric links): leave them out for
    // a while rather than leave everybody without a view.
    // A tilting member is only waiting for its stall to pass — but one
    // that keeps tilting (a starved VM) must not hold everybody's view
    // hostage: after twice as long it is left out like the others.
    bool excluded_any = false;
    bool long_wait =
        now - proposal_->started >= 2 * config_.failure_detection.max_timeout;
    for (uint32_t id : missing) {
      const Peer* p = FindPeer(id);
      if (p && p->last && (p->last->flags & kTilt) && !long_wait) continue;
      excluded_.emplace_back(id,
                             now + 4 * config_.failure_detection.max_timeout);
      excluded_any = true;
    }
    if (excluded_any) proposal_.reset();
  }
  std::erase_if(excluded_, [&](const auto& e) { return e.second <= now; });
}

void Membership::FollowCoordinator(uint32_t coordinator) {
  const Peer* k = FindPeer(coordinator);
  if (k == nullptr || !k->last) return;
  const Heartbeat& hb = *k->last;
  if (acked_ && acked_coordinator_ == coordinator && hb.view_id == acked_->id &&
      hb.view_coordinator == coordinator && hb.view_dc == acked_->dc &&
      hb.view_mask == MaskOf(acked_->members) &&
      acked_->id > highest_installed_) {
    Install(acked_->id, coordinator, acked_->dc, acked_->members);
    SendToAll(kOffSchedule);
    return;
  }
  if (hb.proposal_id == 0 || hb.proposal_id <= highest_installed_) return;
  if (acked_ && acked_coordinator_ == coordinator &&
      acked_->id == hb.proposal_id) {
    return;  // already acknowledged
  }
  bool self_listed = false;
  for (const Member& m : hb.proposal_members) {
    if (m.id == self_id_) {
      if (m.incarnation != incarnation_) return;  // proposed my old life
      self_listed = true;
      continue;
    }
    const Peer* p = FindPeer(m.id);
    if (p == nullptr || !p->alive || p->incarnation != m.incarnation) return;
  }
  if (!self_listed) return;
  acked_ = Proposal{hb.proposal_id, hb.proposal_dc, hb.proposal_members, {}};
  acked_coordinator_ = coordinator;
  acked_at_ = last_event_;
  SendToAll(kOffSchedule);
}

void Membership::Install(uint64_t id, uint32_t coordinator, uint32_t dc,
                         const MemberList& members) {
  view_.id = id;
  view_.coordinator = coordinator;
  view_.dc = dc;
  view_.members = members;
  if (members.size() == config_.nodes.size()) all_seen_once_ = true;
  view_.quorate = IsQuorate(config_, members, all_seen_once_);
  highest_installed_ = std::max(highest_installed_, id);
  view_changed_ = true;
}

// A member of our view installed a newer view without us: ours is gone.
void Membership::DropStaleView() {
  if (view_.id == 0) return;
  for (const Peer& p : peers_) {
    if (!p.alive || !p.last || !view_.Contains(p.node->id)) continue;
    if (p.last->view_id > view_.id && !Bit(p.last->view_mask, self_index_)) {
      view_ = View{};
      view_changed_ = true;
      return;
    }
  }
}

std::vector<PeerState> Membership::Peers() const {
  std::vector<PeerState> out;
  for (const Peer& p : peers_) {
    PeerState s;
    s.id = p.node->id;
    s.name = p.node->name;
    s.alive = p.alive;
    s.tilt = p.last && (p.last->flags & kTilt);
    s.incarnation = p.incarnation;
    for (size_t i = 0; i < p.links.size(); ++i) {
      s.links.push_back(LinkState{p.node->addresses[i].ToString(),
                                  p.alive && p.links[i].up()});
    }
    out.push_back(std::move(s));
  }
  return out;
}

void Membership::CheckInvariants() const {
  auto fail = [&](const std::string& what) {
    throw std::logic_error("node " + std::to_string(self_id_) + ": " + what);
  };
  if (view_.id > highest_installed_)
    fail("view id above the highest installed");
  if (view_.id == 0) {
    if (!view_.members.empty() || view_.dc != 0) fail("empty view has members");
    return;
  }
  if (!view_.Contains(self_id_)) fail("view does not contain this node");
  if (!view_.Contains(view_.dc)) fail("DC is not a member");
  if (!view_.Contains(view_.coordinator)) fail("coordinator is not a member");
  for (size_t i = 1; i < view_.members.size(); ++i) {
    if (view_.members[i - 1].id >= view_.members[i].id) {
      fail("members not sorted and unique");
    }
  }
  if (view_.quorate != IsQuorate(config_, view_.members, all_seen_once_)) {
    fail("quorum does not follow from the members");
  }
}

}  // namespace paceline::membership
