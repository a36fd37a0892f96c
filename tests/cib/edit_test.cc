// ApplyEdit semantics: create/update/replace, delete refusals, migrate and
// unmigrate, standby, cleanup, versions, and all-or-nothing behaviour.
#include "cib/edit.h"

#include <gtest/gtest.h>

#include "cib/validate.h"

namespace paceline::cib {
namespace {

const WallTime kNow = *ParseTimestamp("2026-11-25T10:00:00Z");

Resource Primitive(std::string id, std::string agent = "ocf:pacemaker:Dummy") {
  Resource r;
  r.id = std::move(id);
  r.agent = *ParseAgentSpec(agent);
  return r;
}

Resource Group(std::string id, std::vector<std::string> members) {
  Resource r;
  r.id = std::move(id);
  r.kind = ResourceKind::kGroup;
  r.children = std::move(members);
  return r;
}

Resource Ms(std::string id, std::string child) {
  Resource r;
  r.id = std::move(id);
  r.kind = ResourceKind::kClone;
  r.children = {std::move(child)};
  r.promotable = true;
  r.ms_syntax = true;
  return r;
}

Status Define(Document& doc, ConfigObject object,
              LoadMode mode = LoadMode::kCreate) {
  auto r = ApplyEdit(doc, DefineObjects{{std::move(object)}, mode}, kNow);
  return r.status();
}

// The talk's stack: two nodes, ms_drbd_pg, group PGServer, colocation and
// order between them.
Document TalkDocument() {
  Document doc;
  EXPECT_TRUE(Define(doc, Node{.name = "HA-node1", .id = 1}).ok());
  EXPECT_TRUE(Define(doc, Node{.name = "HA-node2", .id = 2}).ok());
  EXPECT_TRUE(Define(doc, Primitive("drbd_pg", "ocf:linbit:drbd")).ok());
  EXPECT_TRUE(Define(doc, Ms("ms_drbd_pg", "drbd_pg")).ok());
  for (const char* p : {"pg_lvm", "pg_fs", "pg_lsb", "pg_vip"}) {
    EXPECT_TRUE(Define(doc, Primitive(p)).ok());
  }
  EXPECT_TRUE(
      Define(doc, Group("PGServer", {"pg_lvm", "pg_fs", "pg_lsb", "pg_vip"}))
          .ok());
  EXPECT_TRUE(
      Define(doc, Constraint(Colocation{.id = "col_pg_drbd",
                                        .score = Score::Infinity(),
                                        .rsc = "PGServer",
                                        .with_rsc = "ms_drbd_pg",
                                        .with_rsc_role = Role::kPromoted}))
          .ok());
  EXPECT_TRUE(Define(doc, Constraint(Order{.id = "ord_pg",
                                           .score = Score::Infinity(),
                                           .first = "ms_drbd_pg",
                                           .first_action = Action::kPromote,
                                           .then = "PGServer",
                                           .then_action = Action::kStart}))
                  .ok());
  return doc;
}

TEST(EditTest, EveryConfigurationChangeBumpsTheEpoch) {
  Document doc = TalkDocument();
  EXPECT_EQ(doc.versions.epoch, 11);
  EXPECT_EQ(doc.versions.num_updates, 0);
  // Setting a property to the value it has changes nothing: no bump.
  ASSERT_TRUE(
      Define(doc, PropertySet{.attrs = {{"stonith-enabled", "false"}}}).ok());
  ASSERT_TRUE(
      Define(doc, PropertySet{.attrs = {{"stonith-enabled", "false"}}}).ok());
  EXPECT_EQ(doc.versions.epoch, 12);
}

TEST(EditTest, GroupCreationMovesMembersBeforeTheGroup) {
  Document doc = TalkDocument();
  std::vector<std::string> order;
  for (const auto& r : doc.config.resources) order.push_back(r.id);
  EXPECT_EQ(order, (std::vector<std::string>{"drbd_pg", "ms_drbd_pg", "pg_lvm",
                                             "pg_fs", "pg_lsb", "pg_vip",
                                             "PGServer"}));
  auto top = doc.config.TopLevel();
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0]->id, "ms_drbd_pg");
  EXPECT_EQ(top[1]->id, "PGServer");
}

TEST(EditTest, DuplicateIdIsRefusedAndNothingChanges) {
  Document doc = TalkDocument();
  Document before = doc;
  Status s = Define(doc, Primitive("pg_fs"));
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_NE(s.message().find("'pg_fs'"), std::string::npos) << s.message();
  s = Define(doc, Constraint(Location{.id = "pg_fs",
                                      .rsc = "pg_vip",
                                      .score = Score(5),
                                      .node = "HA-node1"}));
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_EQ(doc, before);
}

TEST(EditTest, UpdateReplacesInPlace) {
  Document doc = TalkDocument();
  Resource fs = Primitive("pg_fs", "ocf:heartbeat:Filesystem");
  fs.params.Set("fstype", "xfs");
  ASSERT_TRUE(Define(doc, fs, LoadMode::kUpdate).ok());
  EXPECT_EQ(*doc.config.FindResource("pg_fs"), fs);
  EXPECT_EQ(doc.config.resources[3].id, "pg_fs");
}

TEST(EditTest, MemberOfTwoGroupsIsRefused) {
  Document doc = TalkDocument();
  Status s = Define(doc, Group("other", {"pg_fs"}));
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_NE(s.message().find("already in group 'PGServer'"), std::string::npos)
      << s.message();
}

TEST(EditTest, ReferencesToUnknownResourcesAreRefused) {
  Document doc = TalkDocument();
  Status s = Define(doc, Constraint(Colocation{.id = "c2",
                                               .score = Score::Infinity(),
                                               .rsc = "PGServer",
                                               .with_rsc = "nope"}));
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("'nope'"), std::string::npos);
  s = Define(doc, Group("g2", {"ghost"}));
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
}

TEST(EditTest, PromotedRoleNeedsAPromotableResource) {
  Document doc = TalkDocument();
  Status s =
      Define(doc, Constraint(Colocation{.id = "c3",
                                        .score = Score::Infinity(),
                                        .rsc = "ms_drbd_pg",
                                        .with_rsc = "PGServer",
                                        .with_rsc_role = Role::kPromoted}));
  EXPECT_EQ(s.code(), StatusCode::kInvalid);
  EXPECT_NE(s.message().find("not promotable"), std::string::npos);
}

TEST(EditTest, DeprecatedStickinessPropertyMapsToRscDefaults) {
  Document doc = TalkDocument();
  auto r = ApplyEdit(doc,
                     DefineObjects{{PropertySet{
                         .attrs = {{"default-resource-stickiness", "100"}}}}},
                     kNow);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->notices.size(), 1u);
  EXPECT_NE(r->notices[0].find("resource-stickiness=100"), std::string::npos);
  EXPECT_EQ(*doc.config.rsc_defaults.Get("resource-stickiness"), "100");
  EXPECT_EQ(doc.config.properties.Get("default-resource-stickiness"), nullptr);
}

TEST(EditTest, DeleteRefusesWhileAConstraintUsesIt) {
  Document doc = TalkDocument();
  auto r = ApplyEdit(doc, DeleteObjects{{"PGServer"}}, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("colocation 'col_pg_drbd'"),
            std::string::npos)
      << r.status().message();
  // Deleting the constraints with it works.
  r = ApplyEdit(doc, DeleteObjects{{"col_pg_drbd", "ord_pg", "PGServer"}},
                kNow);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(doc.config.FindResource("PGServer"), nullptr);
  // The members are released, not lost.
  EXPECT_NE(doc.config.FindResource("pg_fs"), nullptr);
  EXPECT_EQ(doc.config.ParentOf("pg_fs"), nullptr);
}

TEST(EditTest, DeleteCloneChildAloneIsRefused) {
  Document doc = TalkDocument();
  ASSERT_TRUE(
      ApplyEdit(doc, DeleteObjects{{"col_pg_drbd", "ord_pg"}}, kNow).ok());
  auto r = ApplyEdit(doc, DeleteObjects{{"drbd_pg"}}, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("child of ms 'ms_drbd_pg'"),
            std::string::npos)
      << r.status().message();
  ASSERT_TRUE(
      ApplyEdit(doc, DeleteObjects{{"drbd_pg", "ms_drbd_pg"}}, kNow).ok());
  EXPECT_EQ(doc.config.FindResource("drbd_pg"), nullptr);
}

TEST(EditTest, DeleteLastGroupMemberIsRefused) {
  Document doc = TalkDocument();
  ASSERT_TRUE(
      ApplyEdit(doc, DeleteObjects{{"pg_lvm", "pg_fs", "pg_lsb"}}, kNow).ok());
  EXPECT_EQ(doc.config.FindResource("PGServer")->children,
            (std::vector<std::string>{"pg_vip"}));
  auto r = ApplyEdit(doc, DeleteObjects{{"pg_vip"}}, kNow);
  EXPECT_EQ(r.status().code(), StatusCode::kConflict);
}

TEST(EditTest, DeleteRunningResourceNeedsForce) {
  Document doc = TalkDocument();
  ASSERT_TRUE(Define(doc, Primitive("extra")).ok());
  doc.status.nodes.push_back(
      NodeStatus{.name = "HA-node1",
                 .state = NodeState::kOnline,
                 .resources = {{.id = "extra", .role = Role::kStarted}}});
  auto r = ApplyEdit(doc, DeleteObjects{{"extra"}}, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("running on HA-node1"),
            std::string::npos);
  EXPECT_TRUE(ApplyEdit(doc, DeleteObjects{{"extra"}, true}, kNow).ok());
}

TEST(EditTest, MigrateAndUnmigrateLikeTheTalk) {
  Document doc = TalkDocument();
  auto r =
      ApplyEdit(doc, MoveResource{.rsc = "PGServer", .node = "HA-node2"}, kNow);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto* k = doc.config.FindConstraint("cli-prefer-PGServer");
  ASSERT_NE(k, nullptr);
  const auto& loc = std::get<Location>(*k);
  EXPECT_EQ(loc.node, "HA-node2");
  EXPECT_EQ(loc.role, Role::kStarted);
  EXPECT_TRUE(loc.score.IsInfinity());
  // Moving again replaces the preference instead of adding a second one.
  ASSERT_TRUE(
      ApplyEdit(doc, MoveResource{.rsc = "PGServer", .node = "HA-node1"}, kNow)
          .ok());
  EXPECT_EQ(
      std::get<Location>(*doc.config.FindConstraint("cli-prefer-PGServer"))
          .node,
      "HA-node1");
  EXPECT_EQ(doc.config.constraints.size(), 3u);
  ASSERT_TRUE(ApplyEdit(doc, ClearMove{.rsc = "PGServer"}, kNow).ok());
  EXPECT_EQ(doc.config.FindConstraint("cli-prefer-PGServer"), nullptr);
}

TEST(EditTest, MigrateWithLifetimeExpires) {
  Document doc = TalkDocument();
  ASSERT_TRUE(ApplyEdit(doc,
                        MoveResource{.rsc = "PGServer",
                                     .node = "HA-node2",
                                     .lifetime = Millis(3600 * 1000)},
                        kNow)
                  .ok());
  const auto& loc =
      std::get<Location>(*doc.config.FindConstraint("cli-prefer-PGServer"));
  ASSERT_TRUE(loc.expires.has_value());
  EXPECT_EQ(FormatTimestamp(*loc.expires), "2026-11-25T11:00:00Z");
}

TEST(EditTest, MigrateRefusals) {
  Document doc = TalkDocument();
  auto r =
      ApplyEdit(doc, MoveResource{.rsc = "nope", .node = "HA-node2"}, kNow);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  r = ApplyEdit(doc, MoveResource{.rsc = "PGServer", .node = "HA-node9"}, kNow);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("'HA-node9'"), std::string::npos);
  r = ApplyEdit(doc, MoveResource{.rsc = "drbd_pg", .node = "HA-node2"}, kNow);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalid);
  EXPECT_NE(r.status().message().find("move 'ms_drbd_pg' instead"),
            std::string::npos);
  // No node and no status: nothing to move away from.
  r = ApplyEdit(doc, MoveResource{.rsc = "PGServer"}, kNow);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalid);
}

TEST(EditTest, MigrateWithoutNodeBansTheCurrentNode) {
  Document doc = TalkDocument();
  doc.status.nodes.push_back(
      NodeStatus{.name = "HA-node1",
                 .state = NodeState::kOnline,
                 .resources = {{.id = "pg_fs", .role = Role::kStarted},
                               {.id = "drbd_pg", .role = Role::kPromoted}}});
  ASSERT_TRUE(ApplyEdit(doc, MoveResource{.rsc = "PGServer"}, kNow).ok());
  const auto* k = doc.config.FindConstraint("cli-ban-PGServer-on-HA-node1");
  ASSERT_NE(k, nullptr);
  EXPECT_TRUE(std::get<Location>(*k).score.IsMinusInfinity());
  // A promotable clone moves its promoted role.
  ASSERT_TRUE(ApplyEdit(doc,
                        MoveResource{.rsc = "ms_drbd_pg", .node = "HA-node2"},
                        kNow)
                  .ok());
  EXPECT_EQ(
      std::get<Location>(*doc.config.FindConstraint("cli-prefer-ms_drbd_pg"))
          .role,
      Role::kPromoted);
}

TEST(EditTest, StandbyAndOnline) {
  Document doc = TalkDocument();
  ASSERT_TRUE(
      ApplyEdit(doc,
                SetNodeAttribute{
                    .node = "HA-node2", .name = "standby", .value = "on"},
                kNow)
          .ok());
  EXPECT_EQ(*doc.config.FindNode("HA-node2")->attributes.Get("standby"), "on");
  ASSERT_TRUE(
      ApplyEdit(doc,
                SetNodeAttribute{
                    .node = "HA-node2", .name = "standby", .value = "off"},
                kNow)
          .ok());
  EXPECT_EQ(*doc.config.FindNode("HA-node2")->attributes.Get("standby"), "off");
  auto r = ApplyEdit(
      doc, SetNodeAttribute{.node = "nope", .name = "standby", .value = "on"},
      kNow);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  r = ApplyEdit(doc,
                SetNodeAttribute{
                    .node = "HA-node1", .name = "standby", .value = "perhaps"},
                kNow);
  EXPECT_EQ(r.status().code(), StatusCode::kSyntax);
}

TEST(EditTest, CleanupClearsFailuresAndBumpsOnlyNumUpdates) {
  Document doc = TalkDocument();
  doc.status.nodes.push_back(
      NodeStatus{.name = "HA-node2",
                 .state = NodeState::kOnline,
                 .resources = {{.id = "pg_fs",
                                .role = Role::kStopped,
                                .failed = true,
                                .fail_count = Score::Infinity()}}});
  doc.status.failures.push_back(FailedAction{
      .resource = "pg_fs", .node = "HA-node2", .action = "start", .rc = 5});
  Versions before = doc.versions;
  auto r = ApplyEdit(doc, Cleanup{.rsc = "PGServer"}, kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->notices, (std::vector<std::string>{"Cleaned up pg_fs on "
                                                  "HA-node2"}));
  EXPECT_TRUE(doc.status.failures.empty());
  EXPECT_EQ(doc.status.nodes[0].resources[0].fail_count, Score());
  EXPECT_EQ(doc.versions.epoch, before.epoch);
  EXPECT_EQ(doc.versions.num_updates, before.num_updates + 1);
}

TEST(EditTest, ReplaceLoadKeepsStatusAndDropsTheRest) {
  Document doc = TalkDocument();
  doc.status.dc = "HA-node1";
  ASSERT_TRUE(ApplyEdit(doc,
                        DefineObjects{{Primitive("solo")}, LoadMode::kReplace},
                        kNow)
                  .ok());
  ASSERT_EQ(doc.config.resources.size(), 1u);
  EXPECT_TRUE(doc.config.nodes.empty());
  EXPECT_EQ(doc.status.dc, "HA-node1");
}

TEST(EditTest, ValidatorFlagsBadOpsAndMeta) {
  Configuration c;
  Resource p = Primitive("p");
  p.ops.push_back({"monitor", {{"interval", "10s"}}});
  p.ops.push_back({"monitor", {{"interval", "10"}}});
  c.resources.push_back(p);
  Status s = Validate(c);
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_NE(s.message().find("duplicate op monitor"), std::string::npos);
  c.resources[0].ops = {{"monitor", {{"interval", "10x"}}}};
  EXPECT_EQ(Validate(c).code(), StatusCode::kSyntax);
  c.resources[0].ops = {{"frobnicate", {}}};
  EXPECT_EQ(Validate(c).code(), StatusCode::kSyntax);
  c.resources[0].ops = {};
  c.resources[0].meta.Set("target-role", "Sleeping");
  EXPECT_EQ(Validate(c).code(), StatusCode::kSyntax);
  c.resources[0].meta = {};
  c.properties.Set("no-quorum-policy", "panic");
  s = Validate(c);
  EXPECT_NE(s.message().find("no-quorum-policy=panic"), std::string::npos);
}

}  // namespace
}  // namespace paceline::cib
