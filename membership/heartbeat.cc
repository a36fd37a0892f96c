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
  out.reserve(kHeartbeatFixedSize + kSeenMemberSize * hb.seen.size());
  Put(out, hb.incarnation, 8);
  Put(out, hb.view_id, 8);
  Put(out, hb.dc_id, 4);
  Put(out, hb.config_epoch, 8);
  Put(out, hb.seen.size(), 2);
  for (const SeenMember& m : hb.seen) {
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
  uint64_t count = Get(p + 28, 2);
  if (count > kMaxSeenMembers) {
    return Status::Corrupt("heartbeat: " + std::to_string(count) +
                           " seen members, more than " +
                           std::to_string(kMaxSeenMembers));
  }
  if (bytes.size() != kHeartbeatFixedSize + count * kSeenMemberSize) {
    return Status::Corrupt("heartbeat: length " + std::to_string(bytes.size()) +
                           " does not match " + std::to_string(count) +
                           " seen members");
  }
  Heartbeat hb;
  hb.incarnation = Get(p, 8);
  hb.view_id = Get(p + 8, 8);
  hb.dc_id = uint32_t(Get(p + 16, 4));
  hb.config_epoch = Get(p + 20, 8);
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t* m = p + kHeartbeatFixedSize + i * kSeenMemberSize;
    hb.seen.push_back(SeenMember{uint32_t(Get(m, 4)), Get(m + 4, 8)});
  }
  return hb;
}

}  // namespace paceline::membership
