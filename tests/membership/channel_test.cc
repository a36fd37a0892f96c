// The reliable channel over real TCP on loopback: two or three Channel
// instances in this process (127.0.0.2, .3, .4, one io_context), ordered
// delivery, a 10 MB message, restarts with new incarnations, reconnect with
// backoff, Reset(), refused sends, hostile connections, and no fd leak.
#include "membership/channel.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <functional>
#include <random>

namespace paceline::membership {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

struct Event {
  std::string kind;  // "up" or "down"
  uint32_t peer;
  uint64_t incarnation;
  size_t dropped = 0;
  bool operator==(const Event&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Event& e) {
  return os << e.kind << "(" << e.peer << "," << e.incarnation << ","
            << e.dropped << ")";
}

class Recorder : public ChannelHandler {
 public:
  void OnPeerUp(uint32_t peer, uint64_t inc) override {
    events.push_back({"up", peer, inc});
    up[peer] = true;
  }
  void OnPeerDown(uint32_t peer, uint64_t inc, size_t dropped) override {
    events.push_back({"down", peer, inc, dropped});
    up[peer] = false;
  }
  void OnMessage(uint32_t peer, uint64_t, std::string_view bytes) override {
    messages[peer].emplace_back(bytes);
    if (on_message) on_message(peer, bytes);
  }
  bool Up(uint32_t peer) { return up[peer]; }
  std::vector<Event> events;
  std::map<uint32_t, bool> up;
  std::map<uint32_t, std::vector<std::string>> messages;
  std::function<void(uint32_t, std::string_view)> on_message;
};

int OpenFds() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
  closedir(d);
  return n - 1;  // the DIR itself
}

class ChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = *MakeClusterKeys(*GenerateAuthKey(), "hapg");
    // A free TCP port on the test addresses (the same number for all).
    tcp::acceptor probe(io_, tcp::endpoint(Addr(2), 0));
    config_.cluster_name = "hapg";
    config_.port = probe.local_endpoint().port();
    for (uint32_t id = 1; id <= 3; ++id) {
      config_.nodes.push_back(
          {"node" + std::to_string(id), id, 1, {{Addr(id + 1), 0}}});
    }
  }
  static asio::ip::address Addr(uint32_t last) {
    return asio::ip::make_address("127.0.0." + std::to_string(last));
  }
  std::unique_ptr<Channel> Make(uint32_t id, uint64_t inc, Recorder& r,
                                ChannelOptions o = {}) {
    auto c = std::make_unique<Channel>(io_, config_, id, inc, keys_, r, o);
    Status s = c->Start();
    EXPECT_TRUE(s.ok()) << s.message();
    return c;
  }
  bool RunUntil(const std::function<bool()>& done,
                std::chrono::milliseconds limit = 3000ms) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.restart();
      io_.run_for(2ms);
    }
    return true;
  }
  void RunFor(std::chrono::milliseconds d) {
    auto end = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < end) {
      io_.restart();
      io_.run_for(2ms);
    }
  }
  static uint64_t Errors(const Channel& c) {
    uint64_t n = 0;
    for (uint64_t e : c.stats().errors) n += e;
    return n;
  }

  asio::io_context io_;
  ClusterKeys keys_;
  ClusterConfig config_;
};

TEST_F(ChannelTest, TenThousandMessagesArriveInOrderBothWays) {
  config_.nodes.resize(2);
  Recorder r1, r2;
  // The listener first, so that the first dial succeeds (connect() is
  // issued at once, inside Start()).
  auto c2 = Make(2, 200, r2);
  auto c1 = Make(1, 100, r1);
  ASSERT_TRUE(RunUntil([&] { return r1.Up(2) && r2.Up(1); }));
  EXPECT_EQ(r1.events, (std::vector<Event>{{"up", 2, 200}}));
  EXPECT_EQ(r2.events, (std::vector<Event>{{"up", 1, 100}}));
  EXPECT_EQ(c1->PeerIncarnation(2), 200u);
  std::mt19937 rng(1);
  std::vector<std::string> sent;
  for (int i = 0; i < 10000; ++i) {
    std::string m = std::to_string(i) + ":" + std::string(rng() % 300, 'a');
    sent.push_back(m);
    ASSERT_TRUE(c1->Send(2, m)) << i;
    ASSERT_TRUE(c2->Send(1, m)) << i;
  }
  ASSERT_TRUE(RunUntil([&] {
    return r2.messages[1].size() == 10000 && r1.messages[2].size() == 10000;
  }));
  EXPECT_TRUE(r2.messages[1] == sent);
  EXPECT_TRUE(r1.messages[2] == sent);
  EXPECT_EQ(c1->stats().messages_sent, 10000u);
  EXPECT_EQ(c2->stats().messages_received, 10000u);
  EXPECT_EQ(Errors(*c1) + Errors(*c2), 0u);
  EXPECT_EQ(c1->stats().dials, 1u);
  EXPECT_EQ(c2->stats().accepts, 1u);
}

TEST_F(ChannelTest, TenMegabyteMessageAndThreeNodes) {
  Recorder r1, r2, r3;
  auto c1 = Make(1, 1, r1);
  auto c2 = Make(2, 2, r2);
  auto c3 = Make(3, 3, r3);
  ASSERT_TRUE(RunUntil([&] {
    return r1.Up(2) && r1.Up(3) && r2.Up(1) && r2.Up(3) && r3.Up(1) && r3.Up(2);
  }));
  std::string big(10'000'000, '\0');
  std::mt19937 rng(2);
  for (char& c : big) c = char(rng());
  // From an acceptor to its dialer and back, with small messages around it.
  ASSERT_TRUE(c3->Send(1, "before"));
  ASSERT_TRUE(c3->Send(1, big));
  ASSERT_TRUE(c3->Send(1, "after"));
  ASSERT_TRUE(c1->Send(3, big));
  for (uint32_t from = 1; from <= 3; ++from) {
    for (uint32_t to = 1; to <= 3; ++to) {
      if (from == to) continue;
      Channel& c = from == 1 ? *c1 : from == 2 ? *c2 : *c3;
      ASSERT_TRUE(c.Send(
          to, "hello " + std::to_string(to) + " from " + std::to_string(from)));
    }
  }
  ASSERT_TRUE(RunUntil([&] {
    return r1.messages[3].size() == 4 && r3.messages[1].size() == 2 &&
           r1.messages[2].size() == 1 && r2.messages[1].size() == 1 &&
           r2.messages[3].size() == 1 && r3.messages[2].size() == 1;
  }));
  EXPECT_EQ(r1.messages[3][0], "before");
  EXPECT_TRUE(r1.messages[3][1] == big);
  EXPECT_EQ(r1.messages[3][2], "after");
  EXPECT_EQ(r1.messages[3][3], "hello 1 from 3");
  EXPECT_TRUE(r3.messages[1][0] == big);
  EXPECT_EQ(r3.messages[1][1], "hello 3 from 1");
  EXPECT_EQ(r2.messages[3][0], "hello 2 from 3");
  EXPECT_EQ(Errors(*c1) + Errors(*c2) + Errors(*c3), 0u);
}

TEST_F(ChannelTest, RestartsAreReportedWithTheNewIncarnation) {
  ChannelOptions fast;
  fast.backoff_initial = 5ms;
  Recorder r1, r2;
  auto c1 = Make(1, 100, r1, fast);
  auto c2 = Make(2, 200, r2, fast);
  ASSERT_TRUE(RunUntil([&] { return r1.Up(2) && r2.Up(1); }));
  // The accepting side restarts.
  c2.reset();
  Recorder r2b;
  ASSERT_TRUE(RunUntil([&] { return !r1.Up(2); }));
  auto c2b = Make(2, 201, r2b, fast);
  ASSERT_TRUE(RunUntil([&] { return r1.Up(2) && r2b.Up(1); }));
  EXPECT_EQ(r1.events, (std::vector<Event>{
                           {"up", 2, 200}, {"down", 2, 200}, {"up", 2, 201}}));
  // The dialing side restarts.
  c1.reset();
  Recorder r1b;
  auto c1b = Make(1, 101, r1b, fast);
  ASSERT_TRUE(RunUntil([&] { return r1b.Up(2) && r2b.events.size() >= 3; }));
  EXPECT_EQ(r2b.events, (std::vector<Event>{
                            {"up", 1, 100}, {"down", 1, 100}, {"up", 1, 101}}));
  ASSERT_TRUE(c2b->Send(1, "to the new one"));
  ASSERT_TRUE(RunUntil([&] { return r1b.messages[2].size() == 1; }));
  // An older incarnation than one already seen is refused at the hello.
  c2b.reset();
  Recorder r2old;
  auto c2old = Make(2, 150, r2old, fast);
  ASSERT_TRUE(RunUntil([&] {
    return c1b->stats().Error(ChannelError::kStaleIncarnation) >= 2;
  }));
  EXPECT_FALSE(r1b.Up(2));
  EXPECT_TRUE(r2old.events.empty());
}

TEST_F(ChannelTest, DialingADeadPeerBacksOffAndSucceedsWhenItAppears) {
  config_.nodes.resize(2);
  ChannelOptions o;
  o.backoff_initial = 10ms;
  o.backoff_max = 40ms;
  Recorder r1;
  auto c1 = Make(1, 1, r1, o);
  // Attempts at 0, 10, 30, 70, then every 40 ms: about 14 in 500 ms. A
  // retry loop without backoff would make thousands, and doubling without
  // the cap only 6 (0, 10, 30, 70, 150, 310).
  RunFor(500ms);
  uint64_t dials = c1->stats().dials;
  EXPECT_GE(dials, 8u);
  EXPECT_LE(dials, 20u);
  EXPECT_FALSE(r1.Up(2));
  EXPECT_FALSE(c1->Send(2, "nobody there"));
  Recorder r2;
  auto c2 = Make(2, 2, r2, o);
  ASSERT_TRUE(RunUntil([&] { return r1.Up(2) && r2.Up(1); }, 500ms));
}

TEST_F(ChannelTest, DefaultBackoffIsBoundedExponential) {
  Recorder r1;
  auto c1 = Make(1, 1, r1);
  RunFor(400ms);  // attempts at 0, 50, 150, 350 ms to each of nodes 2 and 3
  EXPECT_GE(c1->stats().dials, 6u);
  EXPECT_LE(c1->stats().dials, 10u);
}

TEST_F(ChannelTest, ResetReportsDownDropsTheQueueAndReconnects) {
  ChannelOptions fast;
  fast.backoff_initial = 5ms;
  Recorder r1, r2;
  auto c1 = Make(1, 1, r1, fast);
  auto c2 = Make(2, 2, r2, fast);
  ASSERT_TRUE(RunUntil([&] { return r1.Up(2) && r2.Up(1); }));
  // The first 1 MB message goes to TCP at once; the other 9 wait behind it.
  std::string mb(1 << 20, 'm');
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(c1->Send(2, mb));
  c1->Reset(2);
  ASSERT_EQ(r1.events.size(), 2u);  // down was reported inside Reset()
  EXPECT_EQ(r1.events[1], (Event{"down", 2, 2, 9}));
  EXPECT_EQ(c1->stats().unsent_dropped, 9u);
  EXPECT_FALSE(c1->Send(2, "while down"));
  ASSERT_TRUE(RunUntil([&] { return r1.Up(2) && r2.events.size() == 3; }));
  EXPECT_EQ(r2.events[1].kind, "down");
  EXPECT_EQ(r2.events[2], (Event{"up", 1, 1}));
  EXPECT_LE(r2.messages[1].size(), 1u);  // at most the one handed to TCP
  // Reset from the accepting side: the dialer sees EOF and dials again.
  c2->Reset(1);
  ASSERT_TRUE(RunUntil([&] { return r1.events.size() == 5 && r2.Up(1); }));
  EXPECT_EQ(r1.events[3].kind, "down");
  EXPECT_EQ(r1.events[4].kind, "up");
  // Reset from inside OnMessage stops delivery of the rest.
  r2.on_message = [&](uint32_t peer, std::string_view) { c2->Reset(peer); };
  size_t before = r2.messages[1].size();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c1->Send(2, "x"));
  ASSERT_TRUE(RunUntil([&] { return r2.messages[1].size() > before; }));
  RunFor(20ms);
  EXPECT_EQ(r2.messages[1].size(), before + 1);
}

TEST_F(ChannelTest, SendIsRefusedWhenUnknownOversizedOrFull) {
  ChannelOptions o;
  o.max_queue_bytes = 1000;
  o.max_message = 1000;
  Recorder r1, r2;
  auto c1 = Make(1, 1, r1, o);
  auto c2 = Make(2, 2, r2, o);
  ASSERT_TRUE(RunUntil([&] { return r1.Up(2) && r2.Up(1); }));
  EXPECT_FALSE(c1->Send(9, "unknown node"));
  EXPECT_FALSE(c1->Send(1, "myself"));
  EXPECT_FALSE(c1->Send(2, std::string(1001, 'o')));
  EXPECT_TRUE(c1->Send(2, std::string(1000, 'o')));  // goes to TCP at once
  EXPECT_TRUE(c1->Send(2, std::string(600, 'q')));   // queued
  EXPECT_FALSE(c1->Send(2, std::string(600, 'q')));  // 1200 > 1000
  EXPECT_TRUE(c1->Send(2, std::string(400, 'q')));   // exactly 1000
  EXPECT_EQ(c1->stats().send_refused, 4u);
  ASSERT_TRUE(RunUntil([&] { return r2.messages[1].size() == 3; }));
  EXPECT_TRUE(c1->Send(2, std::string(600, 'q')));  // drained
}

TEST_F(ChannelTest, HostileConnectionsAreClosedAndCounted) {
  ChannelOptions o;
  o.handshake_timeout = 200ms;
  o.max_pending_inbound = 4;
  Recorder r2;
  auto c2 = Make(2, 2, r2, o);
  tcp::endpoint target(Addr(3), config_.port);
  auto raw = [&] {
    auto s = std::make_unique<tcp::socket>(io_);
    s->connect(target);
    return s;
  };
  // Garbage instead of a hello.
  auto junk = raw();
  asio::write(*junk, asio::buffer(std::string(4096, 'j')));
  ASSERT_TRUE(RunUntil(
      [&] { return c2->stats().Error(ChannelError::kMalformed) == 1; }));
  // Silence: the handshake deadline closes it.
  auto silent = raw();
  ASSERT_TRUE(
      RunUntil([&] { return c2->stats().Error(ChannelError::kTimeout) == 1; }));
  // More unauthenticated connections than allowed at once.
  std::vector<std::unique_ptr<tcp::socket>> many;
  for (int i = 0; i < 10; ++i) many.push_back(raw());
  ASSERT_TRUE(RunUntil(
      [&] { return c2->stats().Error(ChannelError::kOverloaded) == 6; }));
  // A node with another authkey: refused by the MAC on both sides.
  Recorder r1;
  ClusterKeys other = *MakeClusterKeys(*GenerateAuthKey(), "hapg");
  Channel c1(io_, config_, 1, 1, other, r1, o);
  ASSERT_TRUE(c1.Start().ok());
  ASSERT_TRUE(RunUntil([&] {
    return c1.stats().Error(ChannelError::kAuth) >= 1 &&
           c2->stats().Error(ChannelError::kAuth) >= 1;
  }));
  EXPECT_TRUE(r1.events.empty());
  EXPECT_TRUE(r2.events.empty());
  // A node of another cluster (same authkey file, other name).
  c1.Stop();
  Recorder r3;
  ClusterConfig config3 = config_;
  config3.cluster_name = "other";
  Channel c3(io_, config3, 3, 1, *MakeClusterKeys(*GenerateAuthKey(), "other"),
             r3, o);
  ASSERT_TRUE(c3.Start().ok());
  // Node 3 accepts only; node 2 dials it and is refused.
  ASSERT_TRUE(RunUntil([&] {
    return c2->stats().Error(ChannelError::kWrongCluster) >= 1 &&
           c3.stats().Error(ChannelError::kWrongCluster) >= 1;
  }));
  EXPECT_TRUE(r3.events.empty());
}

TEST_F(ChannelTest, NoDescriptorLeakAfterManyReconnects) {
  config_.nodes.resize(2);
  ChannelOptions fast;
  fast.backoff_initial = 2ms;
  fast.backoff_max = 20ms;
  int baseline = OpenFds();
  {
    std::deque<Recorder> restarted;
    Recorder r1, r2;
    auto c1 = Make(1, 1, r1, fast);
    auto c2 = Make(2, 2, r2, fast);
    ASSERT_TRUE(RunUntil([&] { return r1.Up(2) && r2.Up(1); }));
    EXPECT_EQ(OpenFds(), baseline + 4);  // two listeners, two ends
    for (int i = 0; i < 60; ++i) {
      Channel& resetter = i % 2 ? *c1 : *c2;
      resetter.Reset(i % 2 ? 2 : 1);
      ASSERT_TRUE(RunUntil([&] { return r1.Up(2) && r2.Up(1); })) << i;
    }
    // And 20 restarts of the accepting side.
    for (int i = 0; i < 20; ++i) {
      c2.reset();
      Recorder& fresh = restarted.emplace_back();
      c2 = Make(2, 3 + i, fresh, fast);
      ASSERT_TRUE(RunUntil([&] { return fresh.Up(1) && r1.Up(2); })) << i;
    }
    EXPECT_EQ(c1->stats().sessions_up, 81u);
    RunFor(30ms);
    EXPECT_EQ(OpenFds(), baseline + 4);
  }
  RunFor(10ms);
  EXPECT_EQ(OpenFds(), baseline);
}

}  // namespace
}  // namespace paceline::membership
