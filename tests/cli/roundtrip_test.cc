// Property: `crm configure show` output, fed back command by command (and
// through `configure load`), rebuilds an identical model; and the YAML file
// round-trips too. Over many random configurations.
#include <gtest/gtest.h>

#include "cib/crm_render.h"
#include "cib/edit.h"
#include "cib/store.h"
#include "cib/validate.h"
#include "cli/crm/lexer.h"
#include "cli/crm/parser.h"
#include "random_config.h"
#include "run_util.h"

namespace paceline::testing {
namespace {

const WallTime kNow = *cib::ParseTimestamp("2026-11-25T10:00:00Z");

// Apply each statement as its own `crm configure` command would.
Result<cib::Configuration> Rebuild(const std::string& text) {
  PL_ASSIGN_OR_RETURN(auto statements, cli::crm::SplitStatements(text));
  cib::Document doc;
  for (const auto& st : statements) {
    PL_ASSIGN_OR_RETURN(auto object, cli::crm::ParseConfigObject(st.tokens));
    auto r = cib::ApplyEdit(doc, cib::DefineObjects{{object}}, kNow);
    if (!r.ok()) {
      return r.status().WithContext("line " + std::to_string(st.line));
    }
  }
  return doc.config;
}

TEST(RoundTripTest, GeneratedConfigurationsAreValid) {
  for (unsigned seed = 1; seed <= 300; ++seed) {
    cib::Configuration c = RandomConfig(seed).Make();
    Status s = cib::Validate(c);
    ASSERT_TRUE(s.ok()) << "seed " << seed << ": " << s.message();
  }
}

TEST(RoundTripTest, ShowThenCommandByCommandGivesTheSameModel) {
  for (unsigned seed = 1; seed <= 300; ++seed) {
    cib::Configuration c = RandomConfig(seed).Make();
    std::string text = cib::RenderCrm(c);
    auto rebuilt = Rebuild(text);
    ASSERT_TRUE(rebuilt.ok())
        << "seed " << seed << ": " << rebuilt.status().message() << "\n"
        << text;
    ASSERT_EQ(*rebuilt, c) << "seed " << seed << "\n"
                           << text << "\n---\n"
                           << cib::RenderCrm(*rebuilt);
  }
}

TEST(RoundTripTest, YamlFileRoundTrips) {
  for (unsigned seed = 1; seed <= 300; ++seed) {
    cib::Document doc;
    doc.config = RandomConfig(seed).Make();
    doc.versions = {1, long(seed), 3};
    auto back = cib::ParseDocument(cib::SerializeDocument(doc));
    ASSERT_TRUE(back.ok()) << "seed " << seed << ": "
                           << back.status().message();
    ASSERT_EQ(*back, doc) << "seed " << seed;
  }
}

// The same through the binary: show | load replace into a fresh file.
TEST(RoundTripTest, BinaryShowAndLoadReplace) {
  for (unsigned seed = 1; seed <= 25; ++seed) {
    TempDir dir;
    cib::Document doc;
    doc.config = RandomConfig(seed).Make();
    ASSERT_TRUE(cib::CibStore(dir.File("a.yaml")).Save(doc).ok());
    RunResult show =
        RunCommand("crm", {"--cib", dir.File("a.yaml"), "configure", "show"});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    WriteFile(dir.File("show.crm"), show.out);
    RunResult load =
        RunCommand("crm", {"--cib", dir.File("b.yaml"), "configure", "load",
                           "replace", dir.File("show.crm")});
    ASSERT_EQ(load.exit_code, 0) << "seed " << seed << ": " << load.err;
    auto back = cib::CibStore(dir.File("b.yaml")).Load();
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->config, doc.config) << "seed " << seed;
    // And load update of the same text changes nothing more.
    std::string bytes = ReadFile(dir.File("b.yaml"));
    load = RunCommand("crm", {"--cib", dir.File("b.yaml"), "configure", "load",
                              "update", dir.File("show.crm")});
    ASSERT_EQ(load.exit_code, 0) << load.err;
    EXPECT_EQ(ReadFile(dir.File("b.yaml")), bytes) << "seed " << seed;
  }
}

}  // namespace
}  // namespace paceline::testing
