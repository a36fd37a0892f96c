// Paceline's scheduler against Pacemaker 2.1.5's (crm_simulate) on generated
// CIBs: the generator's output is valid and digest-exact, the comparison
// sees differences, and a fixed set of seeds agrees except for the known,
// documented differences (known_differences.cc,
// docs/pacemaker-differences.md).
//
// Needs crm_simulate and crm_verify (Debian: pacemaker-cli-utils, installed
// by scripts/setup-deps --test). Reproduce one seed by hand:
//   build/tests/differential/differential --print SEED > cib.xml
//   build/tests/differential/differential --file cib.xml
#include <gtest/gtest.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/differential/cib_generator.h"
#include "tests/differential/known_differences.h"
#include "tests/differential/op_digest.h"
#include "tests/differential/runner.h"

namespace paceline::differential {
namespace {

namespace fs = std::filesystem;
namespace pt = boost::property_tree;

constexpr int kSeedsPerBlock = 25;
constexpr int kBlocks = 24;  // seeds 1..600

bool HaveTool(const char* name) {
  return RunProcess({name, "--version"}, 30).exit_code == 0;
}

class Pacemaker : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(HaveTool("crm_simulate") && HaveTool("crm_verify"))
        << "crm_simulate/crm_verify not found: install pacemaker-cli-utils "
           "(scripts/setup-deps --test)";
    char tmpl[] = "/tmp/paceline-difftest.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path dir_;
};

// ---- The generator.

TEST(Generator, SameSeedSameBytesOtherSeedOtherCib) {
  EXPECT_EQ(GenerateCib(42), GenerateCib(42));
  EXPECT_NE(GenerateCib(42), GenerateCib(43));
}

TEST(Generator, StaysWithinTheAdvertisedShapes) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    std::string xml = GenerateCib(seed);
    std::istringstream in(xml);
    pt::ptree doc;
    pt::read_xml(in, doc);
    int nodes = 0, primitives = 0;
    std::function<void(const pt::ptree&)> count = [&](const pt::ptree& t) {
      for (const auto& [tag, child] : t) {
        if (tag == "primitive") ++primitives;
        count(child);
      }
    };
    for (const auto& [tag, n] : doc.get_child("cib.configuration.nodes")) {
      nodes += tag == "node";
    }
    count(doc.get_child("cib.configuration.resources"));
    EXPECT_GE(nodes, 2) << seed;
    EXPECT_LE(nodes, 8) << seed;
    EXPECT_GE(primitives, 3) << seed;
    EXPECT_LE(primitives, 25) << seed;
    EXPECT_EQ(xml.find("interleave"), std::string::npos) << seed;
  }
}

// The digest Pacemaker writes for the operations it simulates equals ours.
TEST_F(Pacemaker, OpDigestMatchesPacemaker) {
  std::string cib =
      R"(<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1">
  <configuration>
    <crm_config><cluster_property_set id="opts">
      <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
    </cluster_property_set></crm_config>
    <nodes><node id="1" uname="node1"/></nodes>
    <resources>
      <primitive id="r1" class="ocf" provider="pacemaker" type="Dummy">
        <instance_attributes id="r1-ia">
          <nvpair id="r1-ia-state" name="state" value="/run/x &amp; y.state"/>
          <nvpair id="r1-ia-fake" name="fake" value="abc"/>
        </instance_attributes>
        <operations>
          <op id="r1-mon" name="monitor" interval="10s" timeout="25s"/>
        </operations>
      </primitive>
      <primitive id="r2" class="ocf" provider="pacemaker" type="Dummy">
        <operations><op id="r2-mon" name="monitor" interval="7s"/></operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>
)";
  std::string in = Write("in.xml", cib);
  std::string out = (dir_ / "out.xml").string();
  ProcessResult r = RunProcess(
      {"crm_simulate", "-x", in, "-S", "-t", kNowIso, "-O", out}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream f(out);
  pt::ptree doc;
  pt::read_xml(f, doc);
  std::map<std::string, std::string> digests;  // operation_key -> digest
  std::function<void(const pt::ptree&)> walk = [&](const pt::ptree& t) {
    for (const auto& [tag, child] : t) {
      if (tag == "lrm_rsc_op") {
        digests[child.get<std::string>("<xmlattr>.operation_key")] =
            child.get<std::string>("<xmlattr>.op-digest");
      }
      walk(child);
    }
  };
  walk(doc);
  std::map<std::string, std::string> r1{{"state", "/run/x & y.state"},
                                        {"fake", "abc"}};
  EXPECT_EQ(digests["r1_start_0"], OpDigest(r1, std::nullopt));
  EXPECT_EQ(digests["r1_monitor_10000"], OpDigest(r1, 25000));
  EXPECT_EQ(digests["r2_start_0"], OpDigest({}, std::nullopt));
  EXPECT_EQ(digests["r2_monitor_7000"], OpDigest({}, 20000));  // the default
  EXPECT_EQ(OpDigest({}, std::nullopt), "f2317cad3d54cec5d7d7aa7d0bf35cf8");
}

// Generated CIBs are valid for Pacemaker, and what they record as running
// keeps running unless the configuration says otherwise: no restart "due to
// resource definition change" (a wrong op-digest).
TEST_F(Pacemaker, GeneratedCibsValidateAndDigestsHold) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::string path = Write("seed.xml", GenerateCib(seed));
    // A resource recorded active on two nodes is a status Pacemaker flags
    // (on purpose here: multiple-active recovery); anything else is not.
    ProcessResult v = RunProcess({"crm_verify", "-x", path, "-V"}, 60);
    std::istringstream lines(v.err);
    std::string line, other;
    while (std::getline(lines, line)) {
      bool flagged = line.find("error") != std::string::npos ||
                     line.find("warning") != std::string::npos;
      if (flagged && line.find("might be active on") == std::string::npos &&
          line.find("config may not be valid") == std::string::npos) {
        other += line + "\n";
      }
    }
    EXPECT_TRUE(v.exit_code == 0 || (v.exit_code == 78 && other.empty()))
        << "seed " << seed << ": exit " << v.exit_code << "\n"
        << v.err;
    ProcessResult s =
        RunProcess({"crm_simulate", "-x", path, "-S", "-t", kNowIso}, 60);
    const KnownDifference* k = FindKnownDifference(seed);
    bool invalid = k && std::string(k->section).find("invalid transition") !=
                            std::string::npos;
    EXPECT_EQ(s.exit_code, invalid ? 1 : 0) << "seed " << seed << ": " << s.err;
    EXPECT_EQ(s.out.find("definition change"), std::string::npos)
        << "seed " << seed << ":\n"
        << s.out;
  }
}

// ---- The comparison.

constexpr const char* kPacemakerOutput =
    R"(<pacemaker-result api-version="2.25">
  <cluster_status><nodes>
    <node name="node1" online="true"/><node name="node2" online="true"/>
    <node name="node3" online="false"/>
  </nodes></cluster_status>
  <transition>
    <rsc_action resource="r1" op="monitor" node="node2"/>
    <pseudo_action task="cl_start_0"/>
    <rsc_action resource="r1" op="stop" node="node1"/>
    <rsc_action resource="r1" op="start" node="node2"/>
    <rsc_action resource="c1:1" op="start" node="node1"/>
    <rsc_action resource="c1:1" op="monitor" node="node1" interval="10000"/>
  </transition>
  <revised_cluster_status><resources>
    <resource id="r1" role="Started"><node name="node2"/></resource>
    <clone id="cl">
      <resource id="c1" role="Started"><node name="node1"/></resource>
      <resource id="c1" role="Promoted"><node name="node2"/></resource>
      <resource id="c1" role="Stopped"/>
    </clone>
    <group id="g"><resource id="g1" role="Stopped"/></group>
  </resources></revised_cluster_status>
  <status code="0" message="OK"/>
</pacemaker-result>)";

constexpr const char* kPacelineOutput = R"({"schema": "paceline.simulate/1",
  "resources": [
    {"id": "r1", "instance": "r1", "role": "Started", "node": "node2"},
    {"id": "c1", "instance": "c1:0", "role": "Promoted", "node": "node2"},
    {"id": "c1", "instance": "c1:1", "role": "Started", "node": "node1"},
    {"id": "c1", "instance": "c1:2", "role": "Stopped", "node": null},
    {"id": "g1", "instance": "g1", "role": "Stopped", "node": null}],
  "actions": [
    {"id": 1, "action": "stop", "resource": "r1", "node": "node1", "after": []},
    {"id": 2, "action": "start", "resource": "r1", "node": "node2", "after": [1]},
    {"id": 3, "action": "running", "resource": "cl", "node": null, "pseudo": true, "after": []},
    {"id": 4, "action": "start", "resource": "c1:0", "node": "node1", "after": []},
    {"id": 5, "action": "start", "resource": "g1", "node": "node1", "after": [], "runnable": false},
    {"id": 6, "action": "stop", "resource": "g1", "node": "node3", "after": []},
    {"id": 7, "action": "monitor", "resource": "r1", "node": "node2", "interval_ms": 10000, "after": [2]}]})";

TEST(Compare, SameDecisionsDifferentInstanceNumbersAgree) {
  auto a = ParsePacemakerResult(kPacemakerOutput);
  auto b = ParsePacelineSimulate(kPacelineOutput);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(a->actions,
            (std::vector<std::string>{"start c1 node1", "start r1 node2",
                                      "stop r1 node1"}));
  EXPECT_EQ(a->placement.at("c1"),
            (std::vector<std::string>{"node1:Started", "node2:Promoted"}));
  EXPECT_TRUE(a->placement.at("g1").empty());
  EXPECT_EQ(Compare(*a, *b), std::vector<std::string>{});
}

TEST(Compare, ReportsEveryKindOfDifference) {
  auto a = ParsePacemakerResult(kPacemakerOutput);
  ASSERT_TRUE(a.ok());
  Outcome b = *a;
  b.placement["r1"] = {"node1:Started"};
  b.placement.erase("g1");
  b.actions = {"start c1 node1", "start r1 node1", "stop r1 node1"};
  std::vector<std::string> d = Compare(*a, b);
  ASSERT_EQ(d.size(), 4u) << ::testing::PrintToString(d);
  EXPECT_EQ(d[0], "placement g1: only pacemaker knows it");
  EXPECT_EQ(
      d[1],
      "placement r1: pacemaker [node2:Started], paceline [node1:Started]");
  EXPECT_EQ(d[2], "actions only pacemaker [start r1 node2]");
  EXPECT_EQ(d[3], "actions only paceline [start r1 node1]");
}

TEST(Compare, RefusesOutputItCannotRead) {
  EXPECT_FALSE(ParsePacemakerResult("<pacemaker-result><status code=\"4\" "
                                    "message=\"bad\"/></pacemaker-result>")
                   .ok());
  EXPECT_FALSE(ParsePacelineSimulate("{\"schema\": \"other/1\"}").ok());
  EXPECT_FALSE(ParsePacelineSimulate("not json").ok());
}

// ---- The two schedulers, seed by seed.

class Seeds : public Pacemaker, public ::testing::WithParamInterface<int> {};

TEST_P(Seeds, AgreeWithPacemakerOrAreKnownDifferences) {
  Runner runner{.paceline_bin = PACELINE_BIN};
  std::uint64_t first = std::uint64_t(GetParam()) * kSeedsPerBlock + 1;
  for (std::uint64_t seed = first; seed < first + kSeedsPerBlock; ++seed) {
    Verdict v = runner.RunXml(GenerateCib(seed));
    std::string how = KindName(v.kind) + " " + v.detail;
    for (const auto& d : v.differences) how += "\n    " + d;
    if (const KnownDifference* k = FindKnownDifference(seed)) {
      bool invalid = std::string(k->section).find("invalid transition") !=
                     std::string::npos;
      EXPECT_EQ(v.kind,
                invalid ? Verdict::kPacemakerFailed : Verdict::kDisagree)
          << "seed " << seed << " is listed as a known difference ("
          << k->section << ") but now gives: " << how
          << "\nremove it from known_differences.cc if it agrees";
      continue;
    }
    EXPECT_EQ(v.kind, Verdict::kAgree)
        << "seed " << seed << ": " << how
        << "\nreproduce: differential --print " << seed
        << " > cib.xml; differential --file cib.xml";
  }
}

INSTANTIATE_TEST_SUITE_P(Differential, Seeds, ::testing::Range(0, kBlocks),
                         [](const auto& info) {
                           int first = info.param * kSeedsPerBlock + 1;
                           return "seeds_" + std::to_string(first) + "_to_" +
                                  std::to_string(first + kSeedsPerBlock - 1);
                         });

TEST(KnownDifferences, EachIsInTheFixedSetAndHasAReason) {
  for (const auto& k : KnownDifferences()) {
    EXPECT_GE(k.seed, 1u);
    EXPECT_LE(k.seed, std::uint64_t(kSeedsPerBlock * kBlocks));
    EXPECT_GT(std::string(k.reason).size(), 10u) << k.seed;
    EXPECT_GT(std::string(k.section).size(), 3u) << k.seed;
  }
}

}  // namespace
}  // namespace paceline::differential
