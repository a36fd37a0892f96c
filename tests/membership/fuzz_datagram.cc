// libFuzzer entry point for the datagram decoder and the heartbeat payload
// decoder. Not part of the CMake build (it is not a *_test.cc, and it needs
// clang's -fsanitize=fuzzer); docs/membership.md has the command line.
//
// The first input byte picks the target: even -> Opener::Open() on the rest
// (with a fixed all-zero authkey, so a crash reproduces), odd ->
// DecodeHeartbeat() on the rest, and a heartbeat that decodes is fed to a
// Membership state machine as if a (compromised) member had sent it, on a
// link and at a time taken from the input; its invariants must hold. Every
// Open() that fails must be counted.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "membership/datagram.h"
#include "membership/heartbeat.h"
#include "membership/membership.h"

using paceline::membership::ClusterKeys;
using paceline::membership::DecodeHeartbeat;
using paceline::membership::MakeClusterKeys;
using paceline::membership::Opened;
using paceline::membership::Opener;
using paceline::membership::SecretKey;

namespace {

using namespace paceline::membership;

ClusterConfig FuzzConfig() {
  ClusterConfig c;
  c.cluster_name = "fuzz";
  for (uint32_t i = 1; i <= 4; ++i) {
    NodeConfig n;
    n.name = "n" + std::to_string(i);
    n.id = i;
    n.addresses.push_back(
        {boost::asio::ip::make_address("127.0.0." + std::to_string(i)), 0});
    if (i == 3) n.addresses.push_back(n.addresses[0]);
    c.nodes.push_back(n);
  }
  return c;
}

// One long-lived state machine (node 2) fed every decodable heartbeat.
void FeedStateMachine(const Heartbeat& hb, uint8_t selector) {
  static SteadyTime now{std::chrono::hours(1)};
  static paceline::WallTime wall{std::chrono::hours(400000)};
  static Membership m(FuzzConfig(), 2, 77, now, wall);
  uint32_t from = std::array<uint32_t, 4>{1, 3, 4, 9}[(selector >> 1) % 4];
  size_t link = (selector >> 3) % 3;
  auto step = std::chrono::milliseconds((selector >> 5) * 40);
  now += step;
  wall += step;
  m.OnHeartbeat(from, link, hb, now, wall);
  m.OnTick(now, wall);
  (void)m.TakeOutgoing();
  (void)m.TakeViewChange();
  m.CheckInvariants();  // throws -> libFuzzer reports the crash
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ClusterKeys keys = *MakeClusterKeys(SecretKey(), "fuzz");
  static Opener opener(keys, 2);
  static Opener::PayloadBuffer buffer;
  if (size == 0) return 0;
  std::span<const uint8_t> rest(data + 1, size - 1);
  if (data[0] % 2 == 1) {
    auto hb = DecodeHeartbeat(rest);
    if (hb.ok()) FeedStateMachine(*hb, data[0]);
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
