// libFuzzer entry point for the datagram decoder and the heartbeat payload
// decoder. Not part of the CMake build (it is not a *_test.cc, and it needs
// clang's -fsanitize=fuzzer); docs/membership.md has the command line.
//
// The first input byte picks the target: even -> Opener::Open() on the rest
// (with a fixed all-zero authkey, so a crash reproduces), odd ->
// DecodeHeartbeat() on the rest. Every Open() that fails must be counted.
#include <cstdint>
#include <cstdlib>

#include "membership/datagram.h"
#include "membership/heartbeat.h"

using paceline::membership::ClusterKeys;
using paceline::membership::DecodeHeartbeat;
using paceline::membership::MakeClusterKeys;
using paceline::membership::Opened;
using paceline::membership::Opener;
using paceline::membership::SecretKey;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ClusterKeys keys = *MakeClusterKeys(SecretKey(), "fuzz");
  static Opener opener(keys, 2);
  static Opener::PayloadBuffer buffer;
  if (size == 0) return 0;
  std::span<const uint8_t> rest(data + 1, size - 1);
  if (data[0] % 2 == 1) {
    (void)DecodeHeartbeat(rest).ok();
    return 0;
  }
  uint64_t before = opener.drops().Total();
  Opened o = opener.Open(rest, buffer);
  if (o.ok) {
    (void)DecodeHeartbeat(o.payload).ok();
  } else if (opener.drops().Total() != before + 1) {
    std::abort();  // a drop that was not counted
  }
  return 0;
}
