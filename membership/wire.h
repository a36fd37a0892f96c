// Big-endian integers on the wire, shared by the datagram codec and the
// reliable channel's framing.
#pragma once

#include <cstdint>

namespace paceline::membership {

inline void PutBe(uint8_t* p, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    p[i] = uint8_t(v & 0xff);
    v >>= 8;
  }
}

inline uint64_t GetBe(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace paceline::membership
