// Randomized robustness of Opener::Open(): random byte strings, random
// strings behind a plausible header, and mutations of valid datagrams
// (bit flips, byte overwrites, truncation, extension, splices) never crash
// and are all dropped with a counted reason. Deterministic seed, so a
// failure reproduces; the libFuzzer target (fuzz_datagram.cc) explores
// further.
#include <gtest/gtest.h>

#include <random>

#include "membership/datagram.h"
#include "membership/heartbeat.h"

namespace paceline::membership {
namespace {

constexpr int kIterations = 100000;

std::vector<uint8_t> Mutate(std::vector<uint8_t> d, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return size_t(rng() % std::max<size_t>(n, 1)); };
  int edits = 1 + int(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    switch (rng() % 5) {
      case 0:
        if (!d.empty()) d[pick(d.size())] ^= uint8_t(1u << (rng() % 8));
        break;
      case 1:
        if (!d.empty()) d[pick(d.size())] = uint8_t(rng());
        break;
      case 2:
        d.resize(pick(d.size() + 1));
        break;
      case 3:
        d.resize(d.size() + 1 + pick(kMaxDatagramSize), uint8_t(rng()));
        break;
      default:
        if (d.size() > 2) {
          size_t a = pick(d.size()), b = pick(d.size());
          std::swap(d[a], d[b]);
        }
    }
  }
  return d;
}

TEST(DatagramRandomTest, NothingRandomGetsThroughAndEveryDropIsCounted) {
  SecretKey authkey = *GenerateAuthKey();
  ClusterKeys keys = *MakeClusterKeys(authkey, "hapg");
  Sealer sealer(keys, 1, 42);
  Opener opener(keys, 2);
  Opener::PayloadBuffer buffer;
  std::mt19937_64 rng(20261126);

  Heartbeat hb;
  hb.incarnation = 42;
  hb.view_id = 3;
  hb.proposal_members = {{1, 42}, {2, 7}};
  std::vector<std::vector<uint8_t>> valid;
  for (int i = 0; i < 16; ++i) {
    valid.push_back(
        *sealer.Seal(2, MessageType::kHeartbeat, EncodeHeartbeat(hb)));
    ASSERT_TRUE(opener.Open(valid.back(), buffer).ok);
  }
  std::vector<uint8_t> prefix(valid[0].begin(), valid[0].begin() + 40);

  uint64_t attempts = 0;
  for (int i = 0; i < kIterations; ++i) {
    std::vector<uint8_t> d;
    switch (i % 3) {
      case 0: {  // random bytes of a random length
        d.resize(rng() % (kMaxDatagramSize + 64));
        for (auto& b : d) b = uint8_t(rng());
        break;
      }
      case 1: {  // a plausible header, random rest
        d = prefix;
        d.resize(40 + rng() % (kMaxDatagramSize - 20));
        for (size_t k = 24; k < d.size(); ++k) d[k] = uint8_t(rng());
        break;
      }
      default:
        d = Mutate(valid[rng() % valid.size()], rng);
    }
    Opened o = opener.Open(d, buffer);
    ++attempts;
    ASSERT_FALSE(o.ok) << "iteration " << i << " size " << d.size();
  }
  EXPECT_EQ(opener.drops().Total(), attempts);
  for (int r = 0; r < int(DropReason::kCount); ++r) {
    std::cout << DropReasonName(DropReason(r)) << ": "
              << opener.drops().Get(DropReason(r)) << "\n";
  }
  EXPECT_GT(opener.drops().Get(DropReason::kAuth), 0u);
  EXPECT_GT(opener.drops().Get(DropReason::kMalformed), 0u);
  EXPECT_GT(opener.drops().Get(DropReason::kOversized), 0u);
  EXPECT_GT(opener.drops().Get(DropReason::kReplay), 0u);
}

TEST(HeartbeatRandomTest, DecoderNeverCrashesOnRandomBytes) {
  std::mt19937_64 rng(7);
  int accepted = 0;
  for (int i = 0; i < kIterations; ++i) {
    std::vector<uint8_t> d(rng() % 900);
    for (auto& b : d) b = uint8_t(rng());
    if (i % 2 && d.size() >= kHeartbeatFixedSize) {  // consistent half
      size_t n = (d.size() - kHeartbeatFixedSize) / kMemberEntrySize;
      d.resize(kHeartbeatFixedSize + kMemberEntrySize * n);
      d[8] &= kKnownFlags;
      d[81] = uint8_t(n >> 8);
      d[82] = uint8_t(n);
    }
    Result<Heartbeat> hb = DecodeHeartbeat(d);
    if (hb.ok()) {
      ++accepted;
      EXPECT_EQ(EncodeHeartbeat(*hb), d);
    }
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace paceline::membership
