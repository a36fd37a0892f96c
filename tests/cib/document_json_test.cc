// The document tree: the layout DocumentToJson writes (it is the cib.yaml
// and `configure show --output-as=json` contract) and the strict reader.
#include "cib/document_json.h"

#include <gtest/gtest.h>

#include <string>

#include "test_documents.h"

namespace paceline::cib {
namespace {

namespace json = boost::json;

Document SmallDocument() {
  Document d;
  d.versions = {0, 2, 1};
  d.config.properties = {{"stonith-enabled", "false"}};
  d.config.nodes = {{"HA-node1", 1, "", "", {{"standby", "on"}}, {}}};
  Resource p = doc_fixtures::Primitive("p1", "ocf:heartbeat:Dummy");
  p.ops = {{"monitor", {{"interval", "10"}, {"timeout", "20s"}}}};
  Resource g;
  g.id = "g";
  g.kind = ResourceKind::kGroup;
  g.children = {"p1"};
  d.config.resources = {p, g};
  d.config.constraints = {Location{"l1", "g", Role::kUnknown, Score::Infinity(),
                                   "HA-node1", std::nullopt, ""}};
  return d;
}

TEST(DocumentJsonTest, WritesTheSchemaLayoutInKeyOrder) {
  EXPECT_EQ(json::serialize(DocumentToJson(SmallDocument())),
            R"({"admin_epoch":0,"epoch":2,"num_updates":1,)"
            R"("configuration":{"properties":{"stonith-enabled":"false"},)"
            R"("nodes":[{"name":"HA-node1","id":1,)"
            R"("attributes":{"standby":"on"}}],)"
            R"("resources":[{"primitive":"p1","agent":"ocf:heartbeat:Dummy",)"
            R"("ops":[{"name":"monitor","interval":"10","timeout":"20s"}]},)"
            R"({"group":"g","members":["p1"]}],)"
            R"("constraints":[{"location":"l1","rsc":"g","score":"INFINITY",)"
            R"("node":"HA-node1"}]}})");
}

TEST(DocumentJsonTest, EmptyDocumentStillCarriesVersions) {
  EXPECT_EQ(json::serialize(DocumentToJson(Document{})),
            R"({"admin_epoch":0,"epoch":0,"num_updates":0,)"
            R"("configuration":{}})");
}

TEST(DocumentJsonTest, WritesEveryKindOfResourceAndConstraint) {
  json::object conf = ConfigurationToJson(doc_fixtures::RichConfiguration());
  const json::array& rs = conf.at("resources").as_array();
  EXPECT_EQ(json::serialize(rs[1]),
            R"({"ms":"ms_drbd_pg","child":"drbd_pg",)"
            R"("meta":{"master-max":"1","notify":"true"}})");
  EXPECT_EQ(json::serialize(rs[7]),
            R"({"clone":"cl_dummy","child":"dummy","promotable":true})");
  EXPECT_EQ(json::serialize(rs[9]), R"({"clone":"cl_ping","child":"ping"})");
  const json::array& cs = conf.at("constraints").as_array();
  EXPECT_EQ(
      json::serialize(cs[0]),
      R"({"location":"cli-prefer-PGServer","rsc":"PGServer",)"
      R"("role":"Started","score":"INFINITY","node":"HA-node2",)"
      R"("expires":"2026-11-25T10:00:00Z","resource-discovery":"never"})");
  EXPECT_EQ(json::serialize(cs[2]),
            R"({"colocation":"col_pg_drbd","score":"INFINITY",)"
            R"("rsc":"PGServer","rsc-role":"Started","with-rsc":"ms_drbd_pg",)"
            R"("with-rsc-role":"Promoted"})");
  EXPECT_EQ(json::serialize(cs[4]),
            R"({"order":"ord_pg","kind":"Mandatory","first":"ms_drbd_pg",)"
            R"("first-action":"promote","then":"PGServer",)"
            R"("then-action":"start","symmetrical":false})");
  EXPECT_EQ(json::serialize(cs[5]),
            R"({"order":"ord_score","score":"0","first":"cl_ping",)"
            R"("then":"cl_dummy"})");
}

TEST(DocumentJsonTest, WritesStatusOnlyWhatIsSet) {
  json::object doc = DocumentToJson(doc_fixtures::RichDocument());
  const json::object& status = doc.at("status").as_object();
  const json::array& rs = status.at("nodes").at(0).at("resources").as_array();
  EXPECT_EQ(json::serialize(rs[0]), R"({"id":"drbd_pg","role":"Promoted"})");
  EXPECT_EQ(
      json::serialize(rs[1]),
      R"({"id":"pg_fs","role":"Stopped","failed":true,)"
      R"("fail-count":"INFINITY","last-failure":"2026-11-25T09:59:00Z"})");
  EXPECT_EQ(json::serialize(status.at("failures").at(1)),
            R"({"resource":"drbd_pg","node":"HA-node1","action":"monitor",)"
            R"("interval-ms":15000,"rc":7,"at":"2026-11-25T10:01:00Z"})");
}

TEST(DocumentJsonTest, RichDocumentRoundTripsThroughTheTree) {
  Document original = doc_fixtures::RichDocument();
  json::value tree = DocumentToJson(original);
  Result<Document> back = DocumentFromJson(tree);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, original);
  // And through JSON text, as `configure show --output-as=json` users see it.
  Result<Document> reparsed =
      DocumentFromJson(json::parse(json::serialize(tree)));
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().message();
  EXPECT_EQ(*reparsed, original);
}

TEST(DocumentJsonTest, ReaderAcceptsStringsForNumbersAndBooleans) {
  json::value tree = json::parse(R"({
    "admin_epoch": "1", "epoch": "12", "num_updates": 3,
    "configuration": {
      "properties": {"n": 5, "b": true},
      "nodes": [{"name": "a", "id": "7"}],
      "resources": [{"clone": "c", "child": "x", "promotable": "yes"}],
      "constraints": [{"order": "o", "first": "a", "then": "b",
                       "symmetrical": "false", "score": -5}]},
    "status": {"failures": [{"resource": "r", "node": "a", "action": "stop",
                             "rc": "1", "interval-ms": "0"}],
               "nodes": [{"name": "a", "state": "ONLINE",
                          "resources": [{"id": "r", "failed": "true"}]}]}})");
  Result<Document> doc = DocumentFromJson(tree);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->versions, (Versions{1, 12, 3}));
  EXPECT_EQ(*doc->config.properties.Get("n"), "5");
  EXPECT_EQ(*doc->config.properties.Get("b"), "true");
  EXPECT_EQ(doc->config.nodes[0].id, 7u);
  EXPECT_TRUE(doc->config.resources[0].promotable);
  EXPECT_FALSE(doc->config.resources[0].ms_syntax);
  const auto& order = std::get<Order>(doc->config.constraints[0]);
  EXPECT_EQ(order.symmetrical, std::optional<bool>(false));
  EXPECT_EQ(order.score, std::optional<Score>(Score(-5)));
  EXPECT_EQ(doc->status.failures[0].rc, 1);
  EXPECT_EQ(doc->status.nodes[0].state, NodeState::kOnline);
  EXPECT_TRUE(doc->status.nodes[0].resources[0].failed);
  EXPECT_EQ(doc->status.nodes[0].resources[0].role, Role::kStopped);
}

TEST(DocumentJsonTest, MsDefaultsToPromotableAndRolesAcceptOldNames) {
  json::value tree = json::parse(R"({"configuration": {
    "resources": [{"ms": "m", "child": "x"}],
    "constraints": [{"colocation": "c", "score": "inf", "rsc": "a",
                     "with-rsc": "m", "with-rsc-role": "Master"}]}})");
  Result<Document> doc = DocumentFromJson(tree);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_TRUE(doc->config.resources[0].promotable);
  EXPECT_TRUE(doc->config.resources[0].ms_syntax);
  const auto& col = std::get<Colocation>(doc->config.constraints[0]);
  EXPECT_EQ(col.with_rsc_role, Role::kPromoted);
  EXPECT_EQ(col.score, Score::Infinity());
}

TEST(DocumentJsonTest, CloneWithoutExactlyOneChildSurvivesARoundTrip) {
  Document d;
  Resource c;
  c.id = "c";
  c.kind = ResourceKind::kClone;
  c.children = {"a", "b"};
  Resource ms = c;
  ms.id = "m";
  ms.children = {};
  ms.ms_syntax = true;  // not promotable: written as `promotable: false`
  d.config.resources = {c, ms};
  Result<Document> back = DocumentFromJson(DocumentToJson(d));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, d);
}

struct BadTree {
  const char* json;
  const char* message;
};

class DocumentJsonErrorTest : public ::testing::TestWithParam<BadTree> {};

TEST_P(DocumentJsonErrorTest, IsCorruptAndNamesThePath) {
  Result<Document> doc = DocumentFromJson(json::parse(GetParam().json));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(doc.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DocumentJsonErrorTest,
    ::testing::Values(
        BadTree{R"([1])", "top level: expected a map, got a list"},
        BadTree{R"(null)", "top level: expected a map, got null"},
        BadTree{R"({"epoc": 1})", "top level: unknown key 'epoc'"},
        BadTree{R"({"epoch": "-1"})",
                "epoch: expected an integer from 0 to 9223372036854775807, "
                "got the string '-1'"},
        BadTree{R"({"epoch": "twelve"})",
                "epoch: expected an integer from 0 to 9223372036854775807, "
                "got the string 'twelve'"},
        BadTree{R"({"configuration": []})",
                "configuration: expected a map, got a list"},
        BadTree{R"({"configuration": {"nodes": {"a": 1}}})",
                "configuration.nodes: expected a list, got a map"},
        BadTree{R"({"configuration": {"nodes": [{"nmae": "a"}]}})",
                "configuration.nodes[0]: unknown key 'nmae'"},
        BadTree{R"({"configuration": {"nodes": [{"id": 1}]}})",
                "configuration.nodes[0]: missing required key 'name'"},
        BadTree{R"({"configuration": {"nodes": [{"name": "a",
                                                  "id": 4294967296}]}})",
                "configuration.nodes[0].id: expected an integer from 0 to "
                "4294967295, got a number"},
        BadTree{R"({"configuration": {"properties": {"a": {"b": "c"}}}})",
                "configuration.properties.a: expected a string, got a map"},
        BadTree{R"({"configuration": {"properties": {"a": null}}})",
                "configuration.properties.a: expected a string, got null"},
        BadTree{R"({"configuration": {"resources": [{"agent": "lsb:x"}]}})",
                "configuration.resources[0]: missing the kind key (one of "
                "primitive, group, clone, ms)"},
        BadTree{R"({"configuration": {"resources": [
                  {"primitive": "a", "group": "a", "agent": "lsb:x"}]}})",
                "configuration.resources[0]: has both 'primitive' and "
                "'group' (one kind key per entry)"},
        BadTree{R"({"configuration": {"resources": [{"primitive": "a"}]}})",
                "configuration.resources[0]: missing required key 'agent'"},
        BadTree{R"({"configuration": {"resources": [
                  {"primitive": "a", "agent": "ocf:Dummy"}]}})",
                "configuration.resources[0].agent: agent 'ocf:Dummy' needs a "
                "provider (expected ocf:PROVIDER:TYPE, e.g. "
                "ocf:heartbeat:IPaddr2)"},
        BadTree{R"({"configuration": {"resources": [
                  {"primitive": "a", "agent": "lsb:x", "members": ["b"]}]}})",
                "configuration.resources[0]: unknown key 'members'"},
        BadTree{R"({"configuration": {"resources": [
                  {"primitive": "a", "agent": "lsb:x",
                   "ops": [{"interval": "10"}]}]}})",
                "configuration.resources[0].ops[0]: missing required key "
                "'name'"},
        BadTree{R"({"configuration": {"resources": [
                  {"primitive": "a", "agent": "lsb:x",
                   "ops": [{"name": "monitor", "interval": [10]}]}]}})",
                "configuration.resources[0].ops[0].interval: expected a "
                "string, got a list"},
        BadTree{R"({"configuration": {"resources": [{"group": "g"}]}})",
                "configuration.resources[0]: missing required key 'members'"},
        BadTree{R"({"configuration": {"resources": [
                  {"group": "g", "members": "a b"}]}})",
                "configuration.resources[0].members: expected a list, got "
                "the string 'a b'"},
        BadTree{R"({"configuration": {"resources": [{"clone": "c"}]}})",
                "configuration.resources[0]: missing required key 'child'"},
        BadTree{R"({"configuration": {"resources": [
                  {"ms": "c", "child": "x", "promotable": "maybe"}]}})",
                "configuration.resources[0].promotable: expected true or "
                "false, got the string 'maybe'"},
        BadTree{R"({"configuration": {"constraints": [
                  {"location": "l", "rsc": "a", "node": "n"}]}})",
                "configuration.constraints[0]: missing required key 'score'"},
        BadTree{R"({"configuration": {"constraints": [
                  {"location": "l", "rsc": "a", "node": "n", "score": "lots"}]}})",
                "configuration.constraints[0].score: invalid score 'lots' "
                "(expected an integer, inf, -inf or INFINITY)"},
        BadTree{R"({"configuration": {"constraints": [{"location": "l",
                  "rsc": "a", "node": "n", "score": "1", "role": "Boss"}]}})",
                "configuration.constraints[0].role: invalid role 'Boss' "
                "(expected Started, Stopped, Promoted or Unpromoted)"},
        BadTree{R"({"configuration": {"constraints": [{"location": "l",
                  "rsc": "a", "node": "n", "score": "1", "expires": "soon"}]}})",
                "configuration.constraints[0].expires: invalid timestamp "
                "'soon' (expected e.g. 2026-11-25T10:00:00Z)"},
        BadTree{R"({"configuration": {"constraints": [
                  {"colocation": "c", "score": "1", "rsc": "a"}]}})",
                "configuration.constraints[0]: missing required key "
                "'with-rsc'"},
        BadTree{R"({"configuration": {"constraints": [{"order": "o",
                  "first": "a", "then": "b", "kind": "Sometimes"}]}})",
                "configuration.constraints[0].kind: invalid order kind "
                "'Sometimes' (expected Mandatory, Optional or Serialize)"},
        BadTree{R"({"configuration": {"constraints": [{"order": "o",
                  "first": "a", "then": "b", "then-action": "jump"}]}})",
                "configuration.constraints[0].then-action: invalid action "
                "'jump' (expected start, stop, promote or demote)"},
        BadTree{R"({"configuration": {"constraints": [{"ticket": "t"}]}})",
                "configuration.constraints[0]: missing the kind key (one of "
                "location, colocation, order)"},
        BadTree{R"({"status": {"nodes": [{"name": "a"}]}})",
                "status.nodes[0]: missing required key 'state'"},
        BadTree{R"({"status": {"nodes": [{"name": "a", "state": "gone"}]}})",
                "status.nodes[0].state: invalid node state 'gone' (expected "
                "online, offline, unclean or pending)"},
        BadTree{R"({"status": {"nodes": [{"name": "a", "state": "online",
                  "resources": [{"id": "r", "fail-count": "x"}]}]}})",
                "status.nodes[0].resources[0].fail-count: invalid score 'x' "
                "(expected an integer, inf, -inf or INFINITY)"},
        BadTree{R"({"status": {"failures": [{"resource": "r", "node": "n",
                  "action": "start", "rc": 1.5}]}})",
                "status.failures[0].rc: expected an integer from "
                "-2147483648 to 2147483647, got a number"},
        BadTree{R"({"status": {"dc": "a", "ring": 1}})",
                "status: unknown key 'ring'"}));

}  // namespace
}  // namespace paceline::cib
