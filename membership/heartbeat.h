// The heartbeat payload (inside a sealed datagram of type kHeartbeat):
// what a peer needs to follow this node's view of the cluster.
//
//   offset size field (big-endian)
//     0     8  incarnation of the sender
//     8     8  membership view id
//    16     4  DC node id (0: none)
//    20     8  configuration epoch
//    28     2  number of seen members, n <= kMaxSeenMembers
//    30  12*n  seen members: node id (4), incarnation (8)
//
// DecodeHeartbeat() checks n against kMaxSeenMembers and the exact length
// before reading an entry, and decodes into fixed-capacity storage: no
// allocation at all. Pure functions.
#pragma once

#include <boost/container/static_vector.hpp>
#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "membership/cluster_config.h"

namespace paceline::membership {

inline constexpr size_t kMaxSeenMembers = kMaxNodes;
inline constexpr size_t kHeartbeatFixedSize = 30;
inline constexpr size_t kSeenMemberSize = 12;

struct SeenMember {
  uint32_t id = 0;
  uint64_t incarnation = 0;
  bool operator==(const SeenMember&) const = default;
};

struct Heartbeat {
  uint64_t incarnation = 0;
  uint64_t view_id = 0;
  uint32_t dc_id = 0;
  uint64_t config_epoch = 0;
  boost::container::static_vector<SeenMember, kMaxSeenMembers> seen;
  bool operator==(const Heartbeat&) const = default;
};

// The encoded size is kHeartbeatFixedSize + 12 * seen.size() (<= 798).
std::vector<uint8_t> EncodeHeartbeat(const Heartbeat& hb);

// kCorrupt naming what is wrong (short, count too large, length mismatch).
Result<Heartbeat> DecodeHeartbeat(std::span<const uint8_t> bytes);

}  // namespace paceline::membership
