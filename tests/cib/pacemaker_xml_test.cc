// Pacemaker CIB XML import/export: the configuration, refusals naming the
// constraint, node states and operation histories decided as Pacemaker
// 2.1.5 decides them (the expectations come from crm_simulate runs on the
// same XML, see tests/data/pacemaker/README.md), op-digests equal to the
// ones crm_simulate wrote, and export -> import round trips.
#include "cib/pacemaker_xml.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cib/duration.h"
#include "cib/pacemaker_xml_internal.h"
#include "cib/validate.h"

namespace paceline::cib {
namespace {

std::string Data(const std::string& name) {
  std::ifstream in(std::string(PACELINE_SOURCE_DIR) + "/tests/data/pacemaker/" +
                   name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Document Import(const std::string& xml) {
  auto r = ImportPacemakerXml(xml);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r->doc : Document{};
}

const ResourceState* State(const Document& d, const std::string& node,
                           const std::string& rsc) {
  const NodeStatus* n = d.status.FindNode(node);
  return n ? n->Find(rsc) : nullptr;
}

TEST(PacemakerXmlImport, Configuration) {
  Document d = Import(Data("lab-fresh.xml"));
  const Configuration& c = d.config;
  EXPECT_EQ(d.versions.epoch, 7);
  ASSERT_EQ(c.nodes.size(), 3u);
  EXPECT_EQ(c.nodes[1].name, "node2");
  EXPECT_EQ(c.nodes[1].id, 2u);
  EXPECT_EQ(*c.properties.Get("stonith-enabled"), "false");
  EXPECT_EQ(*c.properties.Get("cluster-name"), "lab");
  EXPECT_EQ(*c.rsc_defaults.Get("resource-stickiness"), "100");
  const Resource* vip = c.FindResource("vip");
  ASSERT_NE(vip, nullptr);
  EXPECT_EQ(vip->agent.ToString(), "ocf:heartbeat:IPaddr2");
  EXPECT_EQ(*vip->params.Get("note"), "a \"quoted\" & 'odd' <value> \\ é #=:");
  EXPECT_EQ(*vip->meta.Get("migration-threshold"), "2");
  ASSERT_EQ(vip->ops.size(), 2u);
  EXPECT_EQ(vip->ops[0].name, "monitor");
  EXPECT_EQ(vip->ops[0].attrs,
            (Attributes{{"interval", "10s"}, {"timeout", "30s"}}));
  const Resource* g1 = c.FindResource("g1");
  ASSERT_NE(g1, nullptr);
  EXPECT_EQ(*g1->ops[0].attrs.Get("OCF_CHECK_LEVEL"), "10");
  const Resource* g = c.FindResource("g");
  ASSERT_TRUE(g && g->IsGroup());
  EXPECT_EQ(g->children, (std::vector<std::string>{"g1", "g2"}));
  const Resource* ms = c.FindResource("ms");
  ASSERT_TRUE(ms && ms->IsClone());
  EXPECT_TRUE(ms->promotable);
  EXPECT_FALSE(ms->ms_syntax);
  EXPECT_EQ(ms->children, (std::vector<std::string>{"s"}));
  // Members precede their group, children their clone.
  std::vector<std::string> order;
  for (const auto& r : c.resources) order.push_back(r.id);
  EXPECT_EQ(order, (std::vector<std::string>{"vip", "g1", "g2", "g", "c", "cl",
                                             "s", "ms"}));
  ASSERT_EQ(c.constraints.size(), 3u);
  const auto& col = std::get<Colocation>(c.constraints[0]);
  EXPECT_EQ(col.rsc, "g");
  EXPECT_EQ(col.with_rsc_role, Role::kPromoted);  // legacy "Master"
  EXPECT_TRUE(col.score.IsInfinity());
  const auto& ord = std::get<Order>(c.constraints[1]);
  EXPECT_EQ(ord.first_action, Action::kPromote);
  EXPECT_EQ(ord.then_action, Action::kStart);
  EXPECT_EQ(ord.kind, OrderKind::kMandatory);
  const auto& loc = std::get<Location>(c.constraints[2]);
  EXPECT_EQ(loc.node, "node3");
  EXPECT_EQ(loc.score.value(), 50);
  EXPECT_TRUE(Validate(c).ok());
}

std::string Wrap(const std::string& resources, const std::string& constraints,
                 const std::string& status = "") {
  return "<cib epoch=\"1\"><configuration><crm_config/><nodes>"
         "<node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/></nodes>"
         "<resources>" +
         resources + "</resources><constraints>" + constraints +
         "</constraints></configuration><status>" + status + "</status></cib>";
}

const std::string kTwo =
    "<primitive id=\"a\" class=\"ocf\" provider=\"pacemaker\" "
    "type=\"Dummy\"/><primitive id=\"b\" class=\"ocf\" "
    "provider=\"pacemaker\" type=\"Dummy\"/>";

void ExpectRefused(const std::string& constraint, const std::string& words) {
  auto r = ImportPacemakerXml(Wrap(kTwo, constraint));
  ASSERT_FALSE(r.ok()) << constraint;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalid);
  EXPECT_NE(r.status().message().find(words), std::string::npos)
      << r.status().message();
}

TEST(PacemakerXmlImport, RefusesWhatTheModelCannotHold) {
  ExpectRefused(
      "<rsc_location id=\"pat\" rsc-pattern=\"^a\" node=\"n1\" score=\"5\"/>",
      "location pat: rsc-pattern is not supported");
  ExpectRefused(
      "<rsc_colocation id=\"set1\" score=\"INFINITY\"><resource_set "
      "id=\"s1\"><resource_ref id=\"a\"/><resource_ref id=\"b\"/>"
      "</resource_set></rsc_colocation>",
      "colocation set1: resource sets are not supported");
  ExpectRefused(
      "<rsc_order id=\"oset\"><resource_set id=\"s2\"><resource_ref "
      "id=\"a\"/></resource_set></rsc_order>",
      "order oset: resource sets are not supported");
  ExpectRefused(
      "<rsc_location id=\"attr\" rsc=\"a\"><rule id=\"r\" "
      "score-attribute=\"pingd\"><expression id=\"e\" attribute=\"pingd\" "
      "operation=\"defined\"/></rule></rsc_location>",
      "location attr: rule score-attribute is not supported");
  ExpectRefused(
      "<rsc_location id=\"ping\" rsc=\"a\"><rule id=\"r\" score=\"-INFINITY\">"
      "<expression id=\"e\" attribute=\"pingd\" operation=\"lt\" "
      "value=\"1\"/></rule></rsc_location>",
      "location ping: only rules of the form");
  ExpectRefused("<rsc_ticket id=\"t\" rsc=\"a\" ticket=\"tk\"/>",
                "<rsc_ticket id='t'>: rsc_ticket constraints are not");
}

TEST(PacemakerXmlImport, CliPreferRuleWithLifetimeIsAnExpiringLocation) {
  Document d = Import(
      Wrap(kTwo,
           "<rsc_location id=\"cli-prefer-a\" rsc=\"a\" role=\"Started\"><rule "
           "id=\"cli-prefer-rule-a\" score=\"INFINITY\" boolean-op=\"and\">"
           "<expression id=\"e\" attribute=\"#uname\" operation=\"eq\" "
           "value=\"n2\" type=\"string\"/><date_expression id=\"d\" "
           "operation=\"lt\" end=\"2026-11-25 11:00:00 +00:00\"/></rule>"
           "</rsc_location>"));
  ASSERT_EQ(d.config.constraints.size(), 1u);
  const auto& l = std::get<Location>(d.config.constraints[0]);
  EXPECT_EQ(l.node, "n2");
  EXPECT_EQ(l.role, Role::kStarted);
  EXPECT_TRUE(l.score.IsInfinity());
  ASSERT_TRUE(l.expires);
  EXPECT_EQ(FormatTimestamp(*l.expires), "2026-11-25T11:00:00Z");
}

TEST(PacemakerXmlImport, MasterElementAndLegacyProperties) {
  auto r = ImportPacemakerXml(
      "<cib><configuration><crm_config><cluster_property_set id=\"o\">"
      "<nvpair id=\"o1\" name=\"default-resource-stickiness\" value=\"100\"/>"
      "</cluster_property_set></crm_config><nodes/><resources><master "
      "id=\"ms_drbd\"><meta_attributes id=\"m\"><nvpair id=\"m1\" "
      "name=\"master-max\" value=\"1\"/></meta_attributes><primitive "
      "id=\"drbd\" class=\"ocf\" provider=\"linbit\" type=\"drbd\"/></master>"
      "</resources><constraints/></configuration></cib>");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Resource* ms = r->doc.config.FindResource("ms_drbd");
  ASSERT_NE(ms, nullptr);
  EXPECT_TRUE(ms->promotable);
  EXPECT_TRUE(ms->ms_syntax);
  EXPECT_EQ(*r->doc.config.rsc_defaults.Get("resource-stickiness"), "100");
  EXPECT_EQ(r->doc.config.properties.Get("default-resource-stickiness"),
            nullptr);
  EXPECT_FALSE(r->notes.empty());
}

TEST(PacemakerXmlImport, IdRefsAreFollowed) {
  auto r = ImportPacemakerXml(
      Wrap("<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" "
           "type=\"Dummy\"><meta_attributes id=\"shared\"><nvpair id=\"s1\" "
           "name=\"resource-stickiness\" value=\"7\"/></meta_attributes>"
           "</primitive><primitive id=\"b\" class=\"ocf\" "
           "provider=\"heartbeat\" type=\"Dummy\"><meta_attributes "
           "id-ref=\"shared\"/></primitive>",
           ""));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r->doc.config.FindResource("b")->meta.Get("resource-stickiness"),
            "7");
  r = ImportPacemakerXml(
      Wrap("<primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" "
           "type=\"Dummy\"><meta_attributes id-ref=\"nosuch\"/></primitive>",
           ""));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nosuch"), std::string::npos);
}

TEST(PacemakerXmlImport, HaveQuorumIsTheStatusQuorum) {
  auto with = [](const std::string& attr) {
    return ImportPacemakerXml("<cib epoch=\"1\"" + attr +
                              "><configuration><crm_config/><nodes/>"
                              "<resources/><constraints/></configuration>"
                              "</cib>");
  };
  auto r = with(" have-quorum=\"0\"");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->doc.status.quorate);
  r = with(" have-quorum=\"true\"");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->doc.status.quorate);
  EXPECT_TRUE(r->doc.status.empty());
  r = with("");  // Pacemaker would assume no quorum: we keep ours and say so
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->doc.status.quorate);
  ASSERT_FALSE(r->notes.empty());
  EXPECT_NE(r->notes.back().find("have-quorum"), std::string::npos);
  r = with(" have-quorum=\"maybe\"");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kSyntax);
  EXPECT_NE(r.status().message().find("have-quorum='maybe'"), std::string::npos)
      << r.status().message();
}

TEST(PacemakerXmlImport, MalformedXmlIsASyntaxError) {
  auto r = ImportPacemakerXml("<cib><configuration>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kSyntax);
  EXPECT_NE(r.status().message().find("Pacemaker XML: line"),
            std::string::npos);
  r = ImportPacemakerXml("<notacib/>");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no <cib>"), std::string::npos);
}

TEST(PacemakerXmlImport, RunningStatusAsCrmSimulateLeftIt) {
  Document d = Import(Data("lab-running.xml"));
  // crm_simulate: vip Started node3; g1, g2 Started node2; c on all three;
  // s Promoted on node2, Unpromoted on node1 and node3.
  ASSERT_EQ(d.status.nodes.size(), 3u);
  for (const auto& n : d.status.nodes) {
    EXPECT_EQ(n.state, NodeState::kOnline) << n.name;
  }
  EXPECT_EQ(d.status.dc, "node1");
  EXPECT_EQ(State(d, "node3", "vip")->role, Role::kStarted);
  EXPECT_EQ(State(d, "node1", "vip")->role, Role::kStopped);
  EXPECT_EQ(State(d, "node2", "g1")->role, Role::kStarted);
  EXPECT_EQ(State(d, "node2", "g2")->role, Role::kStarted);
  for (const char* n : {"node1", "node2", "node3"}) {
    EXPECT_EQ(State(d, n, "c")->role, Role::kStarted) << n;
  }
  EXPECT_EQ(State(d, "node2", "s")->role, Role::kPromoted);
  EXPECT_EQ(State(d, "node1", "s")->role, Role::kUnpromoted);
  EXPECT_EQ(State(d, "node3", "s")->role, Role::kUnpromoted);
  EXPECT_EQ(*d.status.FindNode("node2")->attributes.Get("master-s"), "10");
  EXPECT_TRUE(d.status.failures.empty());
}

TEST(PacemakerXmlImport, FailuresAndFailCountsAsCrmSimulateLeftThem) {
  Document d = Import(Data("lab-failures.xml"));
  // crm_simulate: vip FAILED node3, g1 FAILED node2, c FAILED node1.
  const ResourceState* vip = State(d, "node3", "vip");
  ASSERT_NE(vip, nullptr);
  EXPECT_EQ(vip->role, Role::kStarted);
  EXPECT_TRUE(vip->failed);
  EXPECT_EQ(vip->fail_count.value(), 1);
  ASSERT_TRUE(vip->last_failure);
  EXPECT_TRUE(State(d, "node2", "g1")->failed);
  EXPECT_FALSE(State(d, "node2", "g2")->failed);
  const ResourceState* c = State(d, "node1", "c");
  EXPECT_EQ(c->role, Role::kStarted);
  EXPECT_TRUE(c->failed);
  EXPECT_FALSE(State(d, "node2", "c")->failed);
  EXPECT_EQ(State(d, "node2", "s")->role, Role::kPromoted);
  ASSERT_EQ(d.status.failures.size(), 3u);
  const FailedAction& f = d.status.failures[0];  // node1's, first
  EXPECT_EQ(f.resource, "c");
  EXPECT_EQ(f.action, "start");
  EXPECT_EQ(f.rc, 1);
  EXPECT_EQ(f.reason, "Simulated action result");
  const FailedAction& g = d.status.failures[1];
  EXPECT_EQ(g.resource, "g1");
  EXPECT_EQ(g.interval_ms, 15000);
  EXPECT_EQ(g.rc, 7);
  // Fail-count attributes are mapped, not kept as node attributes.
  for (const auto& n : d.status.nodes) {
    for (const auto& a : n.attributes) {
      EXPECT_NE(a.name.rfind("fail-count-", 0), 0u) << a.name;
      EXPECT_NE(a.name.rfind("last-failure-", 0), 0u) << a.name;
    }
  }
}

// Node states: every row was checked against crm_simulate 2.1.5's node list
// for the same node_state, with stonith-enabled false and true.
struct NodeCase {
  std::string attrs;
  NodeState without_fencing;
  NodeState with_fencing;
};

TEST(PacemakerXmlImport, NodeStatesAsPacemakerDecides) {
  using S = NodeState;
  const NodeCase cases[] = {
      {"in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"",
       S::kOnline, S::kOnline},
      {"", S::kOffline, S::kUnclean},
      {"in_ccm=\"true\" crmd=\"offline\" join=\"down\" expected=\"member\"",
       S::kUnclean, S::kUnclean},
      {"in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"member\"",
       S::kOffline, S::kUnclean},
      {"in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"down\"",
       S::kOffline, S::kOffline},
      {"in_ccm=\"true\" crmd=\"online\" join=\"pending\" expected=\"member\"",
       S::kOffline, S::kPending},
      {"in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"down\"",
       S::kOnline, S::kPending},
      {"crmd=\"online\" join=\"member\" expected=\"member\"", S::kOffline,
       S::kUnclean},
  };
  for (bool fencing : {false, true}) {
    for (const auto& c : cases) {
      std::string xml =
          "<cib><configuration><crm_config><cluster_property_set id=\"o\">"
          "<nvpair id=\"o1\" name=\"stonith-enabled\" value=\"" +
          std::string(fencing ? "true" : "false") +
          "\"/></cluster_property_set></crm_config><nodes><node id=\"1\" "
          "uname=\"n1\"/><node id=\"2\" uname=\"n2\"/></nodes><resources/>"
          "<constraints/></configuration><status><node_state id=\"1\" "
          "uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
          "expected=\"member\"/><node_state id=\"2\" uname=\"n2\" " +
          c.attrs + "/></status></cib>";
      Document d = Import(xml);
      const NodeStatus* n2 = d.status.FindNode("n2");
      ASSERT_NE(n2, nullptr);
      EXPECT_EQ(n2->state, fencing ? c.with_fencing : c.without_fencing)
          << "fencing=" << fencing << " " << c.attrs;
    }
  }
}

TEST(PacemakerXmlImport, UnseenNodesAreUncleanOnlyWithFencing) {
  for (bool fencing : {false, true}) {
    std::string xml =
        "<cib><configuration><crm_config><cluster_property_set id=\"o\">"
        "<nvpair id=\"o1\" name=\"stonith-enabled\" value=\"" +
        std::string(fencing ? "true" : "false") +
        "\"/></cluster_property_set></crm_config><nodes><node id=\"1\" "
        "uname=\"n1\"/><node id=\"2\" uname=\"n2\"/></nodes><resources/>"
        "<constraints/></configuration><status><node_state id=\"1\" "
        "uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
        "expected=\"member\"/></status></cib>";
    Document d = Import(xml);
    ASSERT_NE(d.status.FindNode("n2"), nullptr);
    EXPECT_EQ(d.status.FindNode("n2")->state,
              fencing ? NodeState::kUnclean : NodeState::kOffline);
  }
}

std::string Op(const std::string& id, const std::string& task, int call, int rc,
               long long interval = 0, int target = 0, int op_status = 0) {
  return "<lrm_rsc_op id=\"" + id + "_" + std::to_string(call) +
         "\" operation=\"" + task + "\" call-id=\"" + std::to_string(call) +
         "\" rc-code=\"" + std::to_string(rc) + "\" op-status=\"" +
         std::to_string(op_status) + "\" interval=\"" +
         std::to_string(interval) +
         "\" transition-key=\"1:1:" + std::to_string(target) +
         ":x\" last-rc-change=\"1795000000\"/>";
}

Document WithHistory(const std::string& resources, const std::string& lrm) {
  return Import(
      Wrap(resources, "",
           "<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" "
           "join=\"member\" expected=\"member\"><lrm id=\"1\"><lrm_resources>" +
               lrm + "</lrm_resources></lrm></node_state>"));
}

TEST(PacemakerXmlImport, HistoryIsReplayedInCallIdOrder) {
  // Written out of order: the stop (call 5) is the newest.
  Document d = WithHistory(
      kTwo, "<lrm_resource id=\"a\" class=\"ocf\" type=\"Dummy\">" +
                Op("a", "stop", 5, 0) + Op("a", "start", 2, 0) +
                Op("a", "monitor", 3, 0, 10000) + "</lrm_resource>");
  EXPECT_EQ(State(d, "n1", "a")->role, Role::kStopped);
  EXPECT_FALSE(State(d, "n1", "a")->failed);
  d = WithHistory(
      kTwo, "<lrm_resource id=\"a\">" + Op("a", "monitor", 1, 7, 0, 7) +
                Op("a", "start", 2, 0) + Op("a", "monitor", 3, 7, 10000, 0) +
                "</lrm_resource>");
  // A recurring monitor finding it stopped is a failure; it may still run.
  EXPECT_EQ(State(d, "n1", "a")->role, Role::kStarted);
  EXPECT_TRUE(State(d, "n1", "a")->failed);
  // A probe that finds it running.
  d = WithHistory(kTwo, "<lrm_resource id=\"b\">" +
                            Op("b", "monitor", 1, 0, 0, 7) + "</lrm_resource>");
  EXPECT_EQ(State(d, "n1", "b")->role, Role::kStarted);
  EXPECT_FALSE(State(d, "n1", "b")->failed);
  // A timed-out stop: still active, failed.
  d = WithHistory(kTwo, "<lrm_resource id=\"b\">" + Op("b", "start", 1, 0) +
                            Op("b", "stop", 2, 1, 0, 0, 2) + "</lrm_resource>");
  EXPECT_EQ(State(d, "n1", "b")->role, Role::kStarted);
  EXPECT_TRUE(State(d, "n1", "b")->failed);
  ASSERT_EQ(d.status.failures.size(), 1u);
  EXPECT_EQ(d.status.failures[0].status, "timeout");
}

TEST(PacemakerXmlImport, CloneInstancesFollowOurConventions) {
  std::string clones =
      "<clone id=\"cl\"><primitive id=\"c\" class=\"ocf\" "
      "provider=\"pacemaker\" type=\"Dummy\"/></clone><clone id=\"u\">"
      "<meta_attributes id=\"um\"><nvpair id=\"um1\" name=\"globally-unique\" "
      "value=\"true\"/></meta_attributes><primitive id=\"p\" class=\"ocf\" "
      "provider=\"pacemaker\" type=\"Dummy\"/></clone><master id=\"ms\">"
      "<primitive id=\"s\" class=\"ocf\" provider=\"pacemaker\" "
      "type=\"Stateful\"/></master>";
  Document d =
      WithHistory(clones, "<lrm_resource id=\"c:0\">" + Op("c", "start", 1, 0) +
                              "</lrm_resource><lrm_resource id=\"p:1\">" +
                              Op("p", "start", 2, 0) +
                              "</lrm_resource><lrm_resource id=\"s\">" +
                              Op("s", "start", 3, 0) + "</lrm_resource>");
  EXPECT_NE(State(d, "n1", "c"), nullptr);    // anonymous: "c:0" -> "c"
  EXPECT_NE(State(d, "n1", "p:1"), nullptr);  // unique: kept
  EXPECT_EQ(State(d, "n1", "s")->role, Role::kUnpromoted);
}

TEST(PacemakerXmlImport, FailCountsAreSummedPerResource) {
  Document d = Import(Wrap(
      kTwo, "",
      "<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" "
      "join=\"member\" expected=\"member\"><transient_attributes id=\"1\">"
      "<instance_attributes id=\"status-1\">"
      "<nvpair id=\"x1\" name=\"fail-count-a#monitor_10000\" value=\"2\"/>"
      "<nvpair id=\"x2\" name=\"fail-count-a#start_0\" value=\"INFINITY\"/>"
      "<nvpair id=\"x3\" name=\"last-failure-a#start_0\" value=\"100\"/>"
      "<nvpair id=\"x4\" name=\"last-failure-a#monitor_10000\" value=\"200\"/>"
      "<nvpair id=\"x5\" name=\"master-b\" value=\"5\"/>"
      "</instance_attributes></transient_attributes></node_state>"));
  const ResourceState* a = State(d, "n1", "a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->fail_count.IsInfinity());
  ASSERT_TRUE(a->last_failure);
  EXPECT_EQ(a->last_failure->time_since_epoch(), std::chrono::seconds(200));
  EXPECT_EQ(d.status.FindNode("n1")->attributes,
            (Attributes{{"master-b", "5"}}));
}

// The digests crm_simulate wrote into lab-failures.xml for these ops.
TEST(PacemakerXmlExport, OpDigestsMatchPacemakers) {
  Document d = Import(Data("lab-fresh.xml"));
  const Configuration& c = d.config;
  using pacemaker::OpDigest;
  EXPECT_EQ(OpDigest(c, *c.FindResource("c"), "start", 0),
            "f2317cad3d54cec5d7d7aa7d0bf35cf8");
  EXPECT_EQ(OpDigest(c, *c.FindResource("c"), "monitor", 10000),
            "4811cef7f7f94e3a35a70be7916cb2fd");
  EXPECT_EQ(OpDigest(c, *c.FindResource("vip"), "start", 0),
            "92fbad6c2189bb6384502642bd65deae");
  EXPECT_EQ(OpDigest(c, *c.FindResource("vip"), "monitor", 10000),
            "7cb7d18015af50e2d6c787762a058d96");
  EXPECT_EQ(OpDigest(c, *c.FindResource("g1"), "monitor", 15000),
            "444f16b46efec1fb4e6eb8219297c273");
}

TEST(PacemakerXmlExport, ImportedCibsRoundTrip) {
  for (const char* name :
       {"lab-fresh.xml", "lab-running.xml", "lab-failures.xml"}) {
    Document d = Import(Data(name));
    std::string xml = ExportPacemakerXml(d);
    auto again = ImportPacemakerXml(xml);
    ASSERT_TRUE(again.ok()) << name << ": " << again.status().message() << "\n"
                            << xml;
    EXPECT_TRUE(again->doc.config == d.config) << name;
    EXPECT_TRUE(again->doc.status == d.status) << name << "\n" << xml;
    EXPECT_EQ(again->doc.versions, d.versions);
  }
}

}  // namespace
}  // namespace paceline::cib
