// `paceline simulate` and `crm resource explain` end to end: the built
// binary on the talk's configuration (built with the talk's crm commands)
// and a status written here (both nodes online, drbd's promotion
// attributes set), checked for exit codes, the JSON schema, DOT output,
// what-ifs, --save and error lines.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../cli/run_util.h"
#include "../cli/talk_commands.h"
#include "cib/store.h"

namespace paceline::testing {
namespace {

namespace json = boost::json;

cib::ResourceState State(const std::string& id, cib::Role role) {
  cib::ResourceState rs;
  rs.id = id;
  rs.role = role;
  return rs;
}

class SimulateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& words : TalkArgv()) {
      RunResult r = RunCommand("crm", words, {{"PACELINE_CIB", cib_}});
      ASSERT_EQ(r.exit_code, 0) << words[0] << " " << words[1] << "\n" << r.err;
    }
    WriteStatus(false);
  }

  // Both nodes online with drbd's promotion attributes; running=true puts
  // the talk's steady state in place (drbd promoted and PGServer on node 1,
  // drbd unpromoted on node 2), otherwise nothing is known to run.
  void WriteStatus(bool running) {
    cib::CibStore store(cib_);
    auto doc = store.Load();
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    doc->status = {};
    doc->status.dc = "HA-node1";
    for (const char* name : {"HA-node1", "HA-node2"}) {
      cib::NodeStatus n;
      n.name = name;
      n.state = cib::NodeState::kOnline;
      n.attributes.Set("master-drbd_pg", "10000");
      bool first = n.name == "HA-node1";
      if (running) {
        n.resources.push_back(State(
            "drbd_pg", first ? cib::Role::kPromoted : cib::Role::kUnpromoted));
        for (const char* m : {"pg_lvm", "pg_fs", "pg_lsb", "pg_vip"}) {
          n.resources.push_back(
              State(m, first ? cib::Role::kStarted : cib::Role::kStopped));
        }
      }
      doc->status.nodes.push_back(n);
    }
    ASSERT_TRUE(store.Save(*doc).ok());
  }

  RunResult Simulate(std::vector<std::string> args) {
    args.insert(args.begin(), {"simulate", "--cib", cib_});
    return RunCommand("paceline", args);
  }

  json::object Json(std::vector<std::string> args) {
    args.push_back("--output-as=json");
    RunResult r = Simulate(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    boost::system::error_code ec;
    json::value v = json::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out;
    return v.is_object() ? v.as_object() : json::object{};
  }

  TempDir dir_;
  std::string cib_ = dir_.File("cib.yaml");
};

const json::object* Resource(const json::object& doc, const std::string& id) {
  for (const auto& r : doc.at("resources").as_array()) {
    if (r.at("instance").as_string() == id) return &r.as_object();
  }
  return nullptr;
}

std::string NodeOf(const json::object& doc, const std::string& instance) {
  const json::object* r = Resource(doc, instance);
  if (!r || r->at("node").is_null()) return "";
  return std::string(r->at("node").as_string());
}

// The node where drbd is promoted after the transition ("" if none).
std::string PromotedNode(const json::object& doc) {
  std::string node;
  for (const auto& r : doc.at("resources").as_array()) {
    if (r.at("id").as_string() == "drbd_pg" &&
        r.at("role").as_string() == "Promoted") {
      EXPECT_EQ(node, "") << "promoted twice";
      node = std::string(r.at("node").as_string());
    }
  }
  return node;
}

size_t Lines(const std::string& s) {
  return size_t(std::count(s.begin(), s.end(), '\n'));
}

TEST_F(SimulateTest, FreshStartPromotesAndStartsTheGroupWithIt) {
  RunResult r = Simulate({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* section :
       {"Current cluster status:\n", "Transition Summary:\n",
        "Executing Cluster Transition:\n", "Revised Cluster Status:\n",
        "    * Online: [ HA-node1 HA-node2 ]\n",
        "    * Clone Set: ms_drbd_pg [drbd_pg] (promotable):\n",
        "    * Resource Group: PGServer:\n"}) {
    EXPECT_NE(r.out.find(section), std::string::npos) << section << r.out;
  }
  EXPECT_NE(r.out.find("  * Start      pg_fs "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Resource action: pg_fs           start on HA-node"),
            std::string::npos)
      << r.out;
  json::object doc = Json({});
  std::string promoted = PromotedNode(doc);
  EXPECT_NE(promoted, "");
  for (const char* m : {"pg_lvm", "pg_fs", "pg_lsb", "pg_vip"}) {
    EXPECT_EQ(NodeOf(doc, m), promoted) << m;  // col_pg_drbd
  }
  // Deterministic: the same input prints the same bytes.
  EXPECT_EQ(Simulate({}).out, r.out);
}

TEST_F(SimulateTest, JsonFollowsTheSchema) {
  json::object doc = Json({});
  ASSERT_EQ(doc.at("schema").as_string(), "paceline.simulate/1");
  const json::array& resources = doc.at("resources").as_array();
  ASSERT_EQ(resources.size(), 6u);  // drbd_pg:0, drbd_pg:1, four members
  const std::vector<std::string> kResourceKeys = {
      "id",   "instance", "parent",  "group", "agent",
      "role", "node",     "managed", "failed"};
  for (const auto& v : resources) {
    std::vector<std::string> keys;
    for (const auto& kv : v.as_object()) keys.push_back(kv.key());
    EXPECT_EQ(keys, kResourceKeys) << json::serialize(v);
  }
  const json::object* fs = Resource(doc, "pg_fs");
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(fs->at("group").as_string(), "PGServer");
  EXPECT_TRUE(fs->at("parent").is_null());
  EXPECT_EQ(fs->at("agent").as_string(), "ocf:heartbeat:Filesystem");
  EXPECT_EQ(Resource(doc, "drbd_pg:1")->at("parent").as_string(), "ms_drbd_pg");

  const json::array& actions = doc.at("actions").as_array();
  ASSERT_FALSE(actions.empty());
  bool pseudo_seen = false, monitor_seen = false;
  for (size_t i = 0; i < actions.size(); ++i) {
    const json::object& a = actions[i].as_object();
    auto it = a.begin();
    for (const char* key : {"id", "action", "resource", "node"}) {
      ASSERT_NE(it, a.end());
      EXPECT_EQ(it->key(), key);
      ++it;
    }
    EXPECT_EQ(a.at("id").as_int64(), int64_t(i));
    if (a.contains("pseudo")) {
      pseudo_seen = true;
      EXPECT_TRUE(a.at("node").is_null());
    } else {
      EXPECT_TRUE(a.at("node").is_string());
    }
    if (a.at("action").as_string() == "monitor") {
      monitor_seen = true;
      EXPECT_TRUE(a.contains("interval_ms"));
    }
    for (const auto& p : a.at("after").as_array()) {
      EXPECT_LT(p.as_int64(), int64_t(actions.size()));
      EXPECT_NE(p.as_int64(), int64_t(i));
    }
  }
  EXPECT_TRUE(pseudo_seen);
  EXPECT_TRUE(monitor_seen);
}

TEST_F(SimulateTest, SteadyStateHasNothingToDo) {
  WriteStatus(true);
  json::object doc = Json({});
  EXPECT_TRUE(doc.at("actions").as_array().empty())
      << json::serialize(doc.at("actions"));
  EXPECT_EQ(PromotedNode(doc), "HA-node1");
  EXPECT_EQ(NodeOf(doc, "pg_fs"), "HA-node1");
  RunResult r = Simulate({});
  EXPECT_NE(r.out.find("Transition Summary:\n\nExecuting Cluster "
                       "Transition:\n\nRevised"),
            std::string::npos)
      << r.out;
}

TEST_F(SimulateTest, NodeDownMovesEverythingToTheSurvivor) {
  WriteStatus(true);
  json::object before = Json({});
  json::object after = Json({"--node-down", "HA-node1"});
  EXPECT_NE(json::serialize(before), json::serialize(after));
  EXPECT_EQ(PromotedNode(after), "HA-node2");
  EXPECT_EQ(NodeOf(after, "pg_fs"), "HA-node2");
  RunResult r = Simulate({"--node-down", "HA-node1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  * Taking node HA-node1 offline\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  * Move       pg_fs       ( HA-node1 -> HA-node2 )"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  * Promote    drbd_pg:"), std::string::npos) << r.out;
  // The file is untouched without --save.
  EXPECT_EQ(Json({}).at("actions").as_array().size(), 0u);
}

TEST_F(SimulateTest, StartFailureMovesTheGroup) {
  WriteStatus(true);
  json::object doc = Json({"--fail", "pg_fs:start:HA-node1"});
  EXPECT_EQ(NodeOf(doc, "pg_fs"), "HA-node2");
  EXPECT_EQ(NodeOf(doc, "pg_lvm"), "HA-node2");
  EXPECT_EQ(PromotedNode(doc), "HA-node2");
}

TEST_F(SimulateTest, DotWritesTheGraph) {
  std::string dot = dir_.File("graph.dot");
  RunResult r = Simulate({"--dot", dot});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = ReadFile(dot);
  EXPECT_EQ(text.rfind("digraph", 0), 0u) << text;
  EXPECT_NE(text.find("->"), std::string::npos);
  EXPECT_NE(text.find("\"pg_fs_start_0 HA-node"), std::string::npos) << text;
  EXPECT_EQ(text.substr(text.size() - 2), "}\n");
}

TEST_F(SimulateTest, ScoresNameTheirSources) {
  WriteStatus(true);
  RunResult r = Simulate({"--scores"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Allocation scores:\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("score: pg_fs on HA-node1: +100  (stickiness"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("promotion score: drbd_pg:"), std::string::npos)
      << r.out;
  EXPECT_LT(r.out.find("Allocation scores:"),
            r.out.find("Transition Summary:"));
}

TEST_F(SimulateTest, SaveStepsTheScenarioForward) {
  cib::Document d0 = *cib::CibStore(cib_).Load();
  RunResult r = Simulate({"--save"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  cib::Document d1 = *cib::CibStore(cib_).Load();
  EXPECT_EQ(d1.config, d0.config);
  EXPECT_EQ(d1.versions.epoch, d0.versions.epoch);
  EXPECT_EQ(d1.versions.num_updates, d0.versions.num_updates + 1);
  EXPECT_NE(d1.status, d0.status);
  // Converged: the saved status needs no further action.
  json::object doc = Json({});
  EXPECT_TRUE(doc.at("actions").as_array().empty())
      << json::serialize(doc.at("actions"));
  RunResult again = Simulate({"--save"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(cib::CibStore(cib_).Load()->versions, d1.versions);
}

TEST_F(SimulateTest, CibFromTheEnvironment) {
  RunResult a = RunCommand("paceline", {"simulate"}, {{"PACELINE_CIB", cib_}});
  RunResult b = RunCommand("paceline", {"simulate"}, {{"CIB_file", cib_}});
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(a.out, Simulate({}).out);
  EXPECT_EQ(b.out, a.out);
}

struct BadCase {
  std::vector<std::string> args;
  int exit_code;
  std::string names;  // must appear in the one error line
};

TEST_F(SimulateTest, BadInputGivesOneLineAndLeavesTheFile) {
  const BadCase kCases[] = {
      {{"--bogus"}, 2, "--bogus"},
      {{"--output-as=xml"}, 2, "xml"},
      {{"--quorum=maybe"}, 2, "maybe"},
      {{"--fail", "pg_fs"}, 2, "RSC:ACTION:NODE"},
      {{"--fail", "pg_fs:frob:HA-node1"}, 2, "frob"},
      {{"--node-down"}, 2, "node-down"},
      {{"stray"}, 2, "stray"},
      {{"--pacemaker-xml", "cib.xml"}, 2, "--pacemaker-xml cannot be combined"},
      {{"--node-down", "HA-node9"}, 1, "HA-node9"},
      {{"--fail", "nosuch:start:HA-node1"}, 1, "nosuch"},
      {{"--fail", "PGServer:start:HA-node1"}, 1, "PGServer"},
      {{"--save", "--node-up", "HA-node7"}, 1, "HA-node7"},
  };
  std::string original = ReadFile(cib_);
  for (const BadCase& c : kCases) {
    RunResult r = Simulate(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args[0] << "\n" << r.err;
    EXPECT_EQ(Lines(r.err), 1u) << c.args[0] << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("ERROR: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << c.args[0];
  }
  EXPECT_EQ(ReadFile(cib_), original);
  RunResult missing =
      RunCommand("paceline", {"simulate", "--cib", dir_.File("none.yaml")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("none.yaml"), std::string::npos) << missing.err;
  // Without a file it asks the local daemon (the live cluster); none here.
  RunResult nowhere = RunCommand("paceline", {"simulate"},
                                 {{"PACELINE_SOCKET", dir_.File("no.sock")}});
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_EQ(Lines(nowhere.err), 1u) << nowhere.err;
  EXPECT_NE(nowhere.err.find("--cib FILE"), std::string::npos) << nowhere.err;
}

TEST_F(SimulateTest, HelpListsTheOptions) {
  RunResult r = RunCommand("paceline", {"simulate", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* o : {"--node-down", "--fail", "--scores", "--dot", "--save",
                        "--output-as"}) {
    EXPECT_NE(r.out.find(o), std::string::npos) << o;
  }
}

TEST_F(SimulateTest, ExplainShowsTheWinnerAndWhyOthersLost) {
  WriteStatus(true);
  RunResult r =
      RunCommand("crm", {"--cib", cib_, "resource", "explain", "PGServer"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("now:   Started on HA-node1"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("HA-node1: +"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<- chosen"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stickiness"), std::string::npos) << r.out;
  for (const char* m : {"pg_lvm", "pg_fs", "pg_lsb", "pg_vip"}) {
    EXPECT_NE(r.out.find(std::string("\n") + m + " ("), std::string::npos)
        << m << "\n"
        << r.out;
  }
  // Standby rules node 1 out, and explain says so.
  ASSERT_EQ(RunCommand("crm", {"--cib", cib_, "node", "standby", "HA-node1"})
                .exit_code,
            0);
  r = RunCommand("crm", {"--cib", cib_, "resource", "explain", "pg_fs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ruled out by: node HA-node1 is in standby"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Move       pg_fs"), std::string::npos) << r.out;

  r = RunCommand("crm", {"--cib", cib_, "resource", "explain", "ms_drbd_pg"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("drbd_pg:0 ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("drbd_pg:1 ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("promotion scores:"), std::string::npos) << r.out;
}

TEST_F(SimulateTest, ExplainRejectsBadInput) {
  RunResult r =
      RunCommand("crm", {"--cib", cib_, "resource", "explain", "nosuch"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nosuch"), std::string::npos) << r.err;
  r = RunCommand("crm", {"--cib", cib_, "resource", "explain"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Lines(r.err), 1u) << r.err;
}

}  // namespace
}  // namespace paceline::testing
