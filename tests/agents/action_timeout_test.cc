// The timeout an action runs with: op > (probe: shortest recurring
// monitor) > op_defaults > agent meta-data advice > 20 s.
#include "agents/action_timeout.h"

#include <gtest/gtest.h>

namespace paceline::agents {
namespace {

using std::chrono::seconds;

// drbd-like advice: unitless timeouts, role-specific monitors.
constexpr const char* kAdvice = R"(<?xml version="1.0"?>
<resource-agent name="Advice">
<actions>
<action name="start" timeout="240" />
<action name="stop" timeout="100" />
<action name="monitor" timeout="20" interval="20" role="Slave" />
<action name="monitor" timeout="30s" interval="10s" role="Master" />
<action name="validate-all" />
</actions>
</resource-agent>)";

cib::Resource Primitive(std::vector<cib::Operation> ops) {
  cib::Resource r;
  r.id = "rsc";
  r.agent = *cib::ParseAgentSpec("ocf:linbit:drbd");
  r.ops = std::move(ops);
  return r;
}

ChosenTimeout Choose(const cib::Resource& r, const cib::Attributes& defaults,
                     const AgentMetadata* md, std::string_view action,
                     long long interval_s = 0, std::string_view role = "") {
  auto c = ChooseTimeout(r, defaults, md, action, seconds(interval_s), role);
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? *c : ChosenTimeout{};
}

TEST(ActionTimeoutTest, PrecedenceFromOpToBuiltin) {
  auto md = ParseMetadata(kAdvice);
  ASSERT_TRUE(md.ok());
  cib::Resource r =
      Primitive({{"start", {{"interval", "0"}, {"timeout", "90s"}}},
                 {"monitor", {{"interval", "15"}, {"timeout", "25"}}},
                 {"monitor", {{"interval", "60s"}, {"timeout", "50s"}}}});
  cib::Attributes defaults{{"timeout", "45s"}};
  // 1. the op's own timeout.
  ChosenTimeout start = Choose(r, defaults, &*md, "start");
  EXPECT_EQ(start.timeout, seconds(90));
  EXPECT_EQ(start.source, TimeoutSource::kOperation);
  EXPECT_EQ(Choose(r, defaults, &*md, "monitor", 60).timeout, seconds(50));
  // 2. a probe borrows the shortest recurring monitor's, over op_defaults.
  ChosenTimeout probe = Choose(r, defaults, &*md, "monitor", 0);
  EXPECT_EQ(probe.timeout, seconds(25));
  EXPECT_EQ(probe.source, TimeoutSource::kShortestMonitor);
  // 3. op_defaults over the agent's advice.
  ChosenTimeout stop = Choose(r, defaults, &*md, "stop");
  EXPECT_EQ(stop.timeout, seconds(45));
  EXPECT_EQ(stop.source, TimeoutSource::kOpDefaults);
  // 4. the agent's advice (unitless seconds), by role for monitors.
  ChosenTimeout advised = Choose(r, {}, &*md, "stop");
  EXPECT_EQ(advised.timeout, seconds(100));
  EXPECT_EQ(advised.source, TimeoutSource::kAgentMetadata);
  EXPECT_EQ(Choose(r, {}, &*md, "monitor", 10, "Promoted").timeout,
            seconds(30));
  EXPECT_EQ(Choose(r, {}, &*md, "monitor", 20, "Unpromoted").timeout,
            seconds(20));
  // 5. nothing advised (validate-all has no timeout), or no meta-data.
  ChosenTimeout none = Choose(r, {}, &*md, "validate-all");
  EXPECT_EQ(none.timeout, kBuiltinTimeout);
  EXPECT_EQ(none.source, TimeoutSource::kBuiltin);
  EXPECT_EQ(Choose(r, {}, nullptr, "stop").timeout, seconds(20));
}

TEST(ActionTimeoutTest, OpWithoutTimeoutDisabledOpsAndRoles) {
  auto md = ParseMetadata(kAdvice);
  ASSERT_TRUE(md.ok());
  cib::Resource r = Primitive(
      {{"start", {{"interval", "0"}}},  // no timeout: falls through
       {"monitor", {{"interval", "5s"}, {"timeout", "9s"}, {"enabled", "0"}}},
       {"monitor",
        {{"interval", "10s"}, {"timeout", "11s"}, {"role", "Master"}}}});
  EXPECT_EQ(Choose(r, {}, &*md, "start").timeout, seconds(240));
  // The disabled 5 s monitor is not the probe's model; the 10 s one is.
  EXPECT_EQ(Choose(r, {}, &*md, "monitor", 0).timeout, seconds(11));
  // A role-specific request matches the op of that role ("Master" is the
  // old spelling of Promoted) and not others.
  EXPECT_EQ(Choose(r, {}, &*md, "monitor", 10, "Promoted").source,
            TimeoutSource::kOperation);
  EXPECT_EQ(Choose(r, {}, &*md, "monitor", 10, "Unpromoted").source,
            TimeoutSource::kAgentMetadata);
}

TEST(ActionTimeoutTest, BadValuesNameTheOp) {
  cib::Resource r = Primitive({{"start", {{"timeout", "soon"}}}});
  auto c = ChooseTimeout(r, {}, nullptr, "start", seconds(0));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("op start"), std::string::npos)
      << c.status().message();
  EXPECT_NE(c.status().message().find("soon"), std::string::npos);
  auto d = ChooseTimeout(Primitive({}), {{"timeout", "x"}}, nullptr, "stop",
                         seconds(0));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("op_defaults"), std::string::npos);
  EXPECT_EQ(TimeoutSourceName(TimeoutSource::kAgentMetadata),
            "agent meta-data");
}

TEST(ActionTimeoutTest, CheckOpTimeoutsLikeCrmsh) {
  auto md = ParseMetadata(kAdvice);
  ASSERT_TRUE(md.ok());
  cib::Resource r = Primitive(
      {{"start", {{"interval", "0"}, {"timeout", "30"}}},
       {"monitor", {{"interval", "10s"}, {"role", "Master"}}},
       {"monitor", {{"interval", "20s"}, {"role", "Slave"}, {"timeout", "5s"}}},
       {"promote", {{"timeout", "1s"}, {"enabled", "false"}}}});
  // No op_defaults: the promoted monitor and stop take the advice.
  std::vector<std::string> want = {
      "op start: timeout 30s is smaller than the 240s the agent advises",
      "op monitor: timeout 5s is smaller than the 20s the agent advises"};
  EXPECT_EQ(CheckOpTimeouts(r, {}, *md), want);
  // A small op_defaults reaches the ops without their own timeout, and
  // stop, which always runs.
  want = {"op start: timeout 30s is smaller than the 240s the agent advises",
          "op monitor: op_defaults timeout 10s is smaller than the 30s the "
          "agent advises",
          "op monitor: timeout 5s is smaller than the 20s the agent advises",
          "op stop: op_defaults timeout 10s is smaller than the 100s the "
          "agent advises"};
  EXPECT_EQ(CheckOpTimeouts(r, {{"timeout", "10s"}}, *md), want);
  EXPECT_EQ(FormatTimeout(std::chrono::milliseconds(1500)), "1500ms");
}

}  // namespace
}  // namespace paceline::agents
