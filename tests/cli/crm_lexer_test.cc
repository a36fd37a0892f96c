// The crm text lexer: statements, quotes, continuations, comments, and the
// argv cleanup that lets the talk's pasted commands work verbatim.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/crm/lexer.h"

namespace paceline::cli::crm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<Statement> SplitOk(std::string_view text) {
  auto result = SplitStatements(text);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? *result : std::vector<Statement>{};
}

TEST(CrmLexerTest, OneStatementPerLine) {
  auto st = SplitOk("group g a b\norder o inf: a b\n");
  ASSERT_EQ(st.size(), 2u);
  EXPECT_THAT(st[0].tokens, ElementsAre("group", "g", "a", "b"));
  EXPECT_EQ(st[0].line, 1);
  EXPECT_THAT(st[1].tokens, ElementsAre("order", "o", "inf:", "a", "b"));
  EXPECT_EQ(st[1].line, 2);
}

TEST(CrmLexerTest, BackslashContinuesWithTrailingBlanksAndCrlf) {
  // The talk's text has "\  " at line ends; a paste from a web page adds CR.
  auto st = SplitOk(
      "primitive drbd_pg ocf:linbit:drbd \\  \r\n"
      "  params drbd_resource=\"pg\" \\\t\r\n"
      "\top monitor interval=\"15\"\r\n"
      "group g a\r\n");
  ASSERT_EQ(st.size(), 2u);
  EXPECT_THAT(st[0].tokens,
              ElementsAre("primitive", "drbd_pg", "ocf:linbit:drbd", "params",
                          "drbd_resource=pg", "op", "monitor", "interval=15"));
  EXPECT_EQ(st[1].line, 4);
}

TEST(CrmLexerTest, BlankLinesAndCommentsSeparateNothing) {
  auto st = SplitOk(
      "# a comment line\n"
      "\n"
      "   \t\n"
      "node n1 # trailing comment\n"
      "#another\n"
      "node n2\n");
  ASSERT_EQ(st.size(), 2u);
  EXPECT_THAT(st[0].tokens, ElementsAre("node", "n1"));
  EXPECT_EQ(st[0].line, 4);
  EXPECT_THAT(st[1].tokens, ElementsAre("node", "n2"));
  EXPECT_EQ(st[1].line, 6);
}

TEST(CrmLexerTest, HashWordInsideStatementIsANodeAttribute) {
  auto st = SplitOk("location l r rule inf: #uname eq n1 # why\n");
  ASSERT_EQ(st.size(), 1u);
  EXPECT_THAT(st[0].tokens, ElementsAre("location", "l", "r", "rule",
                                        "inf:", "#uname", "eq", "n1"));
}

TEST(CrmLexerTest, CommentLineInsideAContinuedStatementIsSkipped) {
  auto st = SplitOk(
      "primitive p lsb:x \\\n"
      "#\tparams old=1 \\\n"
      "  # meta also-old=1\n"
      "  params a=1\n"
      "node n1\n");
  ASSERT_EQ(st.size(), 2u);
  EXPECT_THAT(st[0].tokens,
              ElementsAre("primitive", "p", "lsb:x", "params", "a=1"));
  EXPECT_THAT(st[1].tokens, ElementsAre("node", "n1"));
}

TEST(CrmLexerTest, HashInsideATokenIsText) {
  auto st = SplitOk("property a=x#y b=\"#z\"\n");
  ASSERT_EQ(st.size(), 1u);
  EXPECT_THAT(st[0].tokens, ElementsAre("property", "a=x#y", "b=#z"));
}

TEST(CrmLexerTest, QuotesGroupAndEscape) {
  auto st = SplitOk(R"(primitive p ocf:a:b params a="x y" b='single "q" \n' )"
                    R"(c="esc \" and \\ and \n" d="" e=pre"mid"post "" f=)");
  ASSERT_EQ(st.size(), 1u);
  EXPECT_THAT(st[0].tokens,
              ElementsAre("primitive", "p", "ocf:a:b", "params", "a=x y",
                          "b=single \"q\" \\n", "c=esc \" and \\ and \\n",
                          "d=", "e=premidpost", "", "f="));
}

TEST(CrmLexerTest, QuotedValueMaySpanLines) {
  auto st = SplitOk("property motd=\"line one\nline two\"\nnode n1\n");
  ASSERT_EQ(st.size(), 2u);
  EXPECT_THAT(st[0].tokens, ElementsAre("property", "motd=line one\nline two"));
  EXPECT_EQ(st[1].line, 3);
}

TEST(CrmLexerTest, UnicodeAndTabsPassThrough) {
  auto st = SplitOk("property\tnote=\"Zürich ☃\"\tx=ü\n");
  ASSERT_EQ(st.size(), 1u);
  EXPECT_THAT(st[0].tokens, ElementsAre("property", "note=Zürich ☃", "x=ü"));
}

TEST(CrmLexerTest, BackslashInsideAWordIsLiteral) {
  auto st = SplitOk("property path=C:\\dir\\x \\\n  y=1\n");
  ASSERT_EQ(st.size(), 1u);
  EXPECT_THAT(st[0].tokens, ElementsAre("property", "path=C:\\dir\\x", "y=1"));
}

TEST(CrmLexerTest, ContinuationAtEndOfTextIsHarmless) {
  auto st = SplitOk("node n1 \\");
  ASSERT_EQ(st.size(), 1u);
  EXPECT_THAT(st[0].tokens, ElementsAre("node", "n1"));
}

TEST(CrmLexerTest, BlankLineEndsAContinuedStatement) {
  auto st = SplitOk("node n1 \\\n\nnode n2\n");
  ASSERT_EQ(st.size(), 2u);
  EXPECT_THAT(st[1].tokens, ElementsAre("node", "n2"));
}

TEST(CrmLexerTest, EmptyTextHasNoStatements) {
  EXPECT_TRUE(SplitOk("").empty());
  EXPECT_TRUE(SplitOk("\n\n# only a comment\n").empty());
}

TEST(CrmLexerTest, UnbalancedDoubleQuoteNamesTheLine) {
  auto result = SplitStatements("node n1\nproperty a=\"oops\nnode n2\n");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kSyntax);
  EXPECT_THAT(result.status().message(), HasSubstr("line 2"));
  EXPECT_THAT(result.status().message(), HasSubstr("double quote"));
}

TEST(CrmLexerTest, UnbalancedSingleQuoteNamesTheLine) {
  auto result = SplitStatements("\n\nproperty a='x");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kSyntax);
  EXPECT_THAT(result.status().message(), HasSubstr("line 3"));
  EXPECT_THAT(result.status().message(), HasSubstr("single quote"));
}

TEST(CrmLexerTest, CleanArgvDropsStrayContinuations) {
  std::vector<std::string> words = {
      "configure", "primitive", "p",       "ocf:a:b", "\\",
      "params",    "a=1",       "\\ ",     "  ",      "",
      "\\\t\n",    "op",        "monitor", "\\x",     "b=\\"};
  EXPECT_THAT(CleanArgv(words),
              ElementsAre("configure", "primitive", "p", "ocf:a:b", "params",
                          "a=1", "op", "monitor", "\\x", "b=\\"));
}

TEST(CrmLexerTest, CleanArgvKeepsWordsExactly) {
  std::vector<std::string> words = {"property", "motd= padded ", "x=\"q\""};
  EXPECT_EQ(CleanArgv(words), words);
}

}  // namespace
}  // namespace paceline::cli::crm
