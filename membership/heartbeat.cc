// Heartbeat payload encoder/decoder (format in heartbeat.h).
#include "membership/heartbeat.h"

#include <string>

namespace paceline::membership {
namespace {

void Put(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(uint8_t(v >> (8 * i)));
}

uint64_t Get(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::vector<uint8_t> EncodeHeartbeat(const Heartbeat& hb) {
  std::vector<uint8_t> out;
  out.reserve(kHeartbeatFixedSize +
              kMemberEntrySize * hb.proposal_members.size());
  Put(out, hb.incarnation, 8);
  Put(out, hb.flags, 1);
  Put(out, hb.admin_epoch, 8);
  Put(out, hb.epoch, 8);
  Put(out, hb.alive_mask, 8);
  Put(out, hb.view_id, 8);
  Put(out, hb.view_coordinator, 4);
  Put(out, hb.view_dc, 4);
  Put(out, hb.view_mask, 8);
  Put(out, hb.ack_id, 8);
  Put(out, hb.ack_coordinator, 4);
  Put(out, hb.proposal_id, 8);
  Put(out, hb.proposal_dc, 4);
  Put(out, hb.proposal_members.size(), 2);
  for (const Member& m : hb.proposal_members) {
    Put(out, m.id, 4);
    Put(out, m.incarnation, 8);
  }
  return out;
}

Result<Heartbeat> DecodeHeartbeat(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeartbeatFixedSize) {
    return Status::Corrupt("heartbeat: " + std::to_string(bytes.size()) +
                           " bytes, shorter than its fixed part");
  }
  const uint8_t* p = bytes.data();
  uint64_t count = Get(p + 81, 2);
  if (count > kMaxNodes) {
    return Status::Corrupt("heartbeat: " + std::to_string(count) +
                           " proposal members, more than " +
                           std::to_string(kMaxNodes));
  }
  if (bytes.size() != kHeartbeatFixedSize + count * kMemberEntrySize) {
    return Status::Corrupt("heartbeat: length " + std::to_string(bytes.size()) +
                           " does not match " + std::to_string(count) +
                           " proposal members");
  }
  Heartbeat hb;
  hb.incarnation = Get(p, 8);
  hb.flags = uint8_t(Get(p + 8, 1));
  if ((hb.flags & ~kKnownFlags) != 0) {
    return Status::Corrupt("heartbeat: unknown flags " +
                           std::to_string(hb.flags));
  }
  hb.admin_epoch = Get(p + 9, 8);
  hb.epoch = Get(p + 17, 8);
  hb.alive_mask = Get(p + 25, 8);
  hb.view_id = Get(p + 33, 8);
  hb.view_coordinator = uint32_t(Get(p + 41, 4));
  hb.view_dc = uint32_t(Get(p + 45, 4));
  hb.view_mask = Get(p + 49, 8);
  hb.ack_id = Get(p + 57, 8);
  hb.ack_coordinator = uint32_t(Get(p + 65, 4));
  hb.proposal_id = Get(p + 69, 8);
  hb.proposal_dc = uint32_t(Get(p + 77, 4));
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t* m = p + kHeartbeatFixedSize + i * kMemberEntrySize;
    hb.proposal_members.push_back(Member{uint32_t(Get(m, 4)), Get(m + 4, 8)});
  }
  return hb;
}

}  // namespace paceline::membership
