// crm_attribute / crm_master shims: what agents call to publish promotion
// scores reaches the node attributes of the CIB file; and the real
// ocf:pacemaker:Stateful, run by `paceline agent exec`, publishes through
// them (5 when started, 10 when promoted, none when stopped).
#include <gtest/gtest.h>

#include "cib/store.h"
#include "run_util.h"

namespace paceline::testing {
namespace {

class AttributeShimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cib_ = dir_.File("cib.yaml");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"configure", "node", "1:", "n1"},
          {"configure", "primitive", "stateful", "ocf:pacemaker:Stateful"},
          {"configure", "ms", "ms_s", "stateful"}}) {
      std::vector<std::string> full{"--cib", cib_};
      full.insert(full.end(), args.begin(), args.end());
      ASSERT_EQ(RunCommand("crm", full).exit_code, 0);
    }
    RunResult up = RunCommand(
        "paceline", {"simulate", "--cib", cib_, "--node-up", "n1", "--save"});
    ASSERT_EQ(up.exit_code, 0) << up.err;
  }

  RunResult Shim(const std::string& name, std::vector<std::string> args) {
    return RunCommand("sbin/" + name, args,
                      {{"PACELINE_CIB", cib_},
                       {"OCF_RESOURCE_INSTANCE", "stateful:0"},
                       {"OCF_RESKEY_CRM_meta_on_node", "n1"}});
  }

  std::string Transient(const std::string& name) {
    auto doc = cib::CibStore(cib_).Load();
    if (!doc.ok()) return "<" + doc.status().message() + ">";
    const auto* node = doc->status.FindNode("n1");
    const std::string* v = node ? node->attributes.Get(name) : nullptr;
    return v ? *v : "<none>";
  }

  TempDir dir_;
  std::string cib_;
};

TEST_F(AttributeShimTest, PromotionScoresLandInTheStatus) {
  EXPECT_EQ(Shim("crm_attribute", {"--promotion", "-v", "5"}).exit_code, 0);
  EXPECT_EQ(Transient("master-stateful"), "5");  // instance suffix dropped
  RunResult q = Shim("crm_attribute", {"--promotion", "-G", "-q"});
  EXPECT_EQ(q.exit_code, 0);
  EXPECT_EQ(q.out, "5\n");
  EXPECT_EQ(Shim("crm_master", {"-l", "reboot", "-v", "10000"}).exit_code, 0);
  EXPECT_EQ(Transient("master-stateful"), "10000");
  EXPECT_EQ(Shim("crm_attribute", {"-p", "-D"}).exit_code, 0);
  EXPECT_EQ(Transient("master-stateful"), "<none>");
  q = Shim("crm_master", {"-G", "-q"});
  EXPECT_EQ(q.exit_code, 105) << q.err;  // Pacemaker's "no such attribute"
}

TEST_F(AttributeShimTest, PermanentAttributesGoToTheConfiguration) {
  EXPECT_EQ(Shim("crm_attribute",
                 {"-N", "n1", "-n", "rack", "-v", "r7", "-l", "forever"})
                .exit_code,
            0);
  RunResult r = RunCommand(
      "crm", {"--cib", cib_, "node", "attribute", "n1", "show", "rack"});
  EXPECT_NE(r.out.find("value=r7"), std::string::npos) << r.out << r.err;
}

TEST_F(AttributeShimTest, BadUsageIsRefused) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--promotion"},  // no action
        {"--promotion", "-v", "1", "-D"},         // two actions
        {"--frobnicate"},                         // unknown option
        {"-n", "x", "-v"}}) {                     // missing value
    RunResult r = Shim("crm_attribute", args);
    EXPECT_EQ(r.exit_code, 64) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(AttributeShimTest, TheRealStatefulAgentPublishesItsScore) {
  auto exec = [&](const std::string& action) {
    return RunCommand("paceline",
                      {"agent", "exec", "ocf:pacemaker:Stateful", action,
                       "state=" + dir_.File("stateful.state"), "--node", "n1",
                       "--id", "stateful:0", "--env", "PACELINE_CIB=" + cib_,
                       "--run-dir", dir_.File("run")});
  };
  EXPECT_EQ(exec("start").exit_code, 0);
  EXPECT_EQ(Transient("master-stateful"), "5");
  EXPECT_EQ(exec("promote").exit_code, 0);
  EXPECT_EQ(Transient("master-stateful"), "10");
  EXPECT_EQ(exec("monitor").exit_code, 8);
  EXPECT_EQ(exec("demote").exit_code, 0);
  EXPECT_EQ(Transient("master-stateful"), "5");
  EXPECT_EQ(exec("stop").exit_code, 0);
  EXPECT_EQ(Transient("master-stateful"), "<none>");
}

}  // namespace
}  // namespace paceline::testing
