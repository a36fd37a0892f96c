// The key property of the crm syntax: what `configure show` prints,
// `configure load` reads back into the identical configuration. Render with
// cib/crm_render.h, split with SplitStatements, parse each statement with
// ParseConfigObject, reassemble, compare.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "cib/crm_render.h"
#include "cli/crm/lexer.h"
#include "cli/crm/parser.h"
#include "tests/cib/crm_test_configs.h"

namespace paceline::cli::crm {
namespace {

cib::Attributes& SectionOf(cib::Configuration& c,
                           cib::PropertySet::Section section) {
  switch (section) {
    case cib::PropertySet::Section::kRscDefaults:
      return c.rsc_defaults;
    case cib::PropertySet::Section::kOpDefaults:
      return c.op_defaults;
    case cib::PropertySet::Section::kClusterProperties:
      break;
  }
  return c.properties;
}

// Appends objects in statement order and merges property sets, as a
// `configure load replace` into an empty configuration does.
Result<cib::Configuration> Reparse(const std::string& text) {
  PL_ASSIGN_OR_RETURN(std::vector<Statement> statements, SplitStatements(text));
  cib::Configuration out;
  for (const auto& st : statements) {
    PL_ASSIGN_OR_RETURN(cib::ConfigObject object, ParseConfigObject(st.tokens));
    if (auto* n = std::get_if<cib::Node>(&object)) {
      out.nodes.push_back(*n);
    } else if (auto* r = std::get_if<cib::Resource>(&object)) {
      out.resources.push_back(*r);
    } else if (auto* c = std::get_if<cib::Constraint>(&object)) {
      out.constraints.push_back(*c);
    } else {
      const auto& set = std::get<cib::PropertySet>(object);
      SectionOf(out, set.section).Merge(set.attrs);
    }
  }
  return out;
}

void ExpectRoundTrip(const cib::Configuration& config) {
  std::string text = cib::RenderCrm(config);
  auto back = Reparse(text);
  ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << text;
  EXPECT_EQ(back->nodes, config.nodes) << text;
  EXPECT_EQ(back->resources, config.resources) << text;
  EXPECT_EQ(back->constraints, config.constraints) << text;
  EXPECT_EQ(back->properties, config.properties) << text;
  EXPECT_EQ(back->rsc_defaults, config.rsc_defaults) << text;
  EXPECT_EQ(back->op_defaults, config.op_defaults) << text;
  EXPECT_TRUE(*back == config);
  // And the text is a fixed point.
  EXPECT_EQ(cib::RenderCrm(*back), text);
}

TEST(CrmRoundTripTest, TalkConfiguration) {
  ExpectRoundTrip(cib::fixtures::TalkConfiguration());
}

TEST(CrmRoundTripTest, RichConfiguration) {
  ExpectRoundTrip(cib::fixtures::RichConfiguration());
}

TEST(CrmRoundTripTest, EmptyConfiguration) {
  ExpectRoundTrip(cib::Configuration{});
}

TEST(CrmRoundTripTest, EachObjectOnItsOwn) {
  cib::Configuration config = cib::fixtures::RichConfiguration();
  for (const auto& r : config.resources) {
    auto statements = SplitStatements(cib::RenderCrmObject(config, r.id));
    ASSERT_TRUE(statements.ok());
    ASSERT_EQ(statements->size(), 1u) << r.id;
    auto object = ParseConfigObject(statements->front().tokens);
    ASSERT_TRUE(object.ok()) << r.id << ": " << object.status().message();
    EXPECT_EQ(std::get<cib::Resource>(*object), r);
  }
}

TEST(CrmRoundTripTest, CrlfTextReadsTheSame) {
  // A `configure show` saved on Windows and loaded back.
  cib::Configuration config = cib::fixtures::TalkConfiguration();
  std::string text = cib::RenderCrm(config);
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto back = Reparse(crlf);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(*back == config);
}

// Random values over an alphabet of everything that needs care: the same
// property for many values than any hand-written list covers.
TEST(CrmRoundTripTest, RandomValuesSurvive) {
  const std::vector<std::string> pieces = {
      " ",   "\t",   "\n",   "\r",   "\"",     "'",  "\\",
      "#",   "=",    ":",    "$",    "{",      "(",  "]",
      "/",   "a",    "Z",    "0",    "-",      "ü",  "☃",
      "東",  "\\\"", "\\\\", "inf:", "params", "op", "description=",
      "\\\n"};
  std::mt19937 rng(20261125);  // fixed: failures must reproduce
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 8);
  auto random_value = [&] {
    std::string v;
    for (int i = length(rng); i > 0; --i) v += pieces[pick(rng)];
    return v;
  };
  for (int round = 0; round < 200; ++round) {
    cib::Configuration config;
    cib::Resource r = cib::fixtures::Primitive("p", "ocf:heartbeat:Dummy");
    r.description = random_value();
    for (int i = 0; i < 4; ++i) {
      r.params.Set("k" + std::to_string(i), random_value());
      r.meta.Set("m" + std::to_string(i), random_value());
    }
    r.ops = {cib::fixtures::Op("monitor", {{"x", random_value()}})};
    config.resources.push_back(r);
    config.nodes.push_back(
        cib::Node{"n1", 1, "", random_value(), {{"a", random_value()}}, {}});
    config.properties.Set("p", random_value());
    ExpectRoundTrip(config);
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
}  // namespace paceline::cli::crm
