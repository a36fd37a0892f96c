#include "agents/result.h"

#include <gtest/gtest.h>

namespace paceline::agents {
namespace {

TEST(ResultTest, OcfMeanings) {
  EXPECT_EQ(OcfRcMeaning(0), "ok");
  EXPECT_EQ(OcfRcMeaning(5), "not installed");
  EXPECT_EQ(OcfRcMeaning(7), "not running");
  EXPECT_EQ(OcfRcMeaning(8), "running promoted");
  EXPECT_EQ(OcfRcMeaning(9), "failed promoted");
  EXPECT_EQ(OcfRcMeaning(42), "unknown rc 42");
}

TEST(ResultTest, LsbStatusMapping) {
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "monitor", 0), 0);
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "monitor", 3), 7);
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "monitor", 1), 7);
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "status", 2), 7);
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "monitor", 4), 1);
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "monitor", 151), 5);
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "monitor", 152), 4);
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "start", 0), 0);
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "start", 5), 5);
  EXPECT_EQ(MapExitCode(AgentClass::kLsb, "stop", 150), 1);
  // OCF codes pass through untouched, including promoted ones.
  EXPECT_EQ(MapExitCode(AgentClass::kOcf, "monitor", 8), 8);
  EXPECT_EQ(MapExitCode(AgentClass::kOcf, "monitor", 3), 3);
}

TEST(ResultTest, BoundedOutputKeepsHeadAndTail) {
  BoundedOutput out(10, 10);
  out.Append("0123456789");
  out.Append("abcdefghij");
  EXPECT_EQ(out.Text(), "0123456789abcdefghij");
  out.Append("KLMNOPQRSTUVWXYZ");
  EXPECT_EQ(out.total_bytes(), 36u);
  EXPECT_EQ(out.omitted_bytes(), 16u);
  EXPECT_EQ(out.Text(), "0123456789\n[... 16 bytes omitted ...]\nQRSTUVWXYZ");
}

TEST(ResultTest, BoundedOutputManySmallAppends) {
  BoundedOutput out(4, 4);
  for (int i = 0; i < 1000; ++i) out.Append(std::string(1, char('a' + i % 26)));
  EXPECT_EQ(out.total_bytes(), 1000u);
  EXPECT_EQ(out.Text().substr(0, 4), "abcd");
  // i = 996..999 -> 996%26=8 'i', 'j', 'k', 'l'
  EXPECT_EQ(out.Text().substr(out.Text().size() - 4), "ijkl");
}

TEST(ResultTest, LastLineAndExitReason) {
  BoundedOutput out;
  out.Append("starting\nocf-exit-reason:Setup problem: no state dir\n");
  out.Append("last words\n\n");
  EXPECT_EQ(out.LastLine(), "last words");
  EXPECT_EQ(out.ExitReason(), "Setup problem: no state dir");
  BoundedOutput empty;
  EXPECT_EQ(empty.LastLine(), "");
  EXPECT_EQ(empty.ExitReason(), "");
}

TEST(ResultTest, Describe) {
  ActionResult r;
  r.rc = 7;
  r.status = ExecStatus::kDone;
  EXPECT_EQ(Describe(r), "rc=7 (not running)");
  r.rc = 1;
  r.status = ExecStatus::kTimedOut;
  EXPECT_EQ(Describe(r), "rc=1 (timed out)");
}

}  // namespace
}  // namespace paceline::agents
