// cib/xml_reader.h: the CIB's XML subset, what it decodes, what it skips,
// and the line and column of every way input can be malformed.
#include "cib/xml_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace paceline::cib::xml {
namespace {

std::string Value(const Element& e, std::string_view name) {
  std::optional<std::string_view> v = e.Attr(name);
  return v ? std::string(*v) : "<none>";
}

TEST(XmlReader, ElementsAttributesAndOrder) {
  std::string text =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!-- a CIB -->\n"
      "<cib epoch=\"3\" have-quorum='1'>\n"
      "  <configuration>\n"
      "    <nodes/>\n"
      "    <resources><primitive id=\"a\"/><group id=\"g\"/>"
      "<primitive id=\"b\" class = \"ocf\" /></resources>\n"
      "  </configuration>\n"
      "  <status>text is skipped <![CDATA[ <not-an-element/> ]]> <?pi x?>"
      "<!-- c --></status>\n"
      "</cib>\n<!-- trailing -->\n";
  auto doc = Parse(text);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const Element& cib = doc->root();
  EXPECT_EQ(cib.tag(), "cib");
  EXPECT_EQ(Value(cib, "epoch"), "3");
  EXPECT_EQ(Value(cib, "have-quorum"), "1");
  EXPECT_EQ(Value(cib, "num_updates"), "<none>");
  ASSERT_EQ(cib.attribute_count(), 2u);
  EXPECT_EQ(cib.attribute(1).name, "have-quorum");
  EXPECT_EQ(cib.attribute(1).value, "1");
  const Element* conf = cib.Child("configuration");
  ASSERT_NE(conf, nullptr);
  EXPECT_EQ(conf->Child("nodes")->tag(), "nodes");
  EXPECT_TRUE(conf->Child("nodes")->empty());
  EXPECT_FALSE(conf->empty());
  EXPECT_EQ(conf->Child("constraints"), nullptr);
  std::vector<std::string> seen;
  for (const auto& [tag, child] : *conf->Child("resources")) {
    seen.push_back(std::string(tag) + ":" + Value(child, "id"));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"primitive:a", "group:g",
                                            "primitive:b"}));
  EXPECT_EQ(Value(*conf->Child("resources")->Child("group"), "id"), "g");
  const Element* status = cib.Child("status");
  ASSERT_NE(status, nullptr);
  EXPECT_TRUE(status->empty());  // text, CDATA, comments are not children
}

TEST(XmlReader, ReferencesAndNormalization) {
  auto doc = Parse(
      "<a v=\"&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x20AC;&#10;\" "
      "w='tab\there\r\nnext\nline' x=\"&#x1F600;\" y=\"\"/>");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(Value(doc->root(), "v"), "<>&\"'AB\xE2\x82\xAC\n");
  EXPECT_EQ(Value(doc->root(), "w"), "tab here next line");
  EXPECT_EQ(Value(doc->root(), "x"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(Value(doc->root(), "y"), "");
  // Decoded values of several elements share one arena; each keeps its own.
  auto many =
      Parse("<r><a v='1&amp;'/><b v='&lt;2' w='x'/><c v='3&#10;'/></r>");
  ASSERT_TRUE(many.ok()) << many.status().message();
  const Element& r = many->root();
  EXPECT_EQ(Value(*r.Child("a"), "v"), "1&");
  EXPECT_EQ(Value(*r.Child("b"), "v"), "<2");
  EXPECT_EQ(Value(*r.Child("b"), "w"), "x");
  EXPECT_EQ(Value(*r.Child("c"), "v"), "3\n");
}

TEST(XmlReader, AttributesIterateInOrderWithDecodedValues) {
  auto doc =
      Parse("<a  first='1'\n\tsecond = \"x &amp; y\"   third='say \"hi\"'/>");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  std::vector<std::string> seen;
  for (const Attribute& a : doc->root().attributes()) {
    seen.push_back(std::string(a.name) + "=" + std::string(a.value));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"first=1", "second=x & y",
                                            "third=say \"hi\""}));
  EXPECT_EQ(doc->root().attribute(2).name, "third");
  EXPECT_TRUE(Parse("<a/>")->root().attributes().begin() ==
              Parse("<a/>")->root().attributes().end());
}

// Names and values of every length around the 16-byte blocks the reader
// scans at a time, with the characters that stop a scan at every offset:
// whatever the alignment, each value and name comes back exactly.
TEST(XmlReader, RandomNamesAndValuesAtEveryOffset) {
  std::mt19937 rng(7);
  const std::string name_chars =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:.-";
  struct Piece {
    std::string raw, decoded;
  };
  const Piece pieces[] = {{"a", "a"},
                          {"Z", "Z"},
                          {"/", "/"},
                          {"=", "="},
                          {">", ">"},
                          {"'", "'"},
                          {"&amp;", "&"},
                          {"&lt;", "<"},
                          {"&quot;", "\""},
                          {"&#x20AC;", "\xE2\x82\xAC"},
                          {"\t", " "},
                          {"\r\n", " "},
                          {"\xC3\xA9", "\xC3\xA9"},
                          {" ", " "}};
  for (int round = 0; round < 400; ++round) {
    std::string attrs;
    std::vector<std::pair<std::string, std::string>> expected;
    int n = 1 + int(rng() % 5);
    for (int i = 0; i < n; ++i) {
      std::string name(1, "abcxyz_"[rng() % 7]);
      size_t len = rng() % 40;
      for (size_t k = 0; k < len; ++k) {
        name += name_chars[rng() % name_chars.size()];
      }
      name += "_" + std::to_string(i);  // no duplicates
      std::string raw, decoded;
      size_t parts = rng() % 40;
      for (size_t k = 0; k < parts; ++k) {
        const Piece& p = pieces[rng() % std::size(pieces)];
        raw += p.raw;
        decoded += p.decoded;
      }
      attrs += " " + name + "=\"" + raw + "\"";
      expected.emplace_back(name, decoded);
    }
    std::string text = "<root><e" + attrs + "/></root>";
    auto doc = Parse(text);
    ASSERT_TRUE(doc.ok()) << doc.status().message() << "\n" << text;
    const Element* e = doc->root().Child("e");
    ASSERT_NE(e, nullptr);
    ASSERT_EQ(e->attribute_count(), expected.size());
    size_t i = 0;
    for (const Attribute& a : e->attributes()) {
      EXPECT_EQ(a.name, expected[i].first) << text;
      EXPECT_EQ(a.value, expected[i].second) << text;
      EXPECT_EQ(e->Attr(expected[i].first), expected[i].second) << text;
      ++i;
    }
  }
}

TEST(XmlReader, AttrSkipsOtherAttributesWhateverTheirValues) {
  std::string text =
      "<r id-ref=\"x\" i='a\"b' idx = \"=id=\" q=\"'\" "
      "d=\"&lt;id&gt;\" id=\"the id\" e=\"&amp;\"/>";
  auto doc = Parse(text);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const Element& r = doc->root();
  EXPECT_EQ(Value(r, "id"), "the id");
  EXPECT_EQ(Value(r, "i"), "a\"b");
  EXPECT_EQ(Value(r, "idx"), "=id=");
  EXPECT_EQ(Value(r, "id-ref"), "x");
  EXPECT_EQ(Value(r, "q"), "'");
  EXPECT_EQ(Value(r, "d"), "<id>");
  EXPECT_EQ(Value(r, "e"), "&");
  EXPECT_EQ(Value(r, "i-"), "<none>");
  EXPECT_EQ(Value(r, "ide"), "<none>");
  EXPECT_EQ(Value(r, ""), "<none>");
}

// Tags like the one before are read by comparing names with that one's
// (xml_reader.cc, layouts): whatever the order, the count, the decoding
// and the tags in between, the attributes read are those written, and a
// repeated name is refused.
TEST(XmlReader, AttributesOfTagsLikeEarlierOnesAreReadInFull) {
  std::mt19937 rng(7);
  const char* names[] = {"id", "operation", "rc-code",
                         "x",  "call-id",   "a-rather-long-attribute-name"};
  for (int round = 0; round < 300; ++round) {
    std::string text = "<r>";
    std::vector<std::vector<std::pair<std::string, std::string>>> want;
    bool duplicate = false;
    size_t elements = 1 + rng() % 12;
    for (size_t k = 0; k < elements; ++k) {
      std::string tag(1, char('a' + rng() % 6));  // more tags than layouts
      text += "<" + tag;
      want.emplace_back();
      size_t n = rng() % 7;
      std::vector<std::string> used;
      for (size_t i = 0; i < n; ++i) {
        // Mostly the same order as before, sometimes another name.
        std::string name = rng() % 4 ? names[i % std::size(names)]
                                     : names[rng() % std::size(names)];
        if (std::find(used.begin(), used.end(), name) != used.end()) {
          if (rng() % 8) continue;
          duplicate = true;
        }
        used.push_back(name);
        bool decoded = rng() % 5 == 0;
        text += " " + name + "=\"" + (decoded ? "&lt;" : "") + "v" +
                std::to_string(i) + "\"";
        want.back().emplace_back(name,
                                 (decoded ? "<v" : "v") + std::to_string(i));
      }
      text += "/>";
    }
    text += "</r>";
    auto doc = Parse(text);
    if (duplicate) {
      ASSERT_FALSE(doc.ok()) << text;
      EXPECT_NE(doc.status().message().find("duplicate attribute"),
                std::string::npos)
          << doc.status().message();
      continue;
    }
    ASSERT_TRUE(doc.ok()) << doc.status().message() << "\n" << text;
    size_t k = 0;
    for (const auto& [tag, e] : doc->root()) {
      ASSERT_LT(k, want.size());
      std::vector<std::pair<std::string, std::string>> got;
      for (const Attribute& a : e.attributes()) {
        got.emplace_back(std::string(a.name), std::string(a.value));
      }
      EXPECT_EQ(got, want[k]) << text;
      ++k;
    }
    EXPECT_EQ(k, want.size());
  }
}

TEST(XmlReader, DuplicateAttributesAreFoundAmongMany) {
  std::string tag = "<a";
  for (int i = 0; i < 40; ++i) tag += " n" + std::to_string(i) + "='v'";
  EXPECT_TRUE(Parse(tag + "/>").ok());
  auto r = Parse(tag + " n17='w'/>");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplicate attribute n17"),
            std::string::npos)
      << r.status().message();
}

TEST(XmlReader, ObserverSeesTheAttributesOfWantedElements) {
  struct Seen : Observer {
    uint64_t Wants(std::string_view tag) const override {
      return tag == "op" ? kAll : 0;
    }
    void OnAttribute(uint32_t element, const Attribute& a) override {
      got.push_back(std::to_string(element) + " " + std::string(a.name) + "=" +
                    std::string(a.value));
    }
    std::vector<std::string> got;
  } seen;
  std::string text =
      "<r x='1'><op a='1' b='&lt;2&gt;'/><other a='3'/>"
      "<g><op c='tab\there'/><op/></g></r>";
  auto doc = Parse(text, &seen);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(seen.got,
            (std::vector<std::string>{"1 a=1", "1 b=<2>", "4 c=tab here"}));
  const Element& r = doc->root();
  EXPECT_EQ(r.index(), 0u);
  EXPECT_EQ(r.Child("op")->index(), 1u);
  EXPECT_EQ(r.Child("g")->Child("op")->index(), 4u);
}

TEST(XmlReader, ObserverSeesOnlyNamesOfTheLengthsItWants) {
  struct Seen : Observer {
    uint64_t Wants(std::string_view tag) const override {
      return tag == "op" ? LengthBit(2) | LengthBit(70) : 0;
    }
    void OnAttribute(uint32_t, const Attribute& a) override {
      got.push_back(std::string(a.name));
    }
    std::vector<std::string> got;
  } seen;
  std::string long_name(70, 'n');
  std::string text = "<r><op id=\"1\" a=\"x\" ab=\"&amp;\" abc='y' " +
                     long_name + "=\"z\"/></r>";
  ASSERT_TRUE(Parse(text, &seen).ok());
  EXPECT_EQ(seen.got, (std::vector<std::string>{"id", "ab", long_name}));
}

TEST(XmlReader, DocumentStaysValidWhenMoved) {
  std::string text = "<a><b x=\"&amp;1\" y=\"plain\"/><c/></a>";
  auto parsed = Parse(text);
  ASSERT_TRUE(parsed.ok());
  std::vector<Document> docs;
  docs.push_back(std::move(*parsed));
  const Element& a = docs[0].root();
  EXPECT_EQ(Value(*a.Child("b"), "x"), "&1");
  EXPECT_EQ(Value(*a.Child("b"), "y"), "plain");
  EXPECT_NE(a.Child("c"), nullptr);
}

struct Bad {
  std::string text;
  std::string where;  // "line L, column C"
  std::string what;
};

TEST(XmlReader, MalformedInputNamesLineAndColumn) {
  const Bad kCases[] = {
      {"", "line 1, column 1", "no root element"},
      {"  \n", "line 2, column 1", "no root element"},
      {"hello", "line 1, column 1", "text outside the root element"},
      {"<a>", "line 1, column 1", "<a> is never closed"},
      {"<a>\n  <b>\n</a>", "line 3, column 1", "expected </b>, found </a>"},
      {"<a></b>", "line 1, column 4", "expected </a>, found </b>"},
      {"<a></a", "line 1, column 7", "expected '>' to close </a>"},
      {"<a/><b/>", "line 1, column 5", "content after the root element"},
      {"<1a/>", "line 1, column 2", "expected an element name"},
      {"<a\n  b='1' b='2'/>", "line 2, column 9", "duplicate attribute b"},
      {"<a b=1/>", "line 1, column 6", "expected a quoted value for b"},
      {"<a b/>", "line 1, column 5", "expected '=' after b"},
      {"<a b='x/>", "line 1, column 6", "the value of b is not terminated"},
      {"<a b='1'c='2'/>", "line 1, column 9", "expected a blank"},
      {"<a b='1'", "line 1, column 1", "<a> is not terminated"},
      {"<a b='x<y'/>", "line 1, column 8", "'<' in an attribute value"},
      {"<a b='&foo;'/>", "line 1, column 7", "unknown entity &foo;"},
      {"<a b='&#0;'/>", "line 1, column 7", "bad character reference &#0;"},
      {"<a b='&#xD800;'/>", "line 1, column 7", "bad character reference"},
      {"<a b='&#x110000;'/>", "line 1, column 7", "bad character reference"},
      {"<a b='&#12a;'/>", "line 1, column 7", "bad character reference"},
      {"<a b='AT&T'/>", "line 1, column 9", "'&' that does not start"},
      {"<a>\n x & y</a>", "line 2, column 4", "'&' that does not start"},
      {"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "line 1, column 1",
       "a DOCTYPE (DTD) is not supported"},
      {"<a><!DOCTYPE b></a>", "line 1, column 4", "unexpected '<!'"},
      {"<a><!-- open</a>", "line 1, column 4", "unterminated comment"},
      {"<a><![CDATA[ x</a>", "line 1, column 4", "unterminated CDATA"},
      {"<?xml version='1.0'", "line 1, column 1",
       "unterminated processing instruction"},
      {"<a/ >", "line 1, column 3", "expected '/>'"},
  };
  for (const Bad& c : kCases) {
    auto r = Parse(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kSyntax) << c.text;
    const std::string& m = r.status().message();
    EXPECT_EQ(m.rfind(c.where + ": ", 0), 0u) << c.text << " -> " << m;
    EXPECT_NE(m.find(c.what), std::string::npos) << c.text << " -> " << m;
  }
}

TEST(XmlReader, NestingIsBounded) {
  std::string ok, deep;
  for (int i = 0; i < kMaxDepth; ++i) ok += "<e>";
  for (int i = 0; i < kMaxDepth; ++i) ok += "</e>";
  EXPECT_TRUE(Parse(ok).ok());
  for (int i = 0; i <= kMaxDepth; ++i) deep += "<e>";
  auto r = Parse(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested deeper than"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace paceline::cib::xml
