// The datagram codec: round trips, every drop reason, the replay window,
// and the heartbeat payload codec.
#include "membership/datagram.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "membership/heartbeat.h"

namespace paceline::membership {
namespace {

class DatagramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    authkey_ = *GenerateAuthKey();
    keys_ = *MakeClusterKeys(authkey_, "hapg");
  }
  std::vector<uint8_t> Payload(const std::string& s) {
    return std::vector<uint8_t>(s.begin(), s.end());
  }
  std::vector<uint8_t> SealFrom(Sealer& s, uint32_t to, const std::string& p) {
    Result<std::vector<uint8_t>> d =
        s.Seal(to, MessageType::kHeartbeat, Payload(p));
    EXPECT_TRUE(d.ok());
    return *d;
  }
  Opened Open(Opener& o, const std::vector<uint8_t>& d) {
    return o.Open(d, buffer_);
  }
  SecretKey authkey_;
  ClusterKeys keys_;
  Opener::PayloadBuffer buffer_;
};

TEST_F(DatagramTest, RoundTrip) {
  Sealer sealer(keys_, 1, 1000);
  Opener opener(keys_, 2);
  std::vector<uint8_t> d = SealFrom(sealer, 2, "hello");
  EXPECT_EQ(d.size(), kHeaderSize + 5 + kTagSize);
  // The payload is encrypted, not just authenticated.
  EXPECT_EQ(std::search(d.begin(), d.end(), std::begin("hello"),
                        std::end("hello") - 1),
            d.end());
  Opened o = Open(opener, d);
  ASSERT_TRUE(o.ok) << DropReasonName(o.reason);
  EXPECT_EQ(o.header.sender, 1u);
  EXPECT_EQ(o.header.receiver, 2u);
  EXPECT_EQ(o.header.incarnation, 1000u);
  EXPECT_EQ(o.header.sequence, 1u);
  EXPECT_EQ(o.header.cluster_id, ClusterIdOf("hapg"));
  EXPECT_EQ(std::string(o.payload.begin(), o.payload.end()), "hello");
  // Sequence numbers count per receiver.
  EXPECT_TRUE(Open(opener, SealFrom(sealer, 2, "")).ok);
  EXPECT_EQ(opener.drops().Total(), 0u);
}

TEST_F(DatagramTest, MaximumPayloadFitsAndOneMoreIsRefused) {
  Sealer sealer(keys_, 1, 1);
  Opener opener(keys_, 2);
  std::vector<uint8_t> big(kMaxPayloadSize, 0xab);
  Result<std::vector<uint8_t>> d = sealer.Seal(2, MessageType::kHeartbeat, big);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size(), kMaxDatagramSize);
  Opened o = Open(opener, *d);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.payload.size(), kMaxPayloadSize);
  big.push_back(0);
  EXPECT_FALSE(sealer.Seal(2, MessageType::kHeartbeat, big).ok());
}

TEST_F(DatagramTest, EveryFlippedBitIsRejected) {
  Sealer sealer(keys_, 1, 1);
  std::vector<uint8_t> good = SealFrom(sealer, 2, "payload bytes");
  for (size_t bit = 0; bit < good.size() * 8; ++bit) {
    Opener opener(keys_, 2);
    std::vector<uint8_t> d = good;
    d[bit / 8] ^= uint8_t(1u << (bit % 8));
    Opened o = Open(opener, d);
    ASSERT_FALSE(o.ok) << "bit " << bit;
    size_t byte = bit / 8;
    DropReason want = DropReason::kAuth;  // sender, incarnation, seq, body, tag
    if (byte < 8) want = DropReason::kMalformed;  // magic/version/type/reserved
    if (byte >= 8 && byte < 16) want = DropReason::kWrongCluster;
    if (byte >= 20 && byte < 24) want = DropReason::kMisdirected;
    EXPECT_EQ(o.reason, want)
        << "bit " << bit << " got " << DropReasonName(o.reason);
    EXPECT_EQ(opener.drops().Get(want), 1u);
  }
}

TEST_F(DatagramTest, TruncatedAndOversized) {
  Sealer sealer(keys_, 1, 1);
  Opener opener(keys_, 2);
  std::vector<uint8_t> d = SealFrom(sealer, 2, "abc");
  for (size_t len = 0; len < kHeaderSize + kTagSize; ++len) {
    std::vector<uint8_t> cut(d.begin(), d.begin() + std::min(len, d.size()));
    EXPECT_EQ(Open(opener, cut).reason, DropReason::kMalformed) << len;
  }
  std::vector<uint8_t> shorter(d.begin(), d.end() - 1);  // tag cut
  EXPECT_EQ(Open(opener, shorter).reason, DropReason::kAuth);
  std::vector<uint8_t> huge(kMaxDatagramSize + 1, 0);
  EXPECT_EQ(Open(opener, huge).reason, DropReason::kOversized);
  std::vector<uint8_t> padded = d;
  padded.resize(kMaxDatagramSize + 100);
  EXPECT_EQ(Open(opener, padded).reason, DropReason::kOversized);
  EXPECT_EQ(opener.drops().Get(DropReason::kOversized), 2u);
}

TEST_F(DatagramTest, OtherClusterNameIsWrongCluster) {
  ClusterKeys other = *MakeClusterKeys(authkey_, "other");
  Sealer sealer(other, 1, 1);
  Opener opener(keys_, 2);
  EXPECT_EQ(Open(opener, SealFrom(sealer, 2, "x")).reason,
            DropReason::kWrongCluster);
  EXPECT_EQ(opener.drops().Get(DropReason::kWrongCluster), 1u);
}

TEST_F(DatagramTest, OtherAuthkeySameNameIsAuth) {
  ClusterKeys other = *MakeClusterKeys(*GenerateAuthKey(), "hapg");
  Sealer sealer(other, 1, 1);
  Opener opener(keys_, 2);
  EXPECT_EQ(Open(opener, SealFrom(sealer, 2, "x")).reason, DropReason::kAuth);
}

TEST_F(DatagramTest, AddressedToAnotherNodeIsMisdirected) {
  Sealer sealer(keys_, 1, 1);
  Opener opener(keys_, 2);
  EXPECT_EQ(Open(opener, SealFrom(sealer, 3, "x")).reason,
            DropReason::kMisdirected);
}

TEST_F(DatagramTest, SameDatagramTwiceIsReplay) {
  Sealer sealer(keys_, 1, 1);
  Opener opener(keys_, 2);
  std::vector<uint8_t> d = SealFrom(sealer, 2, "x");
  EXPECT_TRUE(Open(opener, d).ok);
  EXPECT_EQ(Open(opener, d).reason, DropReason::kReplay);
  EXPECT_EQ(opener.drops().Get(DropReason::kReplay), 1u);
}

TEST_F(DatagramTest, ReorderedWithinWindowAcceptedOnce) {
  Sealer sealer(keys_, 1, 1);
  Opener opener(keys_, 2);
  std::vector<std::vector<uint8_t>> ds;
  for (int i = 0; i < 10; ++i) ds.push_back(SealFrom(sealer, 2, "x"));
  for (int i = 9; i >= 0; --i) EXPECT_TRUE(Open(opener, ds[i]).ok) << i;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Open(opener, ds[i]).reason, DropReason::kReplay);
  }
}

TEST_F(DatagramTest, OutOfWindowIsReplay) {
  Sealer sealer(keys_, 1, 1);
  Opener opener(keys_, 2);
  std::vector<uint8_t> first = SealFrom(sealer, 2, "x");
  std::vector<uint8_t> second = SealFrom(sealer, 2, "x");
  EXPECT_TRUE(Open(opener, first).ok);
  for (uint64_t i = 0; i < ReplayWindow::kSize; ++i) {
    ASSERT_TRUE(Open(opener, SealFrom(sealer, 2, "x")).ok);
  }
  // `second` (sequence 2) was never delivered, but it is now 64 behind.
  EXPECT_EQ(Open(opener, second).reason, DropReason::kReplay);
}

TEST_F(DatagramTest, NewIncarnationResetsOldIncarnationIsReplay) {
  Sealer old_boot(keys_, 1, 5);
  Opener opener(keys_, 2);
  std::vector<uint8_t> old1 = SealFrom(old_boot, 2, "x");
  std::vector<uint8_t> old2 = SealFrom(old_boot, 2, "x");
  ASSERT_TRUE(Open(opener, old1).ok);
  Sealer new_boot(keys_, 1, 6);  // restarted: sequence starts over
  Opened o = Open(opener, SealFrom(new_boot, 2, "x"));
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.header.sequence, 1u);
  EXPECT_EQ(Open(opener, old2).reason, DropReason::kReplay);
  EXPECT_TRUE(Open(opener, SealFrom(new_boot, 2, "x")).ok);
}

TEST_F(DatagramTest, ForgedDatagramDoesNotAdvanceTheWindow) {
  Sealer sealer(keys_, 1, 1);
  Opener opener(keys_, 2);
  std::vector<uint8_t> d1 = SealFrom(sealer, 2, "x");
  ASSERT_TRUE(Open(opener, d1).ok);
  Header far{MessageType::kHeartbeat, keys_.cluster_id, 1, 2, 99, 1000};
  ClusterKeys wrong = *MakeClusterKeys(*GenerateAuthKey(), "hapg");
  Sealer forger(wrong, 1, 99);
  EXPECT_EQ(Open(opener, *forger.SealWithHeader(far, {})).reason,
            DropReason::kAuth);
  // The real sender's next datagram is still accepted.
  EXPECT_TRUE(Open(opener, SealFrom(sealer, 2, "x")).ok);
}

TEST_F(DatagramTest, ExplicitHeaderOfAnotherSenderOpens) {
  Sealer sealer(keys_, 1, 1);
  Opener opener(keys_, 2);
  Header h{MessageType::kHeartbeat, keys_.cluster_id, 5, 2, 3, 77};
  Opened o = Open(opener, *sealer.SealWithHeader(h, Payload("p")));
  ASSERT_TRUE(o.ok) << DropReasonName(o.reason);
  EXPECT_EQ(o.header.sender, 5u);
  EXPECT_EQ(o.header.sequence, 77u);
  // The sealer's own key is unaffected.
  EXPECT_TRUE(Open(opener, SealFrom(sealer, 2, "x")).ok);
}

TEST_F(DatagramTest, DropReasonNames) {
  EXPECT_EQ(DropReasonName(DropReason::kAuth), "auth");
  EXPECT_EQ(DropReasonName(DropReason::kReplay), "replay");
  EXPECT_EQ(DropReasonName(DropReason::kMalformed), "malformed");
  EXPECT_EQ(DropReasonName(DropReason::kWrongCluster), "wrong_cluster");
  EXPECT_EQ(DropReasonName(DropReason::kOversized), "oversized");
  EXPECT_EQ(DropReasonName(DropReason::kMisdirected), "misdirected");
}

TEST(ReplayWindowTest, SlidingBitmap) {
  ReplayWindow w;
  EXPECT_TRUE(w.Check(1, 100));
  w.Commit(1, 100);
  EXPECT_FALSE(w.Check(1, 100));
  EXPECT_TRUE(w.Check(1, 99));
  EXPECT_TRUE(w.Check(1, 37));   // 63 behind: inside
  EXPECT_FALSE(w.Check(1, 36));  // 64 behind: outside
  w.Commit(1, 1000);             // jump beyond the window clears it
  EXPECT_TRUE(w.Check(1, 999));
  EXPECT_FALSE(w.Check(1, 100));
  EXPECT_FALSE(w.Check(0, 5000));  // older incarnation
  EXPECT_TRUE(w.Check(2, 1));      // newer incarnation
  w.Commit(2, 1);
  EXPECT_FALSE(w.Check(1, 1001));
}

Heartbeat SampleHeartbeat(size_t members) {
  Heartbeat hb;
  hb.incarnation = 7;
  hb.flags = kProbe | kTilt;
  hb.admin_epoch = 1;
  hb.epoch = 17;
  hb.alive_mask = 0x8000000000000005ull;
  hb.view_id = 12;
  hb.view_coordinator = 1;
  hb.view_dc = 2;
  hb.view_mask = 7;
  hb.ack_id = 13;
  hb.ack_coordinator = 1;
  hb.proposal_id = 14;
  hb.proposal_dc = 3;
  for (uint32_t i = 1; i <= members; ++i) {
    hb.proposal_members.push_back({i, 1000u + i});
  }
  return hb;
}

TEST(HeartbeatTest, RoundTrip) {
  Heartbeat hb = SampleHeartbeat(kMaxNodes);
  std::vector<uint8_t> bytes = EncodeHeartbeat(hb);
  EXPECT_EQ(bytes.size(), kHeartbeatFixedSize + 12 * kMaxNodes);
  EXPECT_LE(bytes.size(), kMaxPayloadSize);
  Result<Heartbeat> back = DecodeHeartbeat(bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, hb);
}

TEST(HeartbeatTest, LengthIsCheckedBeforeEntriesAreRead) {
  std::vector<uint8_t> bytes = EncodeHeartbeat(SampleHeartbeat(2));
  for (size_t len = 0; len < bytes.size(); ++len) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + len);
    EXPECT_FALSE(DecodeHeartbeat(cut).ok()) << len;
  }
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  EXPECT_FALSE(DecodeHeartbeat(longer).ok());
  std::vector<uint8_t> lying = bytes;
  lying[81] = 0xff;  // count 65535: refused before any entry is read
  lying[82] = 0xff;
  Result<Heartbeat> r = DecodeHeartbeat(lying);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              ::testing::HasSubstr("65535 proposal members"));
}

TEST(HeartbeatTest, UnknownFlagsAreRefused) {
  std::vector<uint8_t> bytes = EncodeHeartbeat(SampleHeartbeat(0));
  bytes[8] = 0x80;
  Result<Heartbeat> r = DecodeHeartbeat(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), ::testing::HasSubstr("unknown flags"));
}

}  // namespace
}  // namespace paceline::membership
