// Hand-built configurations shared by the crm renderer tests (tests/cib) and
// the render -> parse round-trip tests (tests/cli). Both are in canonical
// order (members and children before their containers).
#pragma once

#include "cib/duration.h"
#include "cib/model.h"

namespace paceline::cib::fixtures {

inline Resource Primitive(std::string id, std::string agent) {
  Resource r;
  r.id = std::move(id);
  r.kind = ResourceKind::kPrimitive;
  r.agent = ParseAgentSpec(agent).value();
  return r;
}

inline Resource Container(std::string id, ResourceKind kind,
                          std::vector<std::string> children) {
  Resource r;
  r.id = std::move(id);
  r.kind = kind;
  r.children = std::move(children);
  return r;
}

inline Operation Op(std::string name, Attributes attrs) {
  return Operation{std::move(name), std::move(attrs)};
}

// The configuration the Postgres/Pacemaker talk builds, after a
// `crm node standby HA-node1` and a `crm resource migrate PGServer HA-node2`.
inline Configuration TalkConfiguration() {
  Configuration c;
  c.nodes.push_back(Node{"HA-node1", 1, "", "", {{"standby", "on"}}, {}});
  c.nodes.push_back(Node{"HA-node2", 2, "", "", {}, {}});

  Resource drbd = Primitive("drbd_pg", "ocf:linbit:drbd");
  drbd.params.Set("drbd_resource", "pg");
  drbd.ops = {Op("monitor", {{"interval", "15"}}),
              Op("start", {{"interval", "0"}, {"timeout", "240"}}),
              Op("stop", {{"interval", "0"}, {"timeout", "120"}})};
  Resource ms = Container("ms_drbd_pg", ResourceKind::kClone, {"drbd_pg"});
  ms.promotable = true;
  ms.ms_syntax = true;
  ms.meta = {{"master-max", "1"},
             {"master-node-max", "1"},
             {"clone-max", "2"},
             {"clone-node-max", "1"},
             {"notify", "true"}};
  Resource lvm = Primitive("pg_lvm", "ocf:heartbeat:LVM");
  lvm.params.Set("volgrpname", "VG_PG");
  lvm.ops = {Op("start", {{"interval", "0"}, {"timeout", "30"}}),
             Op("stop", {{"interval", "0"}, {"timeout", "30"}})};
  Resource fs = Primitive("pg_fs", "ocf:heartbeat:Filesystem");
  fs.params = {{"device", "/dev/VG_PG/LV_DATA"},
               {"directory", "/db/pgdata"},
               {"options", "noatime,nodiratime"},
               {"fstype", "xfs"}};
  fs.ops = {Op("start", {{"interval", "0"}, {"timeout", "60"}}),
            Op("stop", {{"interval", "0"}, {"timeout", "120"}})};
  Resource lsb = Primitive("pg_lsb", "lsb:postgresql");
  lsb.ops = {Op("monitor", {{"interval", "30"}, {"timeout", "60"}}),
             Op("start", {{"interval", "0"}, {"timeout", "60"}}),
             Op("stop", {{"interval", "0"}, {"timeout", "60"}})};
  Resource vip = Primitive("pg_vip", "ocf:heartbeat:IPAddr2");
  vip.params = {{"ip", "192.168.56.30"}, {"iflabel", "pgvip"}};
  vip.ops = {Op("monitor", {{"interval", "5"}})};
  Resource group = Container("PGServer", ResourceKind::kGroup,
                             {"pg_lvm", "pg_fs", "pg_lsb", "pg_vip"});
  c.resources = {drbd, ms, lvm, fs, lsb, vip, group};

  Colocation col;
  col.id = "col_pg_drbd";
  col.score = Score::Infinity();
  col.rsc = "PGServer";
  col.with_rsc = "ms_drbd_pg";
  col.with_rsc_role = Role::kPromoted;
  Order ord;
  ord.id = "ord_pg";
  ord.score = Score::Infinity();
  ord.first = "ms_drbd_pg";
  ord.first_action = Action::kPromote;
  ord.then = "PGServer";
  ord.then_action = Action::kStart;
  Location prefer;
  prefer.id = "cli-prefer-PGServer";
  prefer.rsc = "PGServer";
  prefer.role = Role::kStarted;
  prefer.score = Score::Infinity();
  prefer.node = "HA-node2";
  c.constraints = {col, ord, prefer};

  c.properties = {{"stonith-enabled", "false"}, {"no-quorum-policy", "ignore"}};
  c.rsc_defaults = {{"resource-stickiness", "100"}};
  return c;
}

// Values that stress quoting: blanks, quotes, '#', '=', backslashes,
// empty values, newlines, CR, tabs and UTF-8.
inline Attributes TrickyAttributes() {
  return {{"spaces", "a b  c "},
          {"double", "say \"hi\""},
          {"single", "it's"},
          {"hash", "#not-a-comment"},
          {"hash_inside", "a#b"},
          {"equals", "k=v=w"},
          {"backslash", "C:\\dir\\"},
          {"lone_backslash", "\\"},
          {"empty", ""},
          {"newline", "line1\nline2"},
          {"crlf", "a\r\nb"},
          {"tab", "\t"},
          {"unicode", "Zürich ☃ 東京"},
          {"colon", "inf:"},
          {"keyword", "params"},
          {"description", "a param called description"},
          {"name with blank", "v"}};
}

// Every statement form and option the model has.
inline Configuration RichConfiguration() {
  Configuration c = TalkConfiguration();
  c.nodes.push_back(Node{"n3",
                         3,
                         "member",
                         "rack \"B\" # 4",
                         TrickyAttributes(),
                         {{"cpu", "16"}, {"mem", ""}}});
  c.nodes.push_back(Node{"remote1", 0, "remote", "", {}, {}});

  Resource dummy = Primitive("dummy.1", "ocf:pacemaker:Dummy");
  dummy.description = "Zürich \\ \"test\"\nsecond line";
  dummy.params = TrickyAttributes();
  dummy.meta = {{"target-role", "Stopped"}, {"is-managed", ""}};
  dummy.utilization = {{"cpu", "1"}};
  dummy.ops = {Op("monitor", {{"interval", "10s"}, {"role", "Promoted"}}),
               Op("monitor", {{"interval", "11s"}, {"role", "Unpromoted"}}),
               Op("start", {}),
               Op("notify", {{"timeout", "1 min"}, {"x", "#y"}})};
  Resource promo = Container("promo", ResourceKind::kClone, {"dummy.1"});
  promo.promotable = true;
  promo.meta = {{"promotable", "yes"}, {"notify", "true"}};
  Resource fence = Primitive("fence_a", "stonith:fence_ipmilan");
  fence.params = {{"ip", "10.0.0.9"}, {"password", "p@ss w0rd\"'"}};
  Resource web = Primitive("_web-2", "systemd:nginx");
  Resource svc = Primitive("svc", "service:cron");
  Resource grp = Container("grp", ResourceKind::kGroup, {"_web-2", "svc"});
  grp.description = "web stack";
  grp.params = {{"shared", "x y"}};
  grp.meta = {{"target-role", "Started"}, {"note", "#1"}};
  Resource cl = Container("cl_grp", ResourceKind::kClone, {"grp"});
  cl.meta = {{"interleave", "true"}};
  cl.params = {{"p", "v"}};
  c.resources.insert(c.resources.end(),
                     {dummy, promo, fence, web, svc, grp, cl});

  Location avoid;
  avoid.id = "avoid-n3";
  avoid.rsc = "cl_grp";
  avoid.score = Score::MinusInfinity();
  avoid.node = "n3";
  avoid.resource_discovery = "never";
  Location lifetime;
  lifetime.id = "cli-prefer-promo";
  lifetime.rsc = "promo";
  lifetime.role = Role::kPromoted;
  lifetime.score = Score(250);
  lifetime.node = "HA-node1";
  lifetime.expires = ParseTimestamp("2026-11-25T10:00:00Z").value();
  lifetime.resource_discovery = "exclusive";
  Colocation unpromoted;
  unpromoted.id = "col-2";
  unpromoted.score = Score(-20);
  unpromoted.rsc = "fence_a";
  unpromoted.rsc_role = Role::kStopped;
  unpromoted.with_rsc = "promo";
  unpromoted.with_rsc_role = Role::kUnpromoted;
  Order optional;
  optional.id = "ord.2";
  optional.kind = OrderKind::kOptional;
  optional.first = "promo";
  optional.first_action = Action::kDemote;
  optional.then = "cl_grp";
  optional.then_action = Action::kStop;
  optional.symmetrical = false;
  Order serialize;
  serialize.id = "ord-3";
  serialize.kind = OrderKind::kSerialize;
  serialize.first = "fence_a";
  serialize.then = "grp";
  serialize.symmetrical = true;
  Order zero;
  zero.id = "ord_4";
  zero.score = Score(0);
  zero.first = "svc";
  zero.then = "_web-2";
  c.constraints.insert(c.constraints.end(), {avoid, lifetime, unpromoted,
                                             optional, serialize, zero});

  c.properties.Merge(TrickyAttributes());
  c.rsc_defaults.Set("migration-threshold", "3");
  c.op_defaults = {{"timeout", "60s"}, {"record-pending", "true"}};
  return c;
}

}  // namespace paceline::cib::fixtures
