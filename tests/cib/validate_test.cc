// Validation beyond what the edit tests cover: names the syntax cannot
// carry, promotable consistency, reserved ids, agent warnings.
#include "cib/validate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace paceline::cib {
namespace {

Configuration OnePrimitive() {
  Configuration c;
  Resource r;
  r.id = "p";
  r.agent = *ParseAgentSpec("ocf:heartbeat:IPAddr2");
  c.resources.push_back(r);
  return c;
}

TEST(ValidateTest, AttributeNamesTheSyntaxCannotCarryAreRefused) {
  for (const char* bad : {"", "a b", "a=b", "$id", "set:", "q\"uote"}) {
    Configuration c = OnePrimitive();
    c.resources[0].params.Set(bad, "x");
    Status s = Validate(c);
    EXPECT_EQ(s.code(), StatusCode::kSyntax) << bad;
    EXPECT_NE(s.message().find("invalid attribute name"), std::string::npos)
        << s.message();
  }
  Configuration c = OnePrimitive();
  c.resources[0].ops.push_back({"monitor", {{"name", "x"}}});
  EXPECT_EQ(Validate(c).code(), StatusCode::kSyntax);
  c = OnePrimitive();
  c.properties.Set("bad name", "1");
  EXPECT_EQ(Validate(c).code(), StatusCode::kSyntax);
}

TEST(ValidateTest, PromotableMustMatchHowTheCloneIsWritten) {
  Configuration c = OnePrimitive();
  Resource clone;
  clone.id = "cl";
  clone.kind = ResourceKind::kClone;
  clone.children = {"p"};
  clone.promotable = true;  // but neither ms nor meta promotable=true
  c.resources.push_back(clone);
  EXPECT_EQ(Validate(c).code(), StatusCode::kInvalid);
  c.resources[1].meta.Set("promotable", "yes");
  EXPECT_TRUE(Validate(c).ok());
  c.resources[1].promotable = false;
  EXPECT_EQ(Validate(c).code(), StatusCode::kInvalid);
  c.resources[1].meta = {};
  c.resources[1].ms_syntax = true;  // ms that is not promotable
  EXPECT_EQ(Validate(c).code(), StatusCode::kInvalid);
}

TEST(ValidateTest, KeywordsAreNotIds) {
  EXPECT_TRUE(IsValidId("pg_fs"));
  EXPECT_TRUE(IsValidId("_x.y-z"));
  for (const char* bad :
       {"", "1p", "a:b", "a b", "params", "META", "op", "rule"}) {
    EXPECT_FALSE(IsValidId(bad)) << bad;
  }
}

TEST(ValidateTest, MissingAgentIsAWarningWithASuggestion) {
  char tmpl[] = "/tmp/paceline-ocf-XXXXXX";
  std::string root = mkdtemp(tmpl);
  std::filesystem::create_directories(root + "/resource.d/heartbeat");
  std::ofstream(root + "/resource.d/heartbeat/IPaddr2") << "#!/bin/sh\n";
  CheckOptions options;
  options.ocf_root = root;
  auto problems = Check(OnePrimitive(), options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_FALSE(problems[0].error);
  EXPECT_NE(problems[0].message.find("did you mean IPaddr2?"),
            std::string::npos)
      << problems[0].message;
  EXPECT_TRUE(Validate(OnePrimitive()).ok());  // warnings never refuse
  std::filesystem::remove_all(root);
}

TEST(ValidateTest, CheckListsEveryProblem) {
  Configuration c = OnePrimitive();
  c.resources[0].meta.Set("target-role", "Sleeping");
  c.resources[0].meta.Set("is-managed", "maybe");
  c.constraints.push_back(Colocation{.id = "c", .rsc = "p", .with_rsc = "x"});
  auto problems = Check(c);
  int errors = 0;
  for (const auto& p : problems) errors += p.error;
  EXPECT_EQ(errors, 3);
}

}  // namespace
}  // namespace paceline::cib
