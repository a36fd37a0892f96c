// The crm renderer: crmsh `configure show` layout, quoting, and one-object
// rendering. Reading the output back is tested in tests/cli (round trip).
#include "cib/crm_render.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cib/crm_test_configs.h"

namespace paceline::cib {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CrmRenderTest, TalkConfigurationLooksLikeCrmshShow) {
  Configuration c = fixtures::TalkConfiguration();
  std::get<Order>(c.constraints[1]).score.reset();
  std::get<Order>(c.constraints[1]).kind = OrderKind::kMandatory;
  EXPECT_EQ(RenderCrm(c),
            "node 1: HA-node1 \\\n"
            "\tattributes standby=on\n"
            "node 2: HA-node2\n"
            "primitive drbd_pg ocf:linbit:drbd \\\n"
            "\tparams drbd_resource=pg \\\n"
            "\top monitor interval=15 \\\n"
            "\top start interval=0 timeout=240 \\\n"
            "\top stop interval=0 timeout=120\n"
            "ms ms_drbd_pg drbd_pg \\\n"
            "\tmeta master-max=1 master-node-max=1 clone-max=2 "
            "clone-node-max=1 notify=true\n"
            "primitive pg_lvm ocf:heartbeat:LVM \\\n"
            "\tparams volgrpname=VG_PG \\\n"
            "\top start interval=0 timeout=30 \\\n"
            "\top stop interval=0 timeout=30\n"
            "primitive pg_fs ocf:heartbeat:Filesystem \\\n"
            "\tparams device=/dev/VG_PG/LV_DATA directory=/db/pgdata "
            "options=noatime,nodiratime fstype=xfs \\\n"
            "\top start interval=0 timeout=60 \\\n"
            "\top stop interval=0 timeout=120\n"
            "primitive pg_lsb lsb:postgresql \\\n"
            "\top monitor interval=30 timeout=60 \\\n"
            "\top start interval=0 timeout=60 \\\n"
            "\top stop interval=0 timeout=60\n"
            "primitive pg_vip ocf:heartbeat:IPAddr2 \\\n"
            "\tparams ip=192.168.56.30 iflabel=pgvip \\\n"
            "\top monitor interval=5\n"
            "group PGServer pg_lvm pg_fs pg_lsb pg_vip\n"
            "colocation col_pg_drbd inf: PGServer ms_drbd_pg:Promoted\n"
            "order ord_pg Mandatory: ms_drbd_pg:promote PGServer:start\n"
            "location cli-prefer-PGServer PGServer role=Started inf: "
            "HA-node2\n"
            "property cib-bootstrap-options: \\\n"
            "\tstonith-enabled=false \\\n"
            "\tno-quorum-policy=ignore\n"
            "rsc_defaults rsc-options: \\\n"
            "\tresource-stickiness=100\n");
}

TEST(CrmRenderTest, EmptyConfigurationRendersNothing) {
  EXPECT_EQ(RenderCrm(Configuration{}), "");
}

TEST(CrmRenderTest, CrmQuoteOnlyWhenNeeded) {
  EXPECT_EQ(CrmQuote("plain-value_1.2:3,4/5"), "plain-value_1.2:3,4/5");
  EXPECT_EQ(CrmQuote("k=v"), "k=v");
  EXPECT_EQ(CrmQuote("a#b"), "a#b");
  EXPECT_EQ(CrmQuote("Zürich"), "Zürich");
  EXPECT_EQ(CrmQuote(""), "\"\"");
  EXPECT_EQ(CrmQuote("a b"), "\"a b\"");
  EXPECT_EQ(CrmQuote("\t"), "\"\t\"");
  EXPECT_EQ(CrmQuote("#x"), "\"#x\"");
  EXPECT_EQ(CrmQuote("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(CrmQuote("it's"), "\"it's\"");
  EXPECT_EQ(CrmQuote("C:\\dir"), "\"C:\\\\dir\"");
  EXPECT_EQ(CrmQuote("a\nb"), "\"a\nb\"");
}

TEST(CrmRenderTest, ValuesAreQuotedInsideSections) {
  Configuration c;
  Resource r = fixtures::Primitive("p", "ocf:heartbeat:Dummy");
  r.description = "two words";
  r.params = {{"a", "x y"}, {"b", ""}, {"c", "q\""}};
  r.ops = {fixtures::Op("monitor", {{"timeout", "1 min"}})};
  c.resources.push_back(r);
  EXPECT_EQ(RenderCrm(c),
            "primitive p ocf:heartbeat:Dummy description=\"two words\" \\\n"
            "\tparams a=\"x y\" b=\"\" c=\"q\\\"\" \\\n"
            "\top monitor timeout=\"1 min\"\n");
}

TEST(CrmRenderTest, SectionsInGrammarOrder) {
  Configuration c;
  Resource r = fixtures::Primitive("p", "lsb:foo");
  r.ops = {fixtures::Op("start", {})};
  r.utilization = {{"cpu", "1"}};
  r.meta = {{"m", "1"}};
  r.params = {{"a", "1"}};
  c.resources.push_back(r);
  EXPECT_EQ(RenderCrm(c),
            "primitive p lsb:foo \\\n"
            "\tparams a=1 \\\n"
            "\tmeta m=1 \\\n"
            "\tutilization cpu=1 \\\n"
            "\top start\n");
}

TEST(CrmRenderTest, NodeTypeDescriptionAndUtilization) {
  Configuration c;
  c.nodes.push_back(
      Node{"n3", 3, "member", "rack 4", {{"standby", "off"}}, {{"cpu", "8"}}});
  c.nodes.push_back(Node{"r1", 0, "remote", "", {}, {}});
  EXPECT_EQ(RenderCrm(c),
            "node 3: n3:member description=\"rack 4\" \\\n"
            "\tattributes standby=off \\\n"
            "\tutilization cpu=8\n"
            "node r1:remote\n");
}

TEST(CrmRenderTest, PromotableCloneWrittenAsCloneKeepsItsMeta) {
  Configuration c;
  Resource clone = fixtures::Container("c", ResourceKind::kClone, {"d"});
  clone.promotable = true;
  clone.meta = {{"promotable", "yes"}};
  c.resources.push_back(clone);
  EXPECT_EQ(RenderCrm(c), "clone c d \\\n\tmeta promotable=yes\n");
}

TEST(CrmRenderTest, PromotableCloneWithoutMetaStillReadsBackPromotable) {
  // Built by code (YAML, XML import) rather than parsed: the flag alone
  // must still show up, or `load` would lose it.
  Configuration c;
  Resource clone = fixtures::Container("c", ResourceKind::kClone, {"d"});
  clone.promotable = true;
  clone.meta = {{"notify", "true"}};
  c.resources.push_back(clone);
  EXPECT_EQ(RenderCrm(c), "clone c d \\\n\tmeta notify=true promotable=true\n");
}

TEST(CrmRenderTest, LocationWithLifetimeUsesTheRuleForm) {
  Configuration c;
  Location l;
  l.id = "cli-prefer-g";
  l.rsc = "g";
  l.role = Role::kStarted;
  l.score = Score::Infinity();
  l.node = "n2";
  l.expires = ParseTimestamp("2026-11-25T10:00:00Z").value();
  c.constraints.push_back(l);
  EXPECT_EQ(RenderCrm(c),
            "location cli-prefer-g g role=Started rule inf: #uname eq n2 and "
            "date lt \"2026-11-25T10:00:00Z\"\n");
}

TEST(CrmRenderTest, ConstraintOptions) {
  Configuration c;
  Location l;
  l.id = "l";
  l.rsc = "r";
  l.score = Score(-50);
  l.node = "n1";
  l.resource_discovery = "never";
  Colocation col;
  col.id = "col";
  col.score = Score::MinusInfinity();
  col.rsc = "a";
  col.rsc_role = Role::kUnpromoted;
  col.with_rsc = "b";
  Order o;
  o.id = "o";
  o.kind = OrderKind::kSerialize;
  o.first = "a";
  o.then = "b";
  o.then_action = Action::kDemote;
  o.symmetrical = false;
  c.constraints = {l, col, o};
  EXPECT_EQ(RenderCrm(c),
            "location l r resource-discovery=never -50: n1\n"
            "colocation col -inf: a:Unpromoted b\n"
            "order o Serialize: a b:demote symmetrical=false\n");
}

TEST(CrmRenderTest, OneObjectById) {
  Configuration c = fixtures::TalkConfiguration();
  EXPECT_EQ(RenderCrmObject(c, "PGServer"),
            "group PGServer pg_lvm pg_fs pg_lsb pg_vip\n");
  EXPECT_EQ(RenderCrmObject(c, "col_pg_drbd"),
            "colocation col_pg_drbd inf: PGServer ms_drbd_pg:Promoted\n");
  EXPECT_EQ(RenderCrmObject(c, "HA-node1"),
            "node 1: HA-node1 \\\n\tattributes standby=on\n");
  EXPECT_EQ(RenderCrmObject(c, "rsc-options"),
            "rsc_defaults rsc-options: \\\n\tresource-stickiness=100\n");
  EXPECT_EQ(RenderCrmObject(c, "op-options"), "");  // empty set
  EXPECT_EQ(RenderCrmObject(c, "no-such-id"), "");
}

TEST(CrmRenderTest, WholeRenderingIsTheObjectsInOrder) {
  Configuration c = fixtures::RichConfiguration();
  std::string expected;
  for (const auto& n : c.nodes) expected += RenderCrmObject(c, n.name);
  for (const auto& r : c.resources) expected += RenderCrmObject(c, r.id);
  for (const auto& k : c.constraints) {
    expected += RenderCrmObject(c, ConstraintId(k));
  }
  for (const char* set :
       {"cib-bootstrap-options", "rsc-options", "op-options"}) {
    expected += RenderCrmObject(c, set);
  }
  EXPECT_EQ(RenderCrm(c), expected);
  EXPECT_THAT(RenderCrm(c), Not(HasSubstr("\n\n")));
}

}  // namespace
}  // namespace paceline::cib
