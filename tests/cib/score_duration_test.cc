#include <gtest/gtest.h>

#include "cib/duration.h"
#include "cib/score.h"

namespace paceline::cib {
namespace {

TEST(ScoreTest, ParsesEverySpelling) {
  for (const char* inf : {"inf", "+inf", "INFINITY", "+INFINITY", "Infinity"}) {
    auto s = ParseScore(inf);
    ASSERT_TRUE(s.ok()) << inf;
    EXPECT_TRUE(s->IsInfinity()) << inf;
  }
  for (const char* minus : {"-inf", "-INFINITY", "-infinity"}) {
    auto s = ParseScore(minus);
    ASSERT_TRUE(s.ok()) << minus;
    EXPECT_TRUE(s->IsMinusInfinity()) << minus;
  }
  EXPECT_EQ(ParseScore("100")->value(), 100);
  EXPECT_EQ(ParseScore("-5")->value(), -5);
  EXPECT_TRUE(ParseScore("5000000")->IsInfinity());
  EXPECT_TRUE(ParseScore("-99999999999999999999999")->IsMinusInfinity());
  for (const char* bad : {"", "infinite", "10x", "1.5", "--1", "+"}) {
    auto s = ParseScore(bad);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().code(), StatusCode::kSyntax);
  }
}

TEST(ScoreTest, SaturatesAndMinusInfinityWins) {
  Score inf = Score::Infinity(), minus = Score::MinusInfinity();
  EXPECT_EQ(inf + minus, minus);
  EXPECT_EQ(minus + inf, minus);
  EXPECT_EQ(inf + Score(5), inf);
  EXPECT_EQ(Score(999999) + Score(999999), inf);
  EXPECT_EQ(Score(-999999) + Score(-2), minus);
  EXPECT_EQ(Score(100) + Score(-30), Score(70));
  EXPECT_EQ(inf.ToString(), "INFINITY");
  EXPECT_EQ(minus.ToCrm(), "-inf");
}

TEST(DurationTest, IntervalsInEveryUnit) {
  EXPECT_EQ(ParseInterval("15")->count(), 15000);
  EXPECT_EQ(ParseInterval("15s")->count(), 15000);
  EXPECT_EQ(ParseInterval("500ms")->count(), 500);
  EXPECT_EQ(ParseInterval("1min")->count(), 60000);
  EXPECT_EQ(ParseInterval("1m")->count(), 60000);
  EXPECT_EQ(ParseInterval("2h")->count(), 7200000);
  EXPECT_EQ(ParseInterval("0")->count(), 0);
  EXPECT_EQ(ParseInterval("PT1M30S")->count(), 90000);
  for (const char* bad :
       {"", "s", "15x", "-5", "1.5s", "PT", "P1X", "15 s x"}) {
    EXPECT_FALSE(ParseInterval(bad).ok()) << bad;
  }
}

TEST(DurationTest, IsoDurationsAndTimestamps) {
  EXPECT_EQ(ParseIsoDuration("PT1H")->count(), 3600000);
  EXPECT_EQ(ParseIsoDuration("P1D")->count(), 86400000);
  EXPECT_EQ(ParseIsoDuration("P1DT2H")->count(), (86400 + 7200) * 1000LL);
  EXPECT_FALSE(ParseIsoDuration("1H").ok());
  auto t = ParseTimestamp("2026-11-25T10:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatTimestamp(*t), "2026-11-25T10:00:00Z");
  auto offset = ParseTimestamp("2026-11-25T12:00:00+02:00");
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(*offset, *t);
  for (const char* bad : {"2026-13-01T00:00:00Z", "yesterday", "2026-11-25",
                          "2026-11-25T10:00:00Q"}) {
    EXPECT_FALSE(ParseTimestamp(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace paceline::cib
