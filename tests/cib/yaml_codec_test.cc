// The schema-free YAML codec: layout of what it writes, strings that must
// survive as strings, and parse errors that point at a line and column.
#include "cib/yaml_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "test_documents.h"

namespace paceline::cib {
namespace {

namespace json = boost::json;

json::value Parsed(std::string_view yaml) {
  Result<json::value> tree = YamlToJson(yaml);
  EXPECT_TRUE(tree.ok()) << tree.status().message();
  return tree.ok() ? *tree : json::value();
}

Status ParseError(std::string_view yaml) {
  Result<json::value> tree = YamlToJson(yaml);
  EXPECT_FALSE(tree.ok()) << "parsed: " << json::serialize(*tree);
  return tree.status();
}

TEST(YamlCodecTest, EmitsBlockMapsFlowScalarListsAndQuotesNonStrings) {
  json::value tree = json::parse(R"({
    "epoch": 12, "flag": true, "nothing": null,
    "props": {"stonith-enabled": "false", "interval": "15", "name": "pg"},
    "members": ["a", "b c", "yes"],
    "items": [{"name": "x", "attrs": {"k": "v"}}, {"name": "y"}],
    "empty_map": {}, "empty_list": []})");
  EXPECT_EQ(JsonToYaml(tree),
            "epoch: 12\n"
            "flag: true\n"
            "nothing: ~\n"
            "props:\n"
            "  stonith-enabled: \"false\"\n"
            "  interval: \"15\"\n"
            "  name: pg\n"
            "members: [a, b c, \"yes\"]\n"
            "items:\n"
            "  - name: x\n"
            "    attrs:\n"
            "      k: v\n"
            "  - name: \"y\"\n"  // a YAML 1.1 boolean
            "empty_map: {}\n"
            "empty_list: []\n");
}

TEST(YamlCodecTest, HeaderBecomesCommentLines) {
  EXPECT_EQ(JsonToYaml(json::parse(R"({"a": "b"})"), "first\n\nsecond"),
            "# first\n#\n# second\na: b\n");
}

TEST(YamlCodecTest, OddStringsRoundTripAsValuesKeysAndListItems) {
  json::object values;
  json::object keys;
  json::array list;
  int i = 0;
  for (const std::string& s : doc_fixtures::OddStrings()) {
    values["k" + std::to_string(i++)] = s;
    keys[s] = "v";
    list.emplace_back(s);
  }
  json::value tree = json::object{{"values", values},
                                  {"keys", keys},
                                  {"list", list},
                                  {"nested", json::array{values, list}}};
  std::string yaml = JsonToYaml(tree);
  EXPECT_EQ(Parsed(yaml), tree) << yaml;
}

TEST(YamlCodecTest, ScalarsComeBackAsStringsAndNullStaysNull) {
  json::value tree = json::parse(R"({"n": 12, "b": false, "z": null,
                                     "neg": -3, "big": 18446744073709551615})");
  EXPECT_EQ(Parsed(JsonToYaml(tree)),
            json::parse(R"({"n": "12", "b": "false", "z": null, "neg": "-3",
                            "big": "18446744073709551615"})"));
  EXPECT_EQ(Parsed("a:\nb: ~\nc: null\nd: '~'\n"),
            json::parse(R"({"a": null, "b": null, "c": null, "d": "~"})"));
}

TEST(YamlCodecTest, BytesThatAreNotUtf8SurviveUnchanged) {
  json::value tree = json::object{{"out", "a\xff\xfe b\xc3"}};
  EXPECT_EQ(Parsed(JsonToYaml(tree)), tree);
}

TEST(YamlCodecTest, SameTreeGivesSameBytes) {
  json::value tree = json::parse(R"({"b": [1, {"c": "d"}], "a": "x"})");
  EXPECT_EQ(JsonToYaml(tree), JsonToYaml(json::value(tree)));
  EXPECT_EQ(JsonToYaml(tree), "b:\n  - 1\n  - c: d\na: x\n");
}

TEST(YamlCodecTest, KeepsDocumentOrderOfMaps) {
  json::value tree = Parsed("z: 1\na: 2\nm: 3\n");
  std::string keys;
  for (const auto& kv : tree.as_object()) keys += kv.key();
  EXPECT_EQ(keys, "zam");
}

TEST(YamlCodecTest, EmptyInputIsNull) {
  EXPECT_TRUE(Parsed("").is_null());
  EXPECT_TRUE(Parsed("# only a comment\n\n").is_null());
}

TEST(YamlCodecTest, TruncatedFlowListIsCorruptWithPosition) {
  Status s = ParseError("a: 1\nmembers: [a, b\n");
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_EQ(s.message(), "line 2, column 1: end of sequence flow not found");
}

// yaml-cpp alone accepts a quoted string left open at the end of the input
// when a line break follows it.
TEST(YamlCodecTest, TruncatedQuotedStringIsCorrupt) {
  for (const char* text : {"a: \"abc\n", "a: 'abc\n  \n", "a: \"x\nb: 1\n"}) {
    Status s = ParseError(text);
    EXPECT_EQ(s.code(), StatusCode::kCorrupt) << text;
    EXPECT_NE(s.message().find("illegal EOF in scalar"), std::string::npos)
        << s.message();
    EXPECT_EQ(s.message().rfind("line ", 0), 0u) << s.message();
  }
}

TEST(YamlCodecTest, TabIndentationIsCorruptAndSaysSo) {
  Status s = ParseError("configuration:\n\tproperties: {}\n");
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_EQ(s.message().rfind("line 2, column ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find("tab"), std::string::npos) << s.message();
}

TEST(YamlCodecTest, DuplicateKeyIsCorrupt) {
  Status s = ParseError("a: 1\nb:\n  c: 2\n  c: 3\n");
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_EQ(s.message(), "line 4, column 3: duplicate key 'c'");
}

TEST(YamlCodecTest, SecondDocumentIsCorrupt) {
  Status s = ParseError("a: 1\n---\nb: 2\n");
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_EQ(s.message(),
            "line 3, column 1: a second YAML document (only one is allowed)");
}

TEST(YamlCodecTest, NonScalarKeyIsCorrupt) {
  Status s = ParseError("? [a, b]\n: c\n");
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_EQ(s.message(), "line 1, column 3: a map key must be a plain string");
}

TEST(YamlCodecTest, BadIndentationIsCorruptWithPosition) {
  Status s = ParseError("a: b\n  c: d\n");
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_EQ(s.message(), "line 2, column 4: illegal map value");
}

TEST(YamlCodecTest, DeepNestingIsCorruptNotACrash) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += std::string(i * 2, ' ') + "a:\n";
  Status s = ParseError(deep);
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("nested deeper than"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace paceline::cib
