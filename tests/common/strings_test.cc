#include "common/strings.h"

#include <gtest/gtest.h>

#include "common/status.h"

namespace paceline {
namespace {

TEST(StringsTest, ParseInt64AcceptsSignsAndRejectsJunk) {
  long long v = 0;
  EXPECT_TRUE(ParseInt64("42", &v));
  EXPECT_EQ(v, 42);
  EXPECT_TRUE(ParseInt64("+7", &v));
  EXPECT_EQ(v, 7);
  EXPECT_TRUE(ParseInt64("-100", &v));
  EXPECT_EQ(v, -100);
  for (const char* bad :
       {"", "+", "-", "+-1", "1x", " 1", "99999999999999999999"}) {
    EXPECT_FALSE(ParseInt64(bad, &v)) << bad;
  }
}

TEST(StringsTest, ParseBoolKnowsPacemakerSpellings) {
  bool b = false;
  for (const char* t : {"true", "TRUE", "yes", "on", "y", "1"}) {
    ASSERT_TRUE(ParseBool(t, &b)) << t;
    EXPECT_TRUE(b) << t;
  }
  for (const char* f : {"false", "No", "off", "n", "0"}) {
    ASSERT_TRUE(ParseBool(f, &b)) << f;
    EXPECT_FALSE(b) << f;
  }
  EXPECT_FALSE(ParseBool("maybe", &b));
}

TEST(StringsTest, SplitKeepsEmptyFields) {
  EXPECT_EQ(Split("a::b", ':'), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Split("", ':'), (std::vector<std::string>{""}));
}

TEST(StatusTest, ExitCodesFollowTheContract) {
  EXPECT_EQ(Status::Ok().ExitCode(), 0);
  EXPECT_EQ(Status::Syntax("x").ExitCode(), 2);
  EXPECT_EQ(Status::Invalid("x").ExitCode(), 1);
  EXPECT_EQ(Status::Conflict("x").ExitCode(), 1);
  EXPECT_EQ(Status::Io("x").ExitCode(), 1);
  EXPECT_EQ(Status::Syntax("bad").WithContext("ctx").message(), "ctx: bad");
  EXPECT_TRUE(Status::Ok().WithContext("ctx").ok());
}

}  // namespace
}  // namespace paceline
