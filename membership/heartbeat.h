// The heartbeat payload (inside a sealed datagram of type kHeartbeat): what
// a peer needs to follow this node's view of the cluster and to take part
// in view agreement (see docs/membership.md, "Views").
//
//   offset size field (big-endian)
//     0     8  incarnation of the sender
//     8     1  flags (kProbe, kProbeReply, kTilt, kOffSchedule, kQuorate)
//     9     8  configuration admin_epoch
//    17     8  configuration epoch
//    25     8  alive mask: bit i = the sender hears the i-th configured node
//    33     8  installed view id (0: none)
//    41     4  installed view's coordinator id
//    45     4  installed view's DC id (0: none)
//    49     8  installed view's members: bit i = the i-th configured node
//    57     8  acknowledged proposal id (0: none)
//    65     4  acknowledged proposal's coordinator
//    69     8  proposal id (0: none; only a coordinator proposes)
//    77     4  proposal's DC id
//    81     2  number of proposal members, n <= kMaxNodes
//    83  12*n  proposal members: node id (4), incarnation (8)
//
// DecodeHeartbeat() checks n against kMaxNodes and the exact length before
// reading an entry, and decodes into fixed-capacity storage: no allocation
// at all. Pure functions.
#pragma once

#include <boost/container/static_vector.hpp>
#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "membership/cluster_config.h"

namespace paceline::membership {

inline constexpr size_t kHeartbeatFixedSize = 83;
inline constexpr size_t kMemberEntrySize = 12;

enum HeartbeatFlag : uint8_t {
  kProbe = 1,        // please answer at once (the sender suspects you)
  kProbeReply = 2,   // the answer to a probe
  kTilt = 4,         // the sender's own loop stalled: it observes, not acts
  kOffSchedule = 8,  // sent on an event, not by the heartbeat timer
  kQuorate = 16,     // the sender's installed view has quorum
};
inline constexpr uint8_t kKnownFlags =
    kProbe | kProbeReply | kTilt | kOffSchedule | kQuorate;

struct Member {
  uint32_t id = 0;
  uint64_t incarnation = 0;
  bool operator==(const Member&) const = default;
};
using MemberList = boost::container::static_vector<Member, kMaxNodes>;

struct Heartbeat {
  uint64_t incarnation = 0;
  uint8_t flags = 0;
  uint64_t admin_epoch = 0;
  uint64_t epoch = 0;
  uint64_t alive_mask = 0;
  uint64_t view_id = 0;
  uint32_t view_coordinator = 0;
  uint32_t view_dc = 0;
  uint64_t view_mask = 0;
  uint64_t ack_id = 0;
  uint32_t ack_coordinator = 0;
  uint64_t proposal_id = 0;
  uint32_t proposal_dc = 0;
  MemberList proposal_members;
  bool operator==(const Heartbeat&) const = default;
};

// The encoded size is kHeartbeatFixedSize + 12 * members (<= 851).
std::vector<uint8_t> EncodeHeartbeat(const Heartbeat& hb);

// kCorrupt naming what is wrong (short, unknown flags, count too large,
// length mismatch).
Result<Heartbeat> DecodeHeartbeat(std::span<const uint8_t> bytes);

}  // namespace paceline::membership
