// The crm `configure` grammar: every statement form and alias, the talk's
// commands as the shell hands them over, and malformed statements whose
// messages must name the offending token.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cib/duration.h"
#include "cli/crm/lexer.h"
#include "cli/crm/parser.h"
#include "common/strings.h"

namespace paceline::cli::crm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// "a b c" -> {"a", "b", "c"}; for tokens with blanks build the vector.
Tokens Words(std::string_view text) {
  Tokens out;
  for (auto& w : Split(text, ' ')) {
    if (!w.empty()) out.push_back(w);
  }
  return out;
}

cib::ConfigObject ParseOk(const Tokens& tokens) {
  auto result = ParseConfigObject(tokens);
  EXPECT_TRUE(result.ok()) << Join(tokens, " ") << ": "
                           << result.status().message();
  return result.ok() ? *result : cib::ConfigObject{};
}

cib::Resource ResourceOf(const Tokens& tokens) {
  auto object = ParseOk(tokens);
  EXPECT_TRUE(std::holds_alternative<cib::Resource>(object));
  auto* r = std::get_if<cib::Resource>(&object);
  return r ? *r : cib::Resource{};
}

template <typename T>
T ConstraintOf(const Tokens& tokens) {
  auto object = ParseOk(tokens);
  auto* c = std::get_if<cib::Constraint>(&object);
  EXPECT_TRUE(c != nullptr && std::holds_alternative<T>(*c))
      << Join(tokens, " ");
  return (c && std::holds_alternative<T>(*c)) ? std::get<T>(*c) : T{};
}

cib::Node NodeOf(const Tokens& tokens) {
  auto object = ParseOk(tokens);
  auto* n = std::get_if<cib::Node>(&object);
  EXPECT_TRUE(n != nullptr) << Join(tokens, " ");
  return n ? *n : cib::Node{};
}

cib::PropertySet SetOf(const Tokens& tokens) {
  auto object = ParseOk(tokens);
  auto* s = std::get_if<cib::PropertySet>(&object);
  EXPECT_TRUE(s != nullptr) << Join(tokens, " ");
  return s ? *s : cib::PropertySet{};
}

std::string Value(const cib::Attributes& attrs, std::string_view name) {
  const std::string* v = attrs.Get(name);
  return v ? *v : "<unset>";
}

// ---- node

TEST(CrmParserTest, NodeWithNumericIdAsCrmshShowsIt) {
  cib::Node n = NodeOf(Words("node 1: HA-node1 attributes standby=on"));
  EXPECT_EQ(n.id, 1u);
  EXPECT_EQ(n.name, "HA-node1");
  EXPECT_EQ(n.type, "");
  EXPECT_EQ(Value(n.attributes, "standby"), "on");
}

TEST(CrmParserTest, NodeWithDollarIdTypeDescriptionAndUtilization) {
  cib::Node n =
      NodeOf({"node", "$id=7", "n7:member", "description=rack 4", "attributes",
              "a=1", "b=2", "utilization", "cpu=8", "attributes", "a=3"});
  EXPECT_EQ(n.id, 7u);
  EXPECT_EQ(n.name, "n7");
  EXPECT_EQ(n.type, "member");
  EXPECT_EQ(n.description, "rack 4");
  EXPECT_EQ(n.attributes, (cib::Attributes{{"a", "3"}, {"b", "2"}}));
  EXPECT_EQ(Value(n.utilization, "cpu"), "8");
}

TEST(CrmParserTest, NodeAttributesWithoutTheKeyword) {
  cib::Node n = NodeOf(Words("node n1:ping standby=off"));
  EXPECT_EQ(n.type, "ping");
  EXPECT_EQ(Value(n.attributes, "standby"), "off");
}

// ---- primitive

TEST(CrmParserTest, PrimitiveWithEverySection) {
  cib::Resource r = ResourceOf({"primitive",
                                "vip",
                                "ocf:heartbeat:IPaddr2",
                                "description=the VIP",
                                "params",
                                "ip=10.0.0.1",
                                "cidr_netmask=24",
                                "meta",
                                "target-role=Stopped",
                                "utilization",
                                "cpu=1",
                                "op",
                                "monitor",
                                "interval=10s",
                                "timeout=20s",
                                "role=Promoted",
                                "op",
                                "start",
                                "params",
                                "nic=eth1",
                                "op",
                                "stop"});
  EXPECT_EQ(r.kind, cib::ResourceKind::kPrimitive);
  EXPECT_EQ(r.id, "vip");
  EXPECT_EQ(r.agent.ToString(), "ocf:heartbeat:IPaddr2");
  EXPECT_EQ(r.description, "the VIP");
  EXPECT_EQ(r.params,
            (cib::Attributes{
                {"ip", "10.0.0.1"}, {"cidr_netmask", "24"}, {"nic", "eth1"}}));
  EXPECT_EQ(Value(r.meta, "target-role"), "Stopped");
  EXPECT_EQ(Value(r.utilization, "cpu"), "1");
  ASSERT_EQ(r.ops.size(), 3u);
  EXPECT_EQ(r.ops[0].name, "monitor");
  EXPECT_EQ(r.ops[0].attrs, (cib::Attributes{{"interval", "10s"},
                                             {"timeout", "20s"},
                                             {"role", "Promoted"}}));
  EXPECT_EQ(r.ops[1].name, "start");
  EXPECT_TRUE(r.ops[1].attrs.empty());
  EXPECT_EQ(r.ops[2].name, "stop");
}

TEST(CrmParserTest, PrimitiveValuesSplitAtTheFirstEqualsAndLastWins) {
  cib::Resource r = ResourceOf({"primitive", "p", "lsb:postgresql", "params",
                                "opts=a=b,c=d", "empty=", "x=1", "x=2"});
  EXPECT_EQ(r.params,
            (cib::Attributes{{"opts", "a=b,c=d"}, {"empty", ""}, {"x", "2"}}));
}

TEST(CrmParserTest, PrimitiveParamsWithoutTheKeywordAsCrmshAllows) {
  cib::Resource r =
      ResourceOf(Words("primitive d ocf:pacemaker:Dummy state=1 "
                       "meta is-managed=false"));
  EXPECT_EQ(Value(r.params, "state"), "1");
  EXPECT_EQ(Value(r.meta, "is-managed"), "false");
}

TEST(CrmParserTest, KeywordsAreCaseInsensitive) {
  cib::Resource r =
      ResourceOf(Words("Primitive p lsb:foo PARAMS a=1 Op monitor"));
  EXPECT_EQ(Value(r.params, "a"), "1");
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_TRUE(IsConfigObjectKeyword("primitive"));
  EXPECT_TRUE(IsConfigObjectKeyword("MS"));
  EXPECT_TRUE(IsConfigObjectKeyword("collocation"));
  EXPECT_FALSE(IsConfigObjectKeyword("show"));
  EXPECT_FALSE(IsConfigObjectKeyword("delete"));
}

// ---- group, clone, ms

TEST(CrmParserTest, GroupMembersThenSections) {
  cib::Resource r = ResourceOf(
      Words("group PGServer pg_lvm pg_fs pg_lsb pg_vip description=stack meta "
            "target-role=Started params x=1"));
  EXPECT_EQ(r.kind, cib::ResourceKind::kGroup);
  EXPECT_THAT(r.children, ElementsAre("pg_lvm", "pg_fs", "pg_lsb", "pg_vip"));
  EXPECT_EQ(r.description, "stack");
  EXPECT_EQ(Value(r.meta, "target-role"), "Started");
  EXPECT_EQ(Value(r.params, "x"), "1");
}

TEST(CrmParserTest, CloneIsNotPromotableByDefault) {
  cib::Resource r = ResourceOf(Words("clone cl d meta clone-max=2"));
  EXPECT_EQ(r.kind, cib::ResourceKind::kClone);
  EXPECT_THAT(r.children, ElementsAre("d"));
  EXPECT_FALSE(r.promotable);
  EXPECT_FALSE(r.ms_syntax);
}

TEST(CrmParserTest, CloneMetaPromotableKeepsTheMetaEntry) {
  for (const char* spelling : {"true", "yes", "on", "1", "TRUE"}) {
    cib::Resource r = ResourceOf(
        Words(std::string("clone cl d meta promotable=") + spelling));
    EXPECT_TRUE(r.promotable) << spelling;
    EXPECT_FALSE(r.ms_syntax);
    EXPECT_EQ(Value(r.meta, "promotable"), spelling);
  }
  cib::Resource off = ResourceOf(Words("clone cl d meta promotable=false"));
  EXPECT_FALSE(off.promotable);
}

TEST(CrmParserTest, MsAndMasterArePromotableClones) {
  for (const char* keyword : {"ms", "master", "MS"}) {
    cib::Resource r = ResourceOf(
        Words(std::string(keyword) + " ms_drbd_pg drbd_pg meta notify=true"));
    EXPECT_EQ(r.kind, cib::ResourceKind::kClone) << keyword;
    EXPECT_TRUE(r.promotable);
    EXPECT_TRUE(r.ms_syntax);
    EXPECT_THAT(r.children, ElementsAre("drbd_pg"));
    EXPECT_EQ(Value(r.meta, "notify"), "true");
  }
}

// ---- location

TEST(CrmParserTest, LocationScoreNode) {
  auto l = ConstraintOf<cib::Location>(
      Words("location cli-prefer-PGServer PGServer role=Started inf: "
            "HA-node2"));
  EXPECT_EQ(l.id, "cli-prefer-PGServer");
  EXPECT_EQ(l.rsc, "PGServer");
  EXPECT_EQ(l.role, cib::Role::kStarted);
  EXPECT_EQ(l.score, cib::Score::Infinity());
  EXPECT_EQ(l.node, "HA-node2");
  EXPECT_FALSE(l.expires.has_value());
}

TEST(CrmParserTest, LocationRoleAliasesAndDiscovery) {
  auto l = ConstraintOf<cib::Location>(
      Words("location l ms1 resource-discovery=never $role=Master -100: n1"));
  EXPECT_EQ(l.role, cib::Role::kPromoted);
  EXPECT_EQ(l.resource_discovery, "never");
  EXPECT_EQ(l.score.value(), -100);
  auto s =
      ConstraintOf<cib::Location>(Words("location l ms1 role=slave 5: n1"));
  EXPECT_EQ(s.role, cib::Role::kUnpromoted);
}

TEST(CrmParserTest, LocationRuleWithLifetime) {
  auto l = ConstraintOf<cib::Location>(
      {"location", "cli-prefer-g", "g", "role=Started", "rule",
       "$id=cli-prefer-rule-g", "inf:", "#uname", "eq", "n2", "and", "date",
       "lt", "2026-11-25T10:00:00Z"});
  EXPECT_EQ(l.node, "n2");
  EXPECT_EQ(l.role, cib::Role::kStarted);
  EXPECT_EQ(l.score, cib::Score::Infinity());
  ASSERT_TRUE(l.expires.has_value());
  EXPECT_EQ(cib::FormatTimestamp(*l.expires), "2026-11-25T10:00:00Z");
}

TEST(CrmParserTest, LocationRuleRoleDefaultScoreAndTypedEq) {
  auto l = ConstraintOf<cib::Location>(
      Words("location l ms1 rule $role=Master #uname string:eq n1"));
  EXPECT_EQ(l.role, cib::Role::kPromoted);
  EXPECT_EQ(l.score, cib::Score::Infinity());
  EXPECT_EQ(l.node, "n1");
  EXPECT_FALSE(l.expires.has_value());
}

// ---- colocation

TEST(CrmParserTest, ColocationScoreSpellings) {
  struct Case {
    const char* score;
    long long value;
  };
  for (Case c :
       {Case{"inf:", cib::kInfinity}, Case{"+inf:", cib::kInfinity},
        Case{"INFINITY:", cib::kInfinity}, Case{"+INFINITY:", cib::kInfinity},
        Case{"-inf:", -cib::kInfinity}, Case{"-INFINITY:", -cib::kInfinity},
        Case{"100:", 100}, Case{"-5:", -5}, Case{"0:", 0}}) {
    auto col = ConstraintOf<cib::Colocation>(
        Words(std::string("colocation c ") + c.score + " A B"));
    EXPECT_EQ(col.score.value(), c.value) << c.score;
  }
}

TEST(CrmParserTest, ColocationRolesAndAlias) {
  auto col = ConstraintOf<cib::Colocation>(
      Words("collocation col_pg_drbd inf: PGServer ms_drbd_pg:Master"));
  EXPECT_EQ(col.id, "col_pg_drbd");
  EXPECT_EQ(col.rsc, "PGServer");
  EXPECT_EQ(col.rsc_role, cib::Role::kUnknown);
  EXPECT_EQ(col.with_rsc, "ms_drbd_pg");
  EXPECT_EQ(col.with_rsc_role, cib::Role::kPromoted);
  auto slave = ConstraintOf<cib::Colocation>(
      Words("colocation c -inf: a:Slave b:Unpromoted"));
  EXPECT_EQ(slave.rsc_role, cib::Role::kUnpromoted);
  EXPECT_EQ(slave.with_rsc_role, cib::Role::kUnpromoted);
  EXPECT_EQ(slave.score, cib::Score::MinusInfinity());
}

// ---- order

TEST(CrmParserTest, OrderKindsAndScores) {
  auto o = ConstraintOf<cib::Order>(
      Words("order ord_pg Mandatory: ms_drbd_pg:promote PGServer:start"));
  EXPECT_EQ(o.kind, cib::OrderKind::kMandatory);
  EXPECT_FALSE(o.score.has_value());
  EXPECT_EQ(o.first, "ms_drbd_pg");
  EXPECT_EQ(o.first_action, cib::Action::kPromote);
  EXPECT_EQ(o.then, "PGServer");
  EXPECT_EQ(o.then_action, cib::Action::kStart);
  EXPECT_FALSE(o.symmetrical.has_value());

  auto opt = ConstraintOf<cib::Order>(Words("order o optional: a b"));
  EXPECT_EQ(opt.kind, cib::OrderKind::kOptional);
  auto ser = ConstraintOf<cib::Order>(Words("order o Serialize: a b"));
  EXPECT_EQ(ser.kind, cib::OrderKind::kSerialize);

  auto scored = ConstraintOf<cib::Order>(Words("order o inf: a:stop b:demote"));
  EXPECT_FALSE(scored.kind.has_value());
  EXPECT_EQ(scored.score, cib::Score::Infinity());
  EXPECT_EQ(scored.first_action, cib::Action::kStop);
  EXPECT_EQ(scored.then_action, cib::Action::kDemote);

  auto zero = ConstraintOf<cib::Order>(Words("order o 0: a b"));
  EXPECT_EQ(zero.score, cib::Score(0));
  EXPECT_EQ(zero.EffectiveKind(), cib::OrderKind::kOptional);
}

TEST(CrmParserTest, OrderWithoutKindIsMandatoryAndSymmetricalIsRead) {
  auto o = ConstraintOf<cib::Order>(Words("order o a b symmetrical=false"));
  EXPECT_EQ(o.kind, cib::OrderKind::kMandatory);
  EXPECT_EQ(o.symmetrical, false);
  auto yes =
      ConstraintOf<cib::Order>(Words("order o inf: a b symmetrical=yes"));
  EXPECT_EQ(yes.symmetrical, true);
}

// ---- property sets

TEST(CrmParserTest, PropertySetsWithAndWithoutSetIds) {
  auto p = SetOf({"property", "cib-bootstrap-options:", "stonith-enabled=false",
                  "no-quorum-policy=ignore", "motd=hello world"});
  EXPECT_EQ(p.section, cib::PropertySet::Section::kClusterProperties);
  EXPECT_EQ(p.attrs, (cib::Attributes{{"stonith-enabled", "false"},
                                      {"no-quorum-policy", "ignore"},
                                      {"motd", "hello world"}}));
  auto r = SetOf(Words("rsc_defaults rsc-options: resource-stickiness=100"));
  EXPECT_EQ(r.section, cib::PropertySet::Section::kRscDefaults);
  EXPECT_EQ(Value(r.attrs, "resource-stickiness"), "100");
  auto o = SetOf(Words("op_defaults $id=op-options timeout=60s"));
  EXPECT_EQ(o.section, cib::PropertySet::Section::kOpDefaults);
  EXPECT_EQ(o.attrs, (cib::Attributes{{"timeout", "60s"}}));
  auto bare = SetOf(Words("property stonith-enabled=false"));
  EXPECT_EQ(bare.attrs, (cib::Attributes{{"stonith-enabled", "false"}}));
}

// ---- the talk's commands, as argv words after `crm configure`

// What bash hands over for the talk's lines ending in "\  ": the escaped
// blank becomes a word of its own, and pasting variants add "\\" words.
std::vector<std::vector<std::string>> TalkArgv() {
  return {
      {"property", "stonith-enabled=false"},
      {"property", "no-quorum-policy=ignore"},
      {"property", "default-resource-stickiness=100"},
      {"primitive",   "drbd_pg",    "ocf:linbit:drbd",
       " ",           "params",     "drbd_resource=pg",
       "\\",          "op",         "monitor",
       "interval=15", "\\ ",        "op",
       "start",       "interval=0", "timeout=240",
       " ",           "op",         "stop",
       "interval=0",  "timeout=120"},
      {"ms", "ms_drbd_pg", "drbd_pg", "\\", "meta", "master-max=1",
       "master-node-max=1", "clone-max=2", "\\  ", "clone-node-max=1",
       "notify=true"},
      {"primitive", "pg_lvm", "ocf:heartbeat:LVM", "\\", "params",
       "volgrpname=VG_PG", "\\", "op", "start", "interval=0", "timeout=30",
       "\\", "op", "stop", "interval=0", "timeout=30"},
      {"primitive",
       "pg_fs",
       "ocf:heartbeat:Filesystem",
       " ",
       "params",
       "device=/dev/VG_PG/LV_DATA",
       "directory=/db/pgdata",
       " ",
       "options=noatime,nodiratime",
       "fstype=xfs",
       " ",
       "op",
       "start",
       "interval=0",
       "timeout=60",
       " ",
       "op",
       "stop",
       "interval=0",
       "timeout=120"},
      {"primitive", "pg_lsb", "lsb:postgresql", "\\", "op", "monitor",
       "interval=30", "timeout=60", "\\", "op", "start", "interval=0",
       "timeout=60", "\\", "op", "stop", "interval=0", "timeout=60"},
      {"primitive", "pg_vip", "ocf:heartbeat:IPAddr2", "\\ ", "params",
       "ip=192.168.56.30", "iflabel=pgvip", "\\ ", "op", "monitor",
       "interval=5"},
      {"group", "PGServer", "pg_lvm", "pg_fs", "pg_lsb", "pg_vip"},
      {"colocation", "col_pg_drbd", "inf:", "PGServer", " ",
       "ms_drbd_pg:Master"},
      {"order", "ord_pg", "inf:", "ms_drbd_pg:promote", "\\", "PGServer:start"},
  };
}

TEST(CrmParserTest, TalkCommandsParseFromArgv) {
  std::vector<cib::ConfigObject> objects;
  for (const auto& argv : TalkArgv()) {
    Tokens tokens = CleanArgv(argv);
    auto object = ParseConfigObject(tokens);
    ASSERT_TRUE(object.ok())
        << Join(tokens, " ") << ": " << object.status().message();
    objects.push_back(*object);
  }
  ASSERT_EQ(objects.size(), 12u);
  auto drbd = std::get<cib::Resource>(objects[3]);
  EXPECT_EQ(drbd.agent.ToString(), "ocf:linbit:drbd");
  EXPECT_EQ(Value(drbd.params, "drbd_resource"), "pg");
  ASSERT_EQ(drbd.ops.size(), 3u);
  EXPECT_EQ(drbd.ops[0].attrs, (cib::Attributes{{"interval", "15"}}));
  EXPECT_EQ(drbd.ops[1].attrs,
            (cib::Attributes{{"interval", "0"}, {"timeout", "240"}}));
  auto ms = std::get<cib::Resource>(objects[4]);
  EXPECT_TRUE(ms.promotable && ms.ms_syntax);
  EXPECT_EQ(ms.meta.size(), 5u);
  auto fs = std::get<cib::Resource>(objects[6]);
  EXPECT_EQ(Value(fs.params, "options"), "noatime,nodiratime");
  auto lsb = std::get<cib::Resource>(objects[7]);
  EXPECT_EQ(lsb.agent.standard, "lsb");
  EXPECT_TRUE(lsb.params.empty());
  auto col = std::get<cib::Colocation>(std::get<cib::Constraint>(objects[10]));
  EXPECT_EQ(col.with_rsc_role, cib::Role::kPromoted);
  auto ord = std::get<cib::Order>(std::get<cib::Constraint>(objects[11]));
  EXPECT_EQ(ord.score, cib::Score::Infinity());
  EXPECT_EQ(ord.first_action, cib::Action::kPromote);
  EXPECT_EQ(ord.then_action, cib::Action::kStart);
}

TEST(CrmParserTest, TalkCommandsParseFromPastedText) {
  // The same commands pasted into a `configure load` file, "\  " line ends
  // included.
  const char* text =
      "primitive drbd_pg ocf:linbit:drbd \\  \n"
      "  params drbd_resource=\"pg\" \\  \n"
      "  op monitor interval=\"15\" \\  \n"
      "  op start interval=\"0\" timeout=\"240\" \\  \n"
      "  op stop interval=\"0\" timeout=\"120\"\n"
      "ms ms_drbd_pg drbd_pg \\  \n"
      "  meta master-max=\"1\" master-node-max=\"1\" clone-max=\"2\" \\  \n"
      "  clone-node-max=\"1\" notify=\"true\"\n"
      "colocation col_pg_drbd inf: PGServer \\  \n"
      "  ms_drbd_pg:Master\n"
      "order ord_pg inf: ms_drbd_pg:promote \\  \n"
      "PGServer:start\n";
  auto statements = SplitStatements(text);
  ASSERT_TRUE(statements.ok()) << statements.status().message();
  ASSERT_EQ(statements->size(), 4u);
  for (const auto& st : *statements) {
    auto object = ParseConfigObject(st.tokens);
    EXPECT_TRUE(object.ok())
        << "line " << st.line << ": " << object.status().message();
  }
  EXPECT_EQ((*statements)[3].line, 11);
}

// ---- malformed statements

struct BadCase {
  Tokens tokens;
  std::string prefix;  // statement kind (and id) the message starts with
  std::string names;   // the offending token / what is missing
};

std::vector<BadCase> BadCases() {
  return {
      {Words("primitive p1"), "primitive p1:", "missing agent"},
      {Words("primitive p1 foo:bar:baz"), "primitive p1:", "'foo'"},
      {Words("primitive p1 ocf:heartbeat"), "primitive p1:", "'ocf:heartbeat'"},
      {Words("primitive 1p ocf:a:b"), "primitive:", "invalid id '1p'"},
      {Words("primitive meta ocf:a:b"), "primitive:", "invalid id 'meta'"},
      {Words("primitive p1 @tmpl"),
       "primitive p1:", "templates are not supported ('@tmpl'"},
      {Words("primitive p1 ocf:a:b params foo"),
       "primitive p1:", "expected NAME=VALUE after 'params', got 'foo'"},
      {Words("primitive p1 ocf:a:b params a=1 =2"),
       "primitive p1:", "got '=2'"},
      {Words("primitive p1 ocf:a:b params"),
       "primitive p1:", "after 'params', got end of statement"},
      {Words("primitive p1 ocf:a:b op"),
       "primitive p1:", "missing operation name"},
      {Words("primitive p1 ocf:a:b op interval=10"),
       "primitive p1:", "got 'interval=10'"},
      {Words("primitive p1 ocf:a:b op monitor interval=10 bogus"),
       "primitive p1:", "after 'op monitor', got 'bogus'"},
      {Words("primitive p1 ocf:a:b bogus"), "primitive p1:",
       "unexpected 'bogus' (expected params, meta, utilization or op)"},
      {Words("primitive p1 ocf:a:b attributes a=1"),
       "primitive p1:", "unexpected 'attributes'"},
      {Words("group g"), "group g:", "missing members"},
      {Words("group g meta a=1"), "group g:", "missing members before 'meta'"},
      {Words("group g a a"), "group g:", "'a' is listed twice"},
      {Words("group g a b:c"), "group g:", "invalid id 'b:c'"},
      {Words("group g a op monitor"), "group g:", "unexpected 'op'"},
      {Words("clone c"), "clone c:", "missing child resource"},
      {Words("clone c a b"), "clone c:", "unexpected 'b'"},
      {Words("clone c a meta promotable=maybe"), "clone c:", "'maybe'"},
      {Words("ms m"), "ms m:", "missing child resource"},
      {Words("master m a b"), "ms m:", "unexpected 'b'"},
      {Words("colocation c"), "colocation c:", "missing score"},
      {Words("colocation c inf:"),
       "colocation c:", "missing resources after 'inf:'"},
      {Words("colocation c inf: A"),
       "colocation c:", "missing second resource after 'A'"},
      {Words("colocation c A B"), "colocation c:", "unexpected 'A'"},
      {Words("colocation c inf: A B C"), "colocation c:",
       "resource sets are not supported yet (give exactly two resources"},
      {Words("colocation c inf: ( A B )"),
       "colocation c:", "resource sets are not supported yet"},
      {Words("collocation c inf: [ A B ]"),
       "colocation c:", "resource sets are not supported yet"},
      {Words("colocation c inf: A:Boss B"),
       "colocation c:", "unknown role 'Boss' in 'A:Boss'"},
      {Words("colocation c inf: A: B"),
       "colocation c:", "nothing after ':' in 'A:'"},
      {Words("colocation c sometimes: A B"),
       "colocation c:", "invalid score 'sometimes'"},
      {Words("colocation c inf: A B node-attribute=rack"),
       "colocation c:", "unexpected 'node-attribute=rack'"},
      {Words("order o inf: A:launch B"),
       "order o:", "unknown action 'launch' in 'A:launch'"},
      {Words("order o inf: A B symmetrical=maybe"),
       "order o:", "invalid boolean 'maybe' for symmetrical"},
      {Words("order o inf: A B foo=bar"), "order o:", "unexpected 'foo=bar'"},
      {Words("order o inf: A symmetrical=true B"),
       "order o:", "unexpected 'symmetrical=true'"},
      {Words("order o Whenever: A B"),
       "order o:", "invalid score or kind 'Whenever:'"},
      {Words("order o inf: A B C"),
       "order o:", "resource sets are not supported yet"},
      {Words("order o inf: A"),
       "order o:", "missing second resource after 'A'"},
      {Words("location l"), "location l:", "missing resource"},
      {Words("location l r"),
       "location l:", "missing score and node after 'r'"},
      {Words("location l r inf:"), "location l:", "missing node after 'inf:'"},
      {Words("location l r n1"), "location l:", "unexpected 'n1'"},
      {Words("location l r role=Boss inf: n1"),
       "location l:", "unknown role 'Boss'"},
      {Words("location l r inf: n1 extra"),
       "location l:", "unexpected 'extra'"},
      {Words("location l r inf: bad:node"),
       "location l:", "invalid node name 'bad:node'"},
      {Words("location l r weight=5 inf: n1"),
       "location l:", "unexpected 'weight=5'"},
      {Words("location l r resource-discovery=sometimes inf: n1"),
       "location l:", "invalid resource-discovery 'sometimes'"},
      {Words("location l { a b } inf: n1"),
       "location l:", "'{' makes a resource set or pattern"},
      {Words("location l r rule inf: #uname ne n1"), "location l:",
       "unsupported rule expression '#uname ne n1' (supported: #uname eq "
       "NODE [and date lt TIMESTAMP])"},
      {Words("location l r rule inf: pingd gt 0"),
       "location l:", "unsupported rule expression 'pingd gt 0'"},
      {Words("location l r rule inf:"),
       "location l:", "missing rule expression"},
      {Words("location l r rule inf: #uname eq n1 and date lt yesterday"),
       "location l:", "invalid timestamp 'yesterday'"},
      {Words("location l r role=Started rule $role=Promoted #uname eq n1"),
       "location l:", "conflicting roles"},
      {Words("node"), "node:", "missing node name"},
      {Words("node 0: n1"), "node:", "invalid node id '0:'"},
      {Words("node abc: n1"), "node:", "invalid node id 'abc:'"},
      {Words("node n1:boss"), "node n1:", "unknown node type 'boss'"},
      {Words("node n1 attributes standby"), "node n1:", "got 'standby'"},
      {Words("node n1 op monitor"),
       "node n1:", "unexpected 'op' (expected attributes or utilization)"},
      {Words("property"), "property:",
       "expected NAME=VALUE after 'property', got end of statement"},
      {Words("property stonith-enabled false"),
       "property:", "got 'stonith-enabled'"},
      {Words("property a=1 meta b=2"), "property:", "got 'meta'"},
      {Words("rsc_defaults rsc-options:"),
       "rsc_defaults:", "after 'rsc-options:', got end of statement"},
      {Words("op_defaults timeout"), "op_defaults:", "got 'timeout'"},
      {Words("frobnicate x"), "unknown configure command 'frobnicate'",
       "expected one of: node, primitive"},
      {Tokens{}, "empty statement", "expected one of"},
  };
}

TEST(CrmParserTest, MalformedStatementsNameTheOffendingToken) {
  std::vector<BadCase> cases = BadCases();
  ASSERT_GE(cases.size(), 25u);
  for (const auto& c : cases) {
    auto result = ParseConfigObject(c.tokens);
    std::string what = Join(c.tokens, " ");
    ASSERT_FALSE(result.ok()) << what;
    EXPECT_EQ(result.status().code(), StatusCode::kSyntax) << what;
    const std::string& msg = result.status().message();
    EXPECT_THAT(msg, StartsWith(c.prefix)) << what;
    EXPECT_THAT(msg, HasSubstr(c.names)) << what;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace paceline::cli::crm
