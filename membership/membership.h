// Membership: the sans-I/O state machine of one node's membership layer —
// failure detection, stall awareness (TILT), view agreement, quorum and DC
// election. It is fed events (a decoded heartbeat from a peer on a link, a
// timer tick) with the current steady time, and produces heartbeats to send
// and views to report. No sockets, no clocks, no threads: the Asio adapter
// (membership/udp_node.h) seals and sends what TakeOutgoing() returns.
//
// The protocol, in short (docs/membership.md, "Views"):
// - every node heartbeats every peer on every link; a peer is alive while
//   any of its links is (LinkDetector, phi-accrual with bounds); a
//   suspected peer is probed several times per interval before it can die;
// - the coordinator is the lowest-id node among those that are alive, not
//   tilting and hear this node back; it proposes a view (a new id above
//   every id it has seen, the members with their incarnations, and the DC);
//   a member acknowledges a proposal of its coordinator when it hears every
//   proposed member; when all members acknowledged, the coordinator
//   installs the view and announces it, and the members install it too;
// - DC: the members that are DC of a still-current view keep it (stable);
//   otherwise, and between several, the highest configuration epoch wins,
//   then the lowest id;
// - a node whose own loop stalled (steady-clock gap, or the wall clock
//   jumping against it) enters TILT: for max_timeout it keeps heartbeating
//   but declares nobody dead, proposes nothing, acknowledges nothing and
//   reports its view as not stable; a starting node begins in TILT so it
//   has heard everybody before it takes part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "membership/cluster_config.h"
#include "membership/detector.h"
#include "membership/heartbeat.h"

namespace paceline::membership {

// The part of the configuration version that elects a DC.
struct ConfigEpoch {
  uint64_t admin_epoch = 0;
  uint64_t epoch = 0;
  friend auto operator<=>(const ConfigEpoch&, const ConfigEpoch&) = default;
};

struct View {
  uint64_t id = 0;  // 0: this node is in no view
  uint32_t coordinator = 0;
  uint32_t dc = 0;
  MemberList members;  // sorted by id
  bool quorate = false;
  bool Contains(uint32_t id) const;
  bool operator==(const View&) const = default;
};

// One heartbeat to seal and send to `to` on its link `link`.
struct Outgoing {
  uint32_t to = 0;
  size_t link = 0;
  Heartbeat heartbeat;
};

struct LinkState {
  std::string address;
  bool up = false;
};
struct PeerState {
  uint32_t id = 0;
  std::string name;
  bool alive = false;
  bool tilt = false;
  uint64_t incarnation = 0;  // 0: never heard
  std::vector<LinkState> links;
};

// Quorum of a set of members, Corosync votequorum's rules: more than half
// of the expected votes; two_node: one vote of two suffices; wait_for_all:
// never quorate until all nodes have been members of one view at least
// once since this node started.
bool IsQuorate(const ClusterConfig& config, const MemberList& members,
               bool all_seen_once);

class Membership {
 public:
  Membership(ClusterConfig config, uint32_t self_id, uint64_t incarnation,
             SteadyTime now, WallTime wall_now);

  // The configuration epoch this node holds (elects the DC).
  void SetConfigEpoch(ConfigEpoch epoch) { epoch_ = epoch; }

  // Events. The adapter calls OnTick() at deadline() (or earlier).
  void OnHeartbeat(uint32_t from, size_t link, const Heartbeat& hb,
                   SteadyTime now, WallTime wall_now);
  void OnTick(SteadyTime now, WallTime wall_now);
  // Notices a stall without any other event: called before the daemon acts
  // on the view (a request arriving right after SIGCONT must see TILT).
  void Poll(SteadyTime now, WallTime wall_now) { CheckStall(now, wall_now); }

  // Effects.
  std::vector<Outgoing> TakeOutgoing();
  // The installed view, if it changed since the last call.
  std::optional<View> TakeViewChange();

  // Queries.
  const View& view() const { return view_; }
  // In a view, not tilting: the controller may act on the view.
  bool stable() const { return view_.id != 0 && !tilt_; }
  bool tilt() const { return tilt_; }
  uint64_t tilt_count() const { return tilt_count_; }
  uint32_t self_id() const { return self_id_; }
  uint64_t incarnation() const { return incarnation_; }
  // While probing, proposing or tilting: how often it needs a tick.
  Millis tick_interval() const;
  // When the adapter must call OnTick() next. Idle, that is the next
  // heartbeat; while a peer is suspected, a proposal is pending or during
  // TILT, every tick_interval(). Recomputed after every event. A wake-up
  // much later than this (min_timeout / 2) is how a stall is noticed.
  SteadyTime deadline() const { return deadline_; }
  std::vector<PeerState> Peers() const;
  const ClusterConfig& config() const { return config_; }

  // Local invariants (aborts via a thrown std::logic_error naming the
  // broken one): a view contains this node, its coordinator and its DC,
  // members are sorted and unique, quorate matches IsQuorate(), installed
  // view ids only grow.
  void CheckInvariants() const;

 private:
  struct Peer {
    const NodeConfig* node = nullptr;
    size_t index = 0;  // position in config_.nodes (alive/view masks)
    std::vector<LinkDetector> links;
    bool alive = false;
    uint64_t incarnation = 0;
    std::optional<Heartbeat> last;  // latest from this incarnation
  };
  struct Proposal {
    uint64_t id = 0;
    uint32_t dc = 0;
    MemberList members;
    SteadyTime started{};
  };

  Peer* FindPeer(uint32_t id);
  const Peer* FindPeer(uint32_t id) const;
  size_t IndexOf(uint32_t id) const;

  void CheckStall(SteadyTime now, WallTime wall_now);
  SteadyTime ComputeDeadline(SteadyTime now) const;
  void EnterTilt(SteadyTime now);
  void DetectDeaths(SteadyTime now);
  void SendProbes(SteadyTime now);
  void MaybeHeartbeat(SteadyTime now);
  void Step(SteadyTime now);

  // View agreement.
  bool HearsMe(const Peer& p) const;
  uint32_t Coordinator() const;
  MemberList DesiredMembers(SteadyTime now) const;
  uint64_t NextViewId() const;
  uint32_t ChooseDc(const MemberList& members) const;
  bool ClaimIsCurrent(uint32_t claimant, const Heartbeat& hb) const;
  void Coordinate(SteadyTime now);
  void FollowCoordinator(uint32_t coordinator);
  void Install(uint64_t id, uint32_t coordinator, uint32_t dc,
               const MemberList& members);
  void DropStaleView();
  bool AllHeard(const MemberList& members) const;
  uint64_t MaskOf(const MemberList& members) const;

  Heartbeat MakeHeartbeat(uint8_t flags) const;
  void SendToAll(uint8_t flags);
  void Send(uint32_t to, size_t link, uint8_t flags);

  ClusterConfig config_;
  uint32_t self_id_;
  size_t self_index_ = 0;
  uint64_t incarnation_;
  ConfigEpoch epoch_;
  std::vector<Peer> peers_;  // every configured node but this one

  bool tilt_ = true;  // a starting node observes first
  SteadyTime tilt_until_;
  uint64_t tilt_count_ = 0;
  SteadyTime last_event_;
  WallTime last_wall_;
  SteadyTime deadline_;
  SteadyTime next_heartbeat_;

  View view_;
  bool view_changed_ = false;
  bool all_seen_once_ = false;
  uint64_t highest_installed_ = 0;
  uint64_t last_proposed_ = 0;        // proposal ids are never reused
  std::optional<Proposal> proposal_;  // ours, as coordinator
  std::optional<Proposal> acked_;     // the proposal we acknowledged
  uint32_t acked_coordinator_ = 0;
  SteadyTime acked_at_{};
  std::vector<std::pair<uint32_t, SteadyTime>> excluded_;  // until when

  std::vector<Outgoing> outgoing_;
};

}  // namespace paceline::membership
