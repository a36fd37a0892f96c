// Lrm with the real executor and the real ocf:pacemaker:Dummy and Stateful
// agents (each test has its own HA_RSCTMP/HA_VARRUN): probes, the start /
// monitor / stop life cycle, a promotable instance, a failed start (fail
// count INFINITY), a recurring monitor noticing the resource died (fail
// count 1, on_change called), cleanup.
#include "crmd/lrm.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>

#include "agents/executor.h"
#include "cib/store.h"
#include "crmd/executor_runner.h"
#include "tests/cli/run_util.h"

namespace paceline::crmd {
namespace {

using paceline::testing::TempDir;

class LrmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("rsctmp"));
    std::filesystem::create_directories(dir_.File("varrun"));
    agents::NodeContext node;
    node.node_name = "n1";
    node.ha_rsctmp = dir_.File("rsctmp");
    node.ha_varrun = dir_.File("varrun") + "/";
    executor_ = std::make_unique<agents::Executor>(io_, node);
    runner_ = std::make_unique<ExecutorRunner>(*executor_);
    lrm_ = std::make_unique<Lrm>(*runner_, "n1", [this] { ++changes_; });
    auto doc = cib::ParseDocument(Yaml());
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    config_ = doc->config;
    lrm_->SetConfig(&config_);
  }

  // pacemaker:Dummy fails a start when fail_start_on is this host's name.
  static std::string HostName() {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return name;
  }

  std::string Yaml() {
    return "configuration:\n"
           "  nodes:\n    - name: n1\n"
           "  resources:\n"
           "    - primitive: d1\n      agent: ocf:pacemaker:Dummy\n"
           "      params:\n        state: \"" +
           dir_.File("d1.state") +
           "\"\n"
           "    - primitive: bad\n      agent: ocf:pacemaker:Dummy\n"
           "      params:\n        fail_start_on: \"" +
           HostName() +
           "\"\n"
           "        state: \"" +
           dir_.File("bad.state") +
           "\"\n"
           "    - primitive: s\n      agent: ocf:pacemaker:Stateful\n"
           "    - ms: ms\n      child: s\n";
  }

  ExecOutcome Exec(ExecSpec spec) {
    std::optional<ExecOutcome> out;
    lrm_->Execute(spec, [&](ExecOutcome o) { out = o; });
    for (int i = 0; i < 2000 && !out; ++i) {
      io_.run_one_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(out) << "no result for " << spec.task << " " << spec.instance;
    return out.value_or(ExecOutcome{});
  }

  const cib::ResourceState* State(const std::string& id) {
    states_ = lrm_->States();
    for (const auto& s : states_) {
      if (s.id == id) return &s;
    }
    return nullptr;
  }

  TempDir dir_;
  boost::asio::io_context io_;
  std::unique_ptr<agents::Executor> executor_;
  std::unique_ptr<ExecutorRunner> runner_;
  std::unique_ptr<Lrm> lrm_;
  cib::Configuration config_;
  std::vector<cib::ResourceState> states_;
  int changes_ = 0;
};

TEST_F(LrmTest, ProbesThenStartMonitorStop) {
  bool probed = false;
  lrm_->ProbeAll([&] { probed = true; });
  for (int i = 0; i < 2000 && !probed; ++i) {
    io_.run_one_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(probed);
  ASSERT_NE(State("d1"), nullptr);
  EXPECT_EQ(State("d1")->role, cib::Role::kStopped);
  EXPECT_EQ(State("s")->role, cib::Role::kStopped) << "anonymous clone key";

  EXPECT_TRUE(Exec({"d1", "d1", "start"}).ok);
  EXPECT_EQ(State("d1")->role, cib::Role::kStarted);
  ExecOutcome mon =
      Exec({"d1", "d1", "monitor", 200, 20000, cib::Role::kStarted, {}});
  EXPECT_TRUE(mon.ok) << mon.reason;
  // The resource dies behind our back: the recurring monitor notices.
  std::filesystem::remove(dir_.File("d1.state"));
  for (int i = 0; i < 300 && changes_ == 0; ++i) {
    io_.run_one_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(changes_, 1);
  EXPECT_TRUE(State("d1")->failed);
  EXPECT_EQ(State("d1")->fail_count, cib::Score(1));
  ASSERT_EQ(lrm_->Failures().size(), 1u);
  EXPECT_EQ(lrm_->Failures()[0].action, "monitor");
  EXPECT_EQ(lrm_->Failures()[0].rc, 7);
  lrm_->Cleanup("d1");
  EXPECT_FALSE(State("d1")->failed);
  EXPECT_TRUE(lrm_->Failures().empty());
  EXPECT_TRUE(Exec({"d1", "d1", "stop"}).ok);
  EXPECT_EQ(State("d1")->role, cib::Role::kStopped);
}

TEST_F(LrmTest, FailedStartIsFatal) {
  ExecOutcome out = Exec({"bad", "bad", "start"});
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.rc, 1);
  EXPECT_TRUE(State("bad")->failed);
  EXPECT_TRUE(State("bad")->fail_count.IsInfinity());
  EXPECT_EQ(lrm_->Failures().at(0).action, "start");
}

TEST_F(LrmTest, PromotableInstanceRoles) {
  EXPECT_TRUE(Exec({"s:0", "s", "start"}).ok);
  EXPECT_EQ(State("s")->role, cib::Role::kUnpromoted);
  EXPECT_TRUE(Exec({"s:0", "s", "promote"}).ok);
  EXPECT_EQ(State("s")->role, cib::Role::kPromoted);
  EXPECT_TRUE(
      Exec({"s:0", "s", "monitor", 0, 20000, cib::Role::kUnknown, {}}).ok);
  EXPECT_EQ(State("s")->role, cib::Role::kPromoted) << "probe sees rc 8";
  EXPECT_TRUE(Exec({"s:0", "s", "demote"}).ok);
  EXPECT_TRUE(Exec({"s:0", "s", "stop"}).ok);
  EXPECT_EQ(State("s")->role, cib::Role::kStopped);
}

TEST_F(LrmTest, UnknownPrimitiveIsAClearFailure) {
  ExecOutcome out = Exec({"nope", "nope", "start"});
  EXPECT_FALSE(out.ok);
  EXPECT_NE(out.reason.find("nope"), std::string::npos);
}

}  // namespace
}  // namespace paceline::crmd
