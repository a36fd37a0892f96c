// CibSync on three in-process nodes with real CibReplicas (files in a temp
// dir) and a message bus the test drives: sync on a new view (the newest
// document wins), writes from the DC and forwarded from a member (answered
// only after every member has them), conflicts, refusals, a member that
// leaves while a write waits, a DC change with a forwarded write in flight.
#include "crmd/cib_sync.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>

#include "cib/edit.h"
#include "cib/store.h"
#include "tests/cli/run_util.h"

namespace paceline::crmd {
namespace {

namespace json = boost::json;
using paceline::testing::TempDir;

class Bus {
 public:
  explicit Bus(int n) {
    for (int i = 1; i <= n; ++i) {
      replicas_.push_back(std::make_unique<CibReplica>(
          dir_.File("cib" + std::to_string(i) + ".yaml")));
      syncs_.push_back(std::make_unique<CibSync>(*replicas_.back(), i));
    }
  }
  CibSync& sync(uint32_t i) { return *syncs_[i - 1]; }
  CibReplica& replica(uint32_t i) { return *replicas_[i - 1]; }
  void View(uint64_t id, std::vector<uint32_t> members, uint32_t dc) {
    for (uint32_t m : members) sync(m).OnView(id, members, dc);
  }
  // Delivers until quiet (messages to `down` nodes are lost).
  void Pump() {
    for (int round = 0; round < 100; ++round) {
      bool any = false;
      for (uint32_t i = 1; i <= syncs_.size(); ++i) {
        for (auto& m : sync(i).TakeMessages()) {
          any = true;
          if (down_.count(m.to) || down_.count(i)) continue;
          // Through JSON text, as over the channel.
          json::value v = json::parse(json::serialize(m.body));
          sync(m.to).OnMessage(i, v.as_object());
        }
        for (auto& a : sync(i).TakeAnswers()) answers_.push_back(a);
      }
      if (!any) return;
    }
    FAIL() << "message storm";
  }
  std::deque<WriteAnswer>& answers() { return answers_; }
  std::set<uint32_t>& down() { return down_; }
  // A document one edit ahead of node i's.
  std::string Edited(uint32_t i, const std::string& rsc) {
    cib::Document doc = replica(i).doc();
    cib::Resource r;
    r.id = rsc;
    r.kind = cib::ResourceKind::kPrimitive;
    r.agent = cib::AgentSpec{"ocf", "pacemaker", "Dummy"};
    auto applied =
        cib::ApplyEdit(doc, cib::DefineObjects{{cib::ConfigObject{r}}},
                       std::chrono::system_clock::now());
    EXPECT_TRUE(applied.ok()) << applied.status().message();
    return cib::SerializeDocument(doc);
  }

 private:
  TempDir dir_;
  std::vector<std::unique_ptr<CibReplica>> replicas_;
  std::vector<std::unique_ptr<CibSync>> syncs_;
  std::deque<WriteAnswer> answers_;
  std::set<uint32_t> down_;
};

bool Ok(const WriteAnswer& a) { return a.body.at("ok").as_bool(); }

TEST(CibSyncTest, NewestDocumentWinsOnANewView) {
  Bus bus(3);
  bus.View(1, {1, 2, 3}, 1);
  bus.Pump();
  ASSERT_TRUE(bus.sync(1).synced());
  // Node 3 was ahead (it kept a newer configuration while away).
  bus.View(2, {1, 2}, 1);
  bus.sync(3).OnView(0, {}, 0);
  std::string newer = bus.Edited(3, "d3");
  auto doc = cib::ParseDocument(newer);
  ASSERT_TRUE(doc.ok());
  ASSERT_TRUE(*bus.replica(3).Adopt(*doc));
  bus.View(3, {1, 2, 3}, 1);
  bus.Pump();
  EXPECT_TRUE(bus.sync(1).synced());
  for (uint32_t i = 1; i <= 3; ++i) {
    EXPECT_NE(bus.replica(i).doc().config.FindResource("d3"), nullptr) << i;
    EXPECT_EQ(bus.replica(i).versions(), bus.replica(3).versions()) << i;
  }
}

TEST(CibSyncTest, WritesAreAnsweredAfterEveryMemberHasThem) {
  Bus bus(3);
  bus.View(1, {1, 2, 3}, 1);
  bus.Pump();
  // From the DC.
  bus.sync(1).Write(7, bus.replica(1).versions(), bus.Edited(1, "a"));
  EXPECT_TRUE(bus.answers().empty()) << "answered before the members acked";
  bus.Pump();
  ASSERT_EQ(bus.answers().size(), 1u);
  EXPECT_EQ(bus.answers()[0].request, 7u);
  EXPECT_TRUE(Ok(bus.answers()[0]));
  bus.answers().clear();
  // Forwarded from a member.
  bus.sync(2).Write(9, bus.replica(2).versions(), bus.Edited(2, "b"));
  bus.Pump();
  ASSERT_EQ(bus.answers().size(), 1u);
  EXPECT_EQ(bus.answers()[0].request, 9u);
  EXPECT_TRUE(Ok(bus.answers()[0])) << json::serialize(bus.answers()[0].body);
  for (uint32_t i = 1; i <= 3; ++i) {
    EXPECT_NE(bus.replica(i).doc().config.FindResource("b"), nullptr) << i;
  }
}

TEST(CibSyncTest, ConcurrentWriteLosesWithConflictAndChangesNothing) {
  Bus bus(2);
  bus.View(1, {1, 2}, 1);
  bus.Pump();
  cib::Versions base = bus.replica(2).versions();
  std::string mine = bus.Edited(2, "mine");
  bus.sync(1).Write(1, bus.replica(1).versions(), bus.Edited(1, "theirs"));
  bus.Pump();
  bus.sync(2).Write(2, base, mine);
  bus.Pump();
  ASSERT_EQ(bus.answers().size(), 2u);
  EXPECT_FALSE(Ok(bus.answers()[1]));
  EXPECT_EQ(bus.answers()[1].body.at("code").as_string(), "conflict");
  EXPECT_EQ(bus.replica(1).doc().config.FindResource("mine"), nullptr);
  EXPECT_EQ(bus.replica(2).doc().config.FindResource("mine"), nullptr);
}

// A write that arrives while the members are still catching up with the
// previous one waits for them instead of being refused.
TEST(CibSyncTest, WriteWaitsWhileMembersCatchUp) {
  Bus bus(3);
  bus.View(1, {1, 2, 3}, 1);
  bus.Pump();
  bus.sync(1).Write(1, bus.replica(1).versions(), bus.Edited(1, "first"));
  // Not pumped: the members have not acknowledged yet.
  EXPECT_FALSE(bus.sync(1).synced());
  bus.sync(1).Write(2, bus.replica(1).versions(), bus.Edited(1, "second"));
  EXPECT_TRUE(bus.sync(1).TakeAnswers().empty()) << "queued, not refused";
  bus.Pump();
  ASSERT_EQ(bus.answers().size(), 2u);
  EXPECT_TRUE(Ok(bus.answers()[0]));
  EXPECT_TRUE(Ok(bus.answers()[1])) << json::serialize(bus.answers()[1].body);
  for (uint32_t i = 1; i <= 3; ++i) {
    EXPECT_NE(bus.replica(i).doc().config.FindResource("second"), nullptr);
  }
}

// Two writes waiting behind a third: each is taken in turn once the
// members caught up (the queue once re-queued a write it took, so two
// waiting writes took turns forever and the DC hung).
TEST(CibSyncTest, SeveralQueuedWritesAreEachAnswered) {
  Bus bus(3);
  bus.View(1, {1, 2, 3}, 1);
  bus.Pump();
  bus.sync(1).Write(1, bus.replica(1).versions(), bus.Edited(1, "first"));
  EXPECT_FALSE(bus.sync(1).synced());
  cib::Versions base = bus.replica(1).versions();
  bus.sync(1).Write(2, base, bus.Edited(1, "second"));
  bus.sync(1).Write(3, base, bus.Edited(1, "third"));
  EXPECT_TRUE(bus.sync(1).TakeAnswers().empty()) << "queued, not refused";
  bus.Pump();
  ASSERT_EQ(bus.answers().size(), 3u);
  EXPECT_TRUE(Ok(bus.answers()[0]));
  EXPECT_TRUE(Ok(bus.answers()[1])) << json::serialize(bus.answers()[1].body);
  // Made from the same version as the second: a conflict, not a hang.
  EXPECT_FALSE(Ok(bus.answers()[2]));
  EXPECT_EQ(bus.answers()[2].body.at("code"), "conflict");
  for (uint32_t i = 1; i <= 3; ++i) {
    EXPECT_NE(bus.replica(i).doc().config.FindResource("second"), nullptr);
    EXPECT_EQ(bus.replica(i).doc().config.FindResource("third"), nullptr);
  }
}

TEST(CibSyncTest, RefusedWithoutQuorumAndWithoutDc) {
  Bus bus(2);
  bus.View(1, {1, 2}, 1);
  bus.Pump();
  bus.sync(1).SetWriteBlocker("the partition has no quorum");
  cib::Versions before = bus.replica(1).versions();
  bus.sync(2).Write(5, before, bus.Edited(2, "x"));
  bus.Pump();
  ASSERT_EQ(bus.answers().size(), 1u);
  EXPECT_EQ(bus.answers()[0].body.at("code").as_string(), "unavailable");
  EXPECT_NE(
      std::string(bus.answers()[0].body.at("error").as_string()).find("quorum"),
      std::string::npos);
  EXPECT_EQ(bus.replica(1).versions(), before);
  bus.sync(2).OnView(0, {}, 0);
  bus.sync(2).Write(6, before, bus.Edited(2, "y"));
  ASSERT_EQ(bus.sync(2).TakeAnswers().size(), 1u);
}

TEST(CibSyncTest, MemberLeavingDoesNotBlockAWrite) {
  Bus bus(3);
  bus.View(1, {1, 2, 3}, 1);
  bus.Pump();
  bus.down().insert(3);  // node 3 dies: its ack never comes
  bus.sync(1).Write(4, bus.replica(1).versions(), bus.Edited(1, "z"));
  bus.Pump();
  EXPECT_TRUE(bus.answers().empty());
  bus.View(2, {1, 2}, 1);  // membership removes it
  bus.Pump();
  ASSERT_EQ(bus.answers().size(), 1u);
  EXPECT_TRUE(Ok(bus.answers()[0]));
}

TEST(CibSyncTest, ForwardedWriteFailsClearlyWhenTheDcChanges) {
  Bus bus(3);
  bus.View(1, {1, 2, 3}, 1);
  bus.Pump();
  bus.down().insert(1);
  bus.sync(2).Write(8, bus.replica(2).versions(), bus.Edited(2, "w"));
  bus.Pump();
  bus.View(2, {2, 3}, 2);
  bus.Pump();
  ASSERT_EQ(bus.answers().size(), 1u);
  EXPECT_EQ(bus.answers()[0].body.at("code").as_string(), "unavailable");
  EXPECT_NE(std::string(bus.answers()[0].body.at("error").as_string())
                .find("may or may not"),
            std::string::npos);
}

}  // namespace
}  // namespace paceline::crmd
