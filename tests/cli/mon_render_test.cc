// The crm_mon text as golden files: paceline.status/1 documents under
// tests/data/mon/ (the talk's cluster in normal state, after the primary
// crashed with a failed action and a cli-prefer constraint left, a
// three-node clone cluster) rendered at 80 and 160 columns, by resource
// and by node. PACELINE_UPDATE_GOLDEN=1 rewrites the expected files after
// a deliberate change (review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cib/duration.h"
#include "cli/mon/render.h"

namespace paceline::cli::mon {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

std::string DataDir() { return PACELINE_SOURCE_DIR "/tests/data/mon/"; }

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json::object Fixture(const std::string& name) {
  std::string text = Read(DataDir() + name + ".json");
  EXPECT_FALSE(text.empty()) << name;
  return json::parse(text).as_object();
}

WallTime At(const char* iso) { return *cib::ParseTimestamp(iso); }

struct Case {
  std::string name;     // golden file: tests/data/mon/NAME.txt
  std::string fixture;  // tests/data/mon/FIXTURE.json
  int width;
  RenderOptions options;
  std::vector<InFlight> in_flight;
  std::string last_change;
};

RenderOptions Utc() {
  RenderOptions o;
  o.utc = true;
  return o;
}

std::vector<Case> Cases() {
  RenderOptions by_node = Utc();
  by_node.group_by_node = true;
  RenderOptions new_names = Utc();
  new_names.old_role_names = false;
  RenderOptions hidden = Utc();
  hidden.fail_counts = false;
  hidden.constraints = false;
  std::vector<InFlight> stopping = {
      {"stop", "pg_lsb", "HA-node2", At("2026-11-25T10:00:03.500Z")}};
  std::string change = "2026-11-25 09:58:00 - cli-prefer-PGServer added";
  return {
      {"talk-normal.80", "talk-normal", 80, Utc(), {}, ""},
      {"talk-normal.160", "talk-normal", 160, Utc(), {}, ""},
      {"talk-normal.new-role-names.80", "talk-normal", 80, new_names, {}, ""},
      {"talk-primary-crash.80", "talk-primary-crash", 80, Utc(), stopping,
       change},
      {"talk-primary-crash.160", "talk-primary-crash", 160, Utc(), stopping,
       change},
      {"talk-primary-crash.by-node.80", "talk-primary-crash", 80, by_node,
       stopping, change},
      {"talk-primary-crash.hidden.80",
       "talk-primary-crash",
       80,
       hidden,
       {},
       ""},
      {"clone-3-nodes.80", "clone-3-nodes", 80, Utc(), {}, ""},
      {"clone-3-nodes.160", "clone-3-nodes", 160, Utc(), {}, ""},
      {"clone-3-nodes.by-node.80", "clone-3-nodes", 80, by_node, {}, ""},
  };
}

std::vector<Line> Render(const Case& c) {
  json::object st = Fixture(c.fixture);
  RenderInput in;
  in.status = &st;
  in.now = At("2026-11-25T10:00:05Z");
  in.updated = in.now;
  in.in_flight = c.in_flight;
  in.last_change = c.last_change;
  return RenderStatus(in, c.options, c.width);
}

TEST(MonRenderTest, GoldenText) {
  bool update = std::getenv("PACELINE_UPDATE_GOLDEN") != nullptr;
  for (const Case& c : Cases()) {
    std::string got = PlainText(Render(c));
    std::string path = DataDir() + c.name + ".txt";
    if (update) {
      std::ofstream(path) << got;
      continue;
    }
    EXPECT_EQ(got, Read(path)) << c.name << " (" << path << ")";
  }
}

TEST(MonRenderTest, EveryLineFitsTheWidthAndSpansStayInside) {
  for (Case c : Cases()) {
    for (int width : {20, 40, 80, 100, 160}) {
      c.width = width;
      for (const Line& l : Render(c)) {
        EXPECT_LE(int(l.text.size()), width) << c.name << ": " << l.text;
        for (const Span& s : l.spans) {
          EXPECT_GE(s.start, 0);
          EXPECT_LE(s.start + s.length, int(l.text.size()))
              << c.name << ": " << l.text;
        }
      }
    }
  }
}

// The span list carries the meaning the colours show: OFFLINE and FAILED
// in the alarm style, the online nodes in the good one.
TEST(MonRenderTest, SpansMarkStates) {
  Case crash = Cases()[3];
  auto style_of = [&](const std::string& word) {
    for (const Line& l : Render(crash)) {
      size_t at = l.text.find(word);
      if (at == std::string::npos) continue;
      for (const Span& s : l.spans) {
        if (s.start <= int(at) && int(at) < s.start + s.length) return s.style;
      }
      return Style::kNormal;
    }
    return Style::kDim;  // not found
  };
  EXPECT_EQ(style_of("HA-node1 ]"), Style::kBad);  // OFFLINE: [ HA-node1 ]
  EXPECT_EQ(style_of("FAILED HA-node2"), Style::kBad);
  EXPECT_EQ(style_of("partition with quorum"), Style::kGood);
  EXPECT_EQ(style_of("pg_lsb start"), Style::kBad);
}

// A document without the optional fields (an older daemon, or a partial
// one) still renders, every primitive at top level.
TEST(MonRenderTest, MinimalDocumentRenders) {
  json::object st = json::parse(R"({"schema": "paceline.status/1",
      "cluster": "c", "dc": null, "quorate": false, "epoch": 3,
      "nodes": [{"name": "a", "online": false}],
      "resources": [{"id": "p", "instance": "p", "agent": "ocf:pacemaker:Dummy",
                     "role": "Stopped", "node": null, "managed": true}]})")
                        .as_object();
  RenderInput in;
  in.status = &st;
  std::string text = PlainText(RenderStatus(in, Utc(), 80));
  EXPECT_NE(text.find("* Current DC: NONE"), std::string::npos) << text;
  EXPECT_NE(text.find("* OFFLINE: [ a ]"), std::string::npos) << text;
  EXPECT_NE(text.find("* p (ocf::pacemaker:Dummy): Stopped"), std::string::npos)
      << text;
}

TEST(MonRenderTest, LongNodeListsWrap) {
  json::object st = Fixture("clone-3-nodes");
  json::array nodes;
  for (int i = 1; i <= 30; ++i) {
    nodes.push_back(
        json::object{{"name", "node-with-long-name-" + std::to_string(i)},
                     {"online", true}});
  }
  st["nodes"] = nodes;
  RenderInput in;
  in.status = &st;
  std::vector<Line> lines = RenderStatus(in, Utc(), 80);
  std::string text = PlainText(lines);
  for (int i = 1; i <= 30; ++i) {
    std::string name = "node-with-long-name-" + std::to_string(i);
    EXPECT_TRUE(text.find(name + " ") != std::string::npos ||
                text.find(name + "\n") != std::string::npos)
        << i << "\n"
        << text;
  }
  for (const Line& l : lines) {
    if (l.text.find("node-with-long-name") == std::string::npos) continue;
    EXPECT_FALSE(l.text.ends_with("...")) << l.text;  // wrapped, not cut
  }
}

TEST(MonRenderTest, Durations) {
  EXPECT_EQ(FormatDuration(milliseconds(850)), "850ms");
  EXPECT_EQ(FormatDuration(milliseconds(4250)), "4.2s");
  EXPECT_EQ(FormatDuration(milliseconds(185'000)), "3m05s");
  EXPECT_EQ(FormatDuration(milliseconds(7'620'000)), "2h07m");
  EXPECT_EQ(FormatDuration(milliseconds(273'600'000)), "3d04h");
}

}  // namespace
}  // namespace paceline::cli::mon
