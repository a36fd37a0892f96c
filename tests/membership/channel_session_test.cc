// The channel session in memory: the handshake, messages from 0 bytes to
// 10 MB in any chunking, and every way a session must refuse: each single
// bit flipped, another key or cluster, unknown or wrong node ids, truncated
// streams, oversized lengths, replayed handshakes, reordered frames.
#include "membership/channel_session.h"

#include <gtest/gtest.h>

#include <random>

namespace paceline::membership {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes ToBytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

ChannelNonce NonceOf(uint8_t fill) {
  ChannelNonce n;
  n.fill(fill);
  return n;
}

class ChannelSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    authkey_ = *GenerateAuthKey();
    keys_ = *MakeClusterKeys(authkey_, "hapg");
  }

  // Node 1 dials node 2 (expected peer 2); node 2 accepts ids 1.
  SessionParams Params(SessionRole role, uint32_t self, uint64_t inc,
                       uint8_t nonce_fill, uint32_t accept) {
    SessionParams p;
    p.keys = keys_;
    p.self_id = self;
    p.incarnation = inc;
    p.role = role;
    p.nonce = NonceOf(nonce_fill);
    p.vet_peer = [accept](uint32_t peer,
                          uint64_t inc) -> std::optional<ChannelError> {
      if (inc == 13) return ChannelError::kStaleIncarnation;
      if (peer > 3) return ChannelError::kUnknownNode;
      if (peer != accept) return ChannelError::kWrongPeer;
      return std::nullopt;
    };
    return p;
  }
  std::unique_ptr<Session> Initiator(uint8_t nonce = 0x11) {
    return std::make_unique<Session>(
        Params(SessionRole::kInitiator, 1, 100, nonce, 2));
  }
  std::unique_ptr<Session> Acceptor(uint8_t nonce = 0x22) {
    return std::make_unique<Session>(
        Params(SessionRole::kAcceptor, 2, 200, nonce, 1));
  }

  // Moves output between the two until neither has any; returns false if
  // either failed.
  static bool Pump(Session& a, Session& b, std::vector<std::string>* to_a,
                   std::vector<std::string>* to_b) {
    while (a.HasOutput() || b.HasOutput()) {
      Bytes from_a = ToBytes(a.TakeOutput());
      Bytes from_b = ToBytes(b.TakeOutput());
      bool b_ok = b.Receive(from_a, to_b);
      bool a_ok = a.Receive(from_b, to_a);
      if (!a_ok || !b_ok) return false;
    }
    return !a.failed() && !b.failed();
  }

  SecretKey authkey_;
  ClusterKeys keys_;
};

TEST_F(ChannelSessionTest, HandshakeOpensBothSides) {
  auto i = Initiator();
  auto a = Acceptor();
  EXPECT_EQ(i->TakeOutput().size(), kHelloSize);
  EXPECT_FALSE(i->HasOutput());
  i = Initiator();
  std::vector<std::string> mi, ma;
  ASSERT_TRUE(Pump(*i, *a, &mi, &ma));
  EXPECT_TRUE(i->open());
  EXPECT_TRUE(a->open());
  EXPECT_EQ(i->peer_id(), 2u);
  EXPECT_EQ(i->peer_incarnation(), 200u);
  EXPECT_EQ(a->peer_id(), 1u);
  EXPECT_EQ(a->peer_incarnation(), 100u);
  EXPECT_TRUE(mi.empty());
  EXPECT_TRUE(ma.empty());
  EXPECT_TRUE(i->ReceiveEof());  // a clean close between frames
}

TEST_F(ChannelSessionTest, MessagesOfEverySizeInAnyChunking) {
  auto i = Initiator();
  auto a = Acceptor();
  std::vector<std::string> mi, ma;
  ASSERT_TRUE(Pump(*i, *a, &mi, &ma));
  std::mt19937 rng(7);
  const size_t sizes[] = {0,     1,      100,     65535,     65536,
                          65537, 131072, 1 << 20, 10'000'000};
  for (size_t size : sizes) {
    std::string msg(size, '\0');
    for (char& c : msg) c = char(rng());
    for (bool forward : {true, false}) {
      Session& from = forward ? *i : *a;
      Session& to = forward ? *a : *i;
      std::string wire;
      ASSERT_TRUE(from.Seal(msg, &wire).ok());
      size_t frames = std::max<size_t>(1, (size + 65535) / 65536);
      EXPECT_EQ(wire.size(), size + frames * 20) << size;
      // Random chunking, one byte at a time for the small ones.
      std::vector<std::string> got;
      size_t at = 0;
      while (at < wire.size()) {
        size_t n = size < 200 ? 1 : 1 + rng() % 100000;
        n = std::min(n, wire.size() - at);
        auto* p = reinterpret_cast<const uint8_t*>(wire.data() + at);
        ASSERT_TRUE(to.Receive({p, n}, &got)) << size;
        at += n;
      }
      ASSERT_EQ(got.size(), 1u) << size;
      EXPECT_TRUE(got[0] == msg) << size;
    }
  }
  // Several messages in one buffer come out in order.
  std::string wire;
  for (int k = 0; k < 100; ++k) {
    ASSERT_TRUE(i->Seal("m" + std::to_string(k), &wire).ok());
  }
  std::vector<std::string> got;
  ASSERT_TRUE(a->Receive(ToBytes(wire), &got));
  ASSERT_EQ(got.size(), 100u);
  for (int k = 0; k < 100; ++k) EXPECT_EQ(got[k], "m" + std::to_string(k));
}

TEST_F(ChannelSessionTest, PayloadIsEncrypted) {
  auto i = Initiator();
  auto a = Acceptor();
  std::vector<std::string> mi, ma;
  ASSERT_TRUE(Pump(*i, *a, &mi, &ma));
  std::string wire;
  ASSERT_TRUE(i->Seal("the secret configuration", &wire).ok());
  EXPECT_EQ(wire.find("secret"), std::string::npos);
}

// The initiator's whole stream for a fixed pair of nonces: hello, confirm,
// an empty message and a short one. Sessions are deterministic given the
// nonces, so a fresh acceptor with the same nonce reads it identically.
std::string RecordStream(ChannelSessionTest* t, Session& i, Session& a) {
  std::string stream = i.TakeOutput();
  std::vector<std::string> msgs;
  EXPECT_TRUE(a.Receive(ToBytes(stream), &msgs));
  EXPECT_TRUE(i.Receive(ToBytes(a.TakeOutput()), &msgs));
  stream += i.TakeOutput();  // the confirm
  EXPECT_TRUE(i.open());
  EXPECT_TRUE(i.Seal("", &stream).ok());
  EXPECT_TRUE(i.Seal("two frames? no, one", &stream).ok());
  return stream;
}

TEST_F(ChannelSessionTest, EverySingleBitFlipClosesTheSession) {
  auto i = Initiator();
  auto a = Acceptor();
  std::string good = RecordStream(this, *i, *a);
  {
    auto clean = Acceptor();
    std::vector<std::string> got;
    ASSERT_TRUE(clean->Receive(ToBytes(good), &got));
    ASSERT_EQ(got.size(), 2u);
    ASSERT_TRUE(clean->ReceiveEof());
  }
  for (size_t bit = 0; bit < good.size() * 8; ++bit) {
    Bytes bad = ToBytes(good);
    bad[bit / 8] ^= uint8_t(1u << (bit % 8));
    auto fresh = Acceptor();
    std::vector<std::string> got;
    bool ok = fresh->Receive(bad, &got) && fresh->ReceiveEof();
    EXPECT_FALSE(ok) << "bit " << bit;
    EXPECT_TRUE(fresh->failed()) << "bit " << bit;
    // A flip in a frame may deliver the messages before it, never one at
    // or after it.
    size_t frames_start = kHelloSize + kConfirmSize;
    size_t second = frames_start + kFrameHeaderSize + kFrameTagSize;
    size_t allowed = bit / 8 < second ? 0 : 1;
    EXPECT_LE(got.size(), allowed) << "bit " << bit;
  }
}

TEST_F(ChannelSessionTest, FlipsInsideALargeMessageAreCaught) {
  auto i = Initiator();
  auto a = Acceptor();
  std::string stream = RecordStream(this, *i, *a);
  size_t start = stream.size();
  std::string big(200'000, 'x');
  ASSERT_TRUE(i->Seal(big, &stream).ok());
  std::mt19937 rng(3);
  for (int k = 0; k < 300; ++k) {
    // Every header byte of the four frames, then random body bytes.
    size_t off = k < 32 ? start + (k / 8) * (65536 + 20) + (k % 4)
                        : start + rng() % (stream.size() - start);
    Bytes bad = ToBytes(stream);
    bad[off] ^= uint8_t(1u << (rng() % 8));
    auto fresh = Acceptor();
    std::vector<std::string> got;
    bool ok = fresh->Receive(bad, &got) && fresh->ReceiveEof();
    EXPECT_FALSE(ok) << "offset " << off;
    EXPECT_LE(got.size(), 2u) << "offset " << off;
  }
}

TEST_F(ChannelSessionTest, AnotherAuthkeyFailsTheConfirm) {
  auto i = Initiator();
  SessionParams p = Params(SessionRole::kAcceptor, 2, 200, 0x22, 1);
  p.keys = *MakeClusterKeys(*GenerateAuthKey(), "hapg");
  Session a(p);
  std::vector<std::string> mi, ma;
  EXPECT_FALSE(Pump(*i, a, &mi, &ma));
  EXPECT_EQ(a.error(), ChannelError::kAuth);
  // The initiator got the acceptor's hello and confirm in the same round.
  EXPECT_TRUE(i->failed());
  EXPECT_EQ(i->error(), ChannelError::kAuth);
}

TEST_F(ChannelSessionTest, AnotherClusterIsRefusedAtTheHello) {
  auto i = Initiator();
  SessionParams p = Params(SessionRole::kAcceptor, 2, 200, 0x22, 1);
  p.keys = *MakeClusterKeys(authkey_, "other");
  Session a(p);
  std::vector<std::string> mi, ma;
  EXPECT_FALSE(Pump(*i, a, &mi, &ma));
  EXPECT_EQ(a.error(), ChannelError::kWrongCluster);
  EXPECT_EQ(i->error(), ChannelError::kWrongCluster);
}

TEST_F(ChannelSessionTest, UnknownAndWrongNodesAreRefused) {
  // Node 7 is not configured.
  Session unknown(Params(SessionRole::kInitiator, 7, 1, 0x33, 2));
  auto a = Acceptor();
  std::vector<std::string> m1, m2;
  EXPECT_FALSE(Pump(unknown, *a, &m1, &m2));
  EXPECT_EQ(a->error(), ChannelError::kUnknownNode);
  // Node 3 answers where node 1 dialed node 2.
  auto i = Initiator();
  Session three(Params(SessionRole::kAcceptor, 3, 1, 0x44, 1));
  EXPECT_FALSE(Pump(*i, three, &m1, &m2));
  EXPECT_EQ(i->error(), ChannelError::kWrongPeer);
  // A node talking to itself (a reflected or spoofed hello).
  auto a2 = Acceptor();
  Session self(Params(SessionRole::kInitiator, 2, 1, 0x55, 2));
  EXPECT_FALSE(Pump(self, *a2, &m1, &m2));
  EXPECT_EQ(a2->error(), ChannelError::kWrongPeer);
  // The upper layer refuses an incarnation at the hello: the refusing side
  // sends no confirm, so the other never opens either.
  Session stale(Params(SessionRole::kInitiator, 1, 13, 0x77, 2));
  auto a3 = Acceptor();
  EXPECT_FALSE(Pump(stale, *a3, &m1, &m2));
  EXPECT_EQ(a3->error(), ChannelError::kStaleIncarnation);
  EXPECT_FALSE(stale.open());
  EXPECT_FALSE(stale.failed());
  // Two initiators: the roles in the hellos do not fit.
  auto i1 = Initiator();
  Session i2(Params(SessionRole::kInitiator, 2, 1, 0x66, 1));
  EXPECT_FALSE(Pump(*i1, i2, &m1, &m2));
  EXPECT_EQ(i1->error(), ChannelError::kMalformed);
}

TEST_F(ChannelSessionTest, TruncatedStreamsAreErrors) {
  auto i = Initiator();
  auto a = Acceptor();
  std::string good = RecordStream(this, *i, *a);
  // Cut inside the hello, the confirm, a frame header and a frame body.
  for (size_t cut :
       {size_t(0), size_t(30), kHelloSize + 5, kHelloSize + kConfirmSize + 2,
        kHelloSize + kConfirmSize + 10, good.size() - 1}) {
    auto fresh = Acceptor();
    std::vector<std::string> got;
    ASSERT_TRUE(fresh->Receive(ToBytes(good.substr(0, cut)), &got)) << cut;
    EXPECT_FALSE(fresh->ReceiveEof()) << cut;
    EXPECT_EQ(fresh->error(), ChannelError::kTruncated) << cut;
  }
}

TEST_F(ChannelSessionTest, OversizedLengthsFailOnTheHeaderAlone) {
  auto i = Initiator();
  auto a = Acceptor();
  std::vector<std::string> mi, ma;
  ASSERT_TRUE(Pump(*i, *a, &mi, &ma));
  // 64 KiB + 1 and the largest 24-bit value: refused after 4 bytes, before
  // any of the declared body is buffered.
  for (uint32_t n : {uint32_t(kMaxFramePayload + 1), uint32_t(0xffffff)}) {
    auto i2 = Initiator();
    auto a2 = Acceptor();
    ASSERT_TRUE(Pump(*i2, *a2, &mi, &ma));
    Bytes header = {2, uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)};
    EXPECT_FALSE(a2->Receive(header, &ma));
    EXPECT_EQ(a2->error(), ChannelError::kOversized);
  }
  // A message over the receiver's bound fails at the frame that crosses it.
  SessionParams small = Params(SessionRole::kAcceptor, 2, 200, 0x22, 1);
  small.max_message = 100'000;
  Session a3(small);
  auto i3 = Initiator();
  ASSERT_TRUE(Pump(*i3, a3, &mi, &ma));
  std::string wire;
  ASSERT_TRUE(i3->Seal(std::string(150'000, 'y'), &wire).ok());
  EXPECT_FALSE(a3.Receive(ToBytes(wire), &ma));
  EXPECT_EQ(a3.error(), ChannelError::kOversized);
  EXPECT_TRUE(ma.empty());
  // The sender refuses to seal over its own bound.
  EXPECT_FALSE(i->Seal(std::string(kDefaultMaxMessage + 1, 'z'), &wire).ok());
}

TEST_F(ChannelSessionTest, ReplayedHandshakeIsRefused) {
  auto i = Initiator();
  auto a = Acceptor();
  std::string recorded = RecordStream(this, *i, *a);
  // The acceptor of the next session draws another nonce, so the recorded
  // confirm (bound to the old transcript) no longer verifies.
  auto next = Acceptor(0x23);
  std::vector<std::string> got;
  EXPECT_FALSE(next->Receive(ToBytes(recorded), &got));
  EXPECT_EQ(next->error(), ChannelError::kAuth);
  EXPECT_TRUE(got.empty());
  // The same the other way: a recorded acceptor reply to a new initiator.
  auto i1 = Initiator();
  auto a1 = Acceptor();
  std::string hello_i = i1->TakeOutput();
  ASSERT_TRUE(a1->Receive(ToBytes(hello_i), &got));
  std::string reply = a1->TakeOutput();
  auto i2 = Initiator(0x12);
  i2->TakeOutput();
  EXPECT_FALSE(i2->Receive(ToBytes(reply), &got));
  EXPECT_EQ(i2->error(), ChannelError::kAuth);
}

TEST_F(ChannelSessionTest, ReorderedOrRepeatedFramesAreRefused) {
  auto i = Initiator();
  auto a = Acceptor();
  std::vector<std::string> mi, ma;
  ASSERT_TRUE(Pump(*i, *a, &mi, &ma));
  std::string f1, f2;
  ASSERT_TRUE(i->Seal("first", &f1).ok());
  ASSERT_TRUE(i->Seal("second", &f2).ok());
  auto i2 = Initiator();
  auto a2 = Acceptor();
  ASSERT_TRUE(Pump(*i2, *a2, &mi, &ma));
  std::string g1, g2;
  ASSERT_TRUE(i2->Seal("first", &g1).ok());
  ASSERT_TRUE(i2->Seal("second", &g2).ok());
  // Swapped.
  EXPECT_FALSE(a->Receive(ToBytes(f2), &ma));
  EXPECT_EQ(a->error(), ChannelError::kAuth);
  // Repeated.
  ASSERT_TRUE(a2->Receive(ToBytes(g1), &ma));
  EXPECT_FALSE(a2->Receive(ToBytes(g1), &ma));
  EXPECT_EQ(a2->error(), ChannelError::kAuth);
  ASSERT_EQ(ma.size(), 1u);
  EXPECT_EQ(ma[0], "first");
}

TEST_F(ChannelSessionTest, NothingIsSealedBeforeTheSessionIsOpen) {
  auto i = Initiator();
  std::string wire;
  EXPECT_FALSE(i->Seal("early", &wire).ok());
  EXPECT_TRUE(wire.empty());
  // A data frame where the confirm belongs is refused by the MAC.
  auto a = Acceptor();
  std::vector<std::string> got;
  ASSERT_TRUE(a->Receive(ToBytes(i->TakeOutput()), &got));
  Bytes frame(kConfirmSize, 0);
  frame[0] = 2;
  EXPECT_FALSE(a->Receive(frame, &got));
  EXPECT_EQ(a->error(), ChannelError::kAuth);
}

}  // namespace
}  // namespace paceline::membership
