// The fast YAML reader against yaml-cpp: on everything JsonToYaml writes it
// must answer, and answer yaml-cpp's tree; on anything else it may only
// decline or agree with yaml-cpp. Also pins the writer's quoting of the
// strings the two rely on.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cib/store.h"
#include "cib/yaml_codec.h"
#include "cib/yaml_fast.h"
#include "test_documents.h"

namespace paceline::cib {
namespace {

namespace json = boost::json;

// Random trees of the shapes a CIB has (maps, lists of maps, lists of
// scalars), with strings built from pieces YAML readers treat specially.
class TreeGenerator {
 public:
  explicit TreeGenerator(unsigned seed) : rng_(seed) {}

  int Below(int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(rng_);
  }

  std::string String() {
    static const std::vector<std::string> kPieces = {"a",
                                                     "Zq",
                                                     "0",
                                                     "7",
                                                     " ",
                                                     "  ",
                                                     "-",
                                                     "?",
                                                     ":",
                                                     ",",
                                                     "[",
                                                     "]",
                                                     "{",
                                                     "}",
                                                     "#",
                                                     "&",
                                                     "*",
                                                     "!",
                                                     "|",
                                                     ">",
                                                     "'",
                                                     "\"",
                                                     "%",
                                                     "@",
                                                     "`",
                                                     "\\",
                                                     "\n",
                                                     "\t",
                                                     "\r",
                                                     "\x01",
                                                     "\x1f",
                                                     "\x7f",
                                                     std::string(1, '\0'),
                                                     "yes",
                                                     "no",
                                                     "on",
                                                     "Off",
                                                     "null",
                                                     "NULL",
                                                     "~",
                                                     "1e3",
                                                     "0x1F",
                                                     "2026-11-25",
                                                     "12:30:00",
                                                     ".inf",
                                                     "-.5",
                                                     "---",
                                                     "...",
                                                     "<<",
                                                     "=",
                                                     "a: b",
                                                     " #",
                                                     ": ",
                                                     "- ",
                                                     "x:",
                                                     "http://h/p",
                                                     "é",
                                                     "日本",
                                                     "☃",
                                                     "\xf0\x9f\x98\x80",
                                                     "\xc2\x85",
                                                     "\xc2\xa0",
                                                     "\xe2\x80\xa8",
                                                     "\xef\xbb\xbf",
                                                     "\xef\xbf\xbf",
                                                     "-INFINITY",
                                                     "ocf:heartbeat:IPaddr2"};
    std::string s;
    for (int n = Below(5); n > 0; --n) s += kPieces[Below(kPieces.size())];
    return s;
  }

  json::value Scalar() {
    switch (Below(14)) {
      case 0:
        return nullptr;
      case 1:
        return Below(2) == 1;
      case 2:
        return std::int64_t{Below(2001) - 1000};
      case 3:
        return 0.25 * (Below(81) - 40);
      default:
        return json::string(String());
    }
  }

  json::value Tree(int depth = 0) {
    const int shape = depth > 4 ? 0 : Below(7);
    if (shape <= 1) return Scalar();
    if (shape <= 4) {
      json::object map;
      for (int n = Below(5); n > 0; --n) map[String()] = Tree(depth + 1);
      return map;
    }
    json::array list;
    const bool scalars = shape == 5;
    for (int n = Below(4); n > 0; --n) {
      list.push_back(scalars ? Scalar() : Tree(depth + 1));
    }
    return list;
  }

 private:
  std::mt19937 rng_;
};

// What yaml-cpp hands back for a tree: every scalar as its text.
json::value AsRead(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
    case json::kind::string:
      return v;
    case json::kind::bool_:
      return json::string(v.get_bool() ? "true" : "false");
    case json::kind::int64:
      return json::string(std::to_string(v.get_int64()));
    case json::kind::uint64:
      return json::string(std::to_string(v.get_uint64()));
    case json::kind::double_: {
      std::string yaml = JsonToYaml(v);  // "1.5\n": doubles are plain
      return json::string(yaml.substr(0, yaml.size() - 1));
    }
    case json::kind::array: {
      json::array out;
      for (const json::value& item : v.get_array()) out.push_back(AsRead(item));
      return out;
    }
    case json::kind::object: {
      json::object out;
      for (const auto& kv : v.get_object()) out[kv.key()] = AsRead(kv.value());
      return out;
    }
  }
  return nullptr;
}

TEST(YamlFastPathTest, ReadsEveryEmittedTreeExactlyAsYamlCppDoes) {
  TreeGenerator gen(20261125);
  for (int i = 0; i < 3000; ++i) {
    const json::value tree = gen.Tree();
    const std::string yaml = JsonToYaml(tree, i % 3 == 0 ? "head\n\nline" : "");
    Result<json::value> slow = YamlCppToJson(yaml);
    ASSERT_TRUE(slow.ok()) << slow.status().message() << "\n" << yaml;
    ASSERT_EQ(*slow, AsRead(tree)) << yaml;
    std::optional<json::value> fast = FastParseYaml(yaml);
    ASSERT_TRUE(fast.has_value()) << "fell back on emitted text:\n" << yaml;
    ASSERT_EQ(*fast, *slow) << yaml;
  }
}

TEST(YamlFastPathTest, EmittedDocumentsTakeTheFastPath) {
  for (const Document& doc : {Document{}, doc_fixtures::RichDocument()}) {
    const std::string yaml = SerializeDocument(doc);
    std::optional<json::value> fast = FastParseYaml(yaml);
    ASSERT_TRUE(fast.has_value()) << yaml;
    EXPECT_EQ(*fast, *YamlCppToJson(yaml)) << yaml;
  }
}

// Random edits of emitted text: deleted, inserted and doubled characters,
// deleted and doubled lines, changed indentation, trailing comments.
std::string Mutate(std::string text, TreeGenerator& gen) {
  static const std::string kInsert = " -:#\"\\\n\t[]{},'&*!|>?a~%@`\r.0\xc3";
  for (int edits = 1 + gen.Below(3); edits > 0 && !text.empty(); --edits) {
    const size_t at = gen.Below(text.size());
    size_t line = text.rfind('\n', at);
    line = line == std::string::npos ? 0 : line + 1;
    size_t next = text.find('\n', at);
    next = next == std::string::npos ? text.size() : next + 1;
    switch (gen.Below(7)) {
      case 0:
        text.erase(at, 1);
        break;
      case 1:
        text.insert(at, 1, kInsert[gen.Below(kInsert.size())]);
        break;
      case 2:
        text.insert(at, 1, text[at]);
        break;
      case 3:
        text.erase(line, next - line);
        break;
      case 4:
        text.insert(line, text.substr(line, next - line));
        break;
      case 5:
        if (gen.Below(2) == 0) {
          text.insert(line, gen.Below(2) == 0 ? " " : "  ");
        } else if (text[line] == ' ') {
          text.erase(line, 1);
        }
        break;
      case 6:
        text.insert(at, " #c");
        break;
    }
  }
  return text;
}

TEST(YamlFastPathTest, AcceptsAMutatedTextOnlyIfYamlCppReadsTheSameTree) {
  TreeGenerator gen(7);
  std::vector<std::string> seeds = {
      SerializeDocument(doc_fixtures::RichDocument())};
  for (int i = 0; i < 400; ++i) seeds.push_back(JsonToYaml(gen.Tree()));
  int accepted = 0;
  int tried = 0;
  for (const std::string& seed : seeds) {
    for (int m = 0; m < 25; ++m, ++tried) {
      const std::string text = Mutate(seed, gen);
      std::optional<json::value> fast = FastParseYaml(text);
      if (!fast) continue;
      ++accepted;
      Result<json::value> slow = YamlCppToJson(text);
      ASSERT_TRUE(slow.ok()) << "fast path accepted what yaml-cpp refuses ("
                             << slow.status().message() << "):\n"
                             << text;
      ASSERT_EQ(*fast, *slow) << text;
    }
  }
  // Most single edits keep the text readable; a reader that declined
  // everything would pass the loop above without testing anything.
  EXPECT_GT(accepted, tried / 5) << accepted << " of " << tried;
}

// Hand-written forms inside the subset: the fast path must read them, and
// read them as yaml-cpp does.
TEST(YamlFastPathTest, ReadsHandWrittenSubsetLikeYamlCpp) {
  const char* texts[] = {
      "a: yes\nb: 10\nc: null\nd: ~\ne:\nf: NULL\ng: Null\nh: nUll\n",
      "a:\n  foo\nb: 1\n",
      "-\n- a\n-   \n- ~\n",
      "- - a\n  - b\n- c\n",
      "-   a: 1\n    b: 2\n-  [x, y]\n",
      "a:    b   \nc: \"x\"   \n",
      "  a: 1\n  b:\n    - x\n",
      "# top\na:\n    # indented comment\n  b: c\n\n\n# end\n",
      "a: -x\nb: x-\nc: x:y\nd: a'b\ne: a\"b\nf: a#b\ng: é ☃\n",
      "=: x\nyes: no\n1: 2\n",
      "a: [ a , b ]\nb: [~, null, x:y, http://h]\nc: []\nd: {}\n",
      "\"a\": 1\n\"\": 2\n\"a b: c\": [\"x, y\", \"]\"]\n",
      "a: \"\\x41\\u00e9\\x00\\\\\\\"\\n\\t\\r\"\n",
      "[a, \"b\", ~]\n",
      "plain top\n",
      "\"quoted top\"\n",
      "",
      "# only a comment\n",
  };
  for (const char* text : texts) {
    std::optional<json::value> fast = FastParseYaml(text);
    ASSERT_TRUE(fast.has_value()) << text;
    Result<json::value> slow = YamlCppToJson(text);
    ASSERT_TRUE(slow.ok()) << slow.status().message() << "\n" << text;
    EXPECT_EQ(*fast, *slow) << text;
  }
}

// Outside the subset: the fast path declines, so YamlToJson gives exactly
// yaml-cpp's answer, errors included.
TEST(YamlFastPathTest, DeclinesEverythingOutsideTheSubset) {
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += std::string(i * 2, ' ') + "a:\n";
  const std::string texts[] = {
      "a: 'x'\n",
      "a: |\n  x\n",
      "a: >\n  x\n",
      "a: &x b\nc: *x\n",
      "a: !!str b\n",
      "a: {b: c}\n",
      "a:\tb\n",
      "\ta: b\n",
      "a: 1\na: 2\n",
      "a: 1\n---\nb: 2\n",
      "---\na: 1\n",
      "a: 1\n...\n",
      "%YAML 1.2\n---\na: b\n",
      "a: b # comment\n",
      "a: b\r\n",
      "a:\n- b\n",
      "<<:\n  a: b\n",
      "? a\n: b\n",
      "a: \"multi\n  line\"\n",
      "a: plain\n  continued\n",
      "a: \"\\b\"\n",
      "a: \"\\ud800\"\n",
      "a: [a, [b]]\n",
      "a: [a,]\n",
      "a: [a, b\n",
      "\xef\xbb\xbf"
      "a: b\n",
      "a: \xff\n",
      "a: \xc2\x85\n",
      "~: a\n",
      "null:\n  a: b\n",
      "a: b: c\n",
      "- a\nb: c\n",
      "a: 1\n b: 2\n",
      "a:\n  b: 1\n c: 2\n",
      "a: - b\n",
      "a: #c\n",
      "a : b\n",
      deep,
  };
  for (const std::string& text : texts) {
    EXPECT_FALSE(FastParseYaml(text).has_value()) << text;
    Result<json::value> via_codec = YamlToJson(text);
    Result<json::value> slow = YamlCppToJson(text);
    ASSERT_EQ(via_codec.ok(), slow.ok()) << text;
    if (slow.ok()) {
      EXPECT_EQ(*via_codec, *slow) << text;
    } else {
      EXPECT_EQ(via_codec.status().message(), slow.status().message());
    }
  }
}

TEST(YamlFastPathTest, WriterQuotesOnlyWhatPlainStyleCannotCarry) {
  struct Case {
    const char* value;
    const char* written;
  };
  const Case cases[] = {
      {"-INFINITY", "-INFINITY"},
      {"ocf:heartbeat:IPaddr2", "ocf:heartbeat:IPaddr2"},
      {"noatime,  nodiratime", "noatime,  nodiratime"},
      {"é ☃", "é ☃"},
      {"?x", "\"?x\""},
      {":x", "\":x\""},
      {"- x", "\"- x\""},
      {"-", "\"-\""},
      {"x:", "\"x:\""},
      {"a #b", "\"a #b\""},
      {"--- x", "\"--- x\""},
      {"On", "\"On\""},
      {"0x1F", "\"0x1F\""},
      {"tab\there\r\n", "\"tab\\there\\r\\n\""},
      {"\b\x7f", "\"\\x08\\x7f\""},
      {"nel\xc2\x85", "\"nel\\x85\""},
      {"ls\xe2\x80\xa8", "\"ls\\u2028\""},
      {"\xef\xbb\xbf"
       "bom",
       "\"\\ufeffbom\""},
  };
  for (const Case& c : cases) {
    json::value tree = json::object{{"k", c.value}};
    EXPECT_EQ(JsonToYaml(tree), std::string("k: ") + c.written + "\n")
        << c.value;
  }
  json::value nul = json::object{{"k", json::string(std::string("\0", 1))}};
  EXPECT_EQ(JsonToYaml(nul), "k: \"\\x00\"\n");
  EXPECT_EQ(JsonToYaml(json::parse(R"({"k": ["a,b", "a?b", "a b"]})")),
            "k: [\"a,b\", \"a?b\", a b]\n");
}

}  // namespace
}  // namespace paceline::cib
