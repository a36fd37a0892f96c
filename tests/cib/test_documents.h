// Documents shared by the cib schema, codec and store tests.
//
// RichDocument() sets every field of the model at least once, with strings
// that YAML is easy to get wrong with, so a round trip that drops or mangles
// anything shows up as an inequality.
#pragma once

#include <chrono>
#include <string>

#include "cib/duration.h"
#include "cib/model.h"

namespace paceline::cib::doc_fixtures {

inline WallTime At(const char* text) { return *ParseTimestamp(text); }

// Strings a careless emitter would turn into something else.
inline std::vector<std::string> OddStrings() {
  return {"",
          "false",
          "yes",
          "No",
          "on",
          "~",
          "null",
          "NULL",
          "y",
          "Off",
          "15",
          "-3",
          "0x1F",
          "1e3",
          ".inf",
          "1:20",
          "2026-11-25",
          "a: b",
          "#hash",
          "x #not a comment",
          "line1\nline2",
          "  leading",
          "trailing  ",
          "'single'",
          "\"double\"",
          "[x, y]",
          "{k: v}",
          "- item",
          "&anchor",
          "*alias",
          "!tag",
          "| block",
          "> folded",
          "%percent",
          "@at",
          "`tick",
          "tab\there",
          "back\\slash",
          "ünïcödé ☃ 日本",
          "\x01"
          "control",
          "--- x",
          "... y",
          "a,b",
          "c]",
          "---",
          "...",
          "<<",
          "crlf\r\nline",
          "?",
          ": colon"};
}

inline Resource Primitive(std::string id, std::string agent) {
  Resource r;
  r.id = std::move(id);
  r.agent = *ParseAgentSpec(agent);
  return r;
}

inline Configuration RichConfiguration() {
  Configuration c;
  c.properties = {{"stonith-enabled", "false"},
                  {"no-quorum-policy", "ignore"},
                  {"cluster-name", "hapg"}};
  c.rsc_defaults = {{"resource-stickiness", "100"}};
  c.op_defaults = {{"timeout", "60s"}};
  Node n1{"HA-node1",    1, "member", "first: node # one", {{"standby", "on"}},
          {{"cpu", "4"}}};
  Node n2{"HA-node2", 0, "", "", {}, {}};
  c.nodes = {n1, n2};

  Resource drbd = Primitive("drbd_pg", "ocf:linbit:drbd");
  drbd.description = "DRBD: \"pg\" volume\nsecond line";
  drbd.params = {{"drbd_resource", "pg"}, {"yes", "no"}, {"123", "~"}};
  drbd.utilization = {{"memory", "512"}};
  drbd.ops = {{"monitor", {{"interval", "15"}, {"role", "Promoted"}}},
              {"monitor", {{"interval", "30"}, {"role", "Unpromoted"}}},
              {"start", {{"timeout", "240s"}}}};
  drbd.meta = {{"target-role", "Started"}};
  Resource ms;
  ms.id = "ms_drbd_pg";
  ms.kind = ResourceKind::kClone;
  ms.children = {"drbd_pg"};
  ms.promotable = true;
  ms.ms_syntax = true;
  ms.meta = {{"master-max", "1"}, {"notify", "true"}};

  Resource lvm = Primitive("pg_lvm", "ocf:heartbeat:LVM-activate");
  Resource fs = Primitive("pg_fs", "ocf:heartbeat:Filesystem");
  fs.params = {{"device", "/dev/vg/pg"}, {"options", "noatime,  nodiratime"}};
  Resource svc = Primitive("pg_svc", "systemd:postgresql@15-main");
  Resource group;
  group.id = "PGServer";
  group.kind = ResourceKind::kGroup;
  group.description = "  leading blanks and trailing  ";
  group.children = {"pg_lvm", "pg_fs", "pg_svc"};
  group.meta = {{"is-managed", "yes"}};

  Resource dummy = Primitive("dummy", "lsb:dummy");
  Resource clone;
  clone.id = "cl_dummy";
  clone.kind = ResourceKind::kClone;
  clone.children = {"dummy"};
  clone.promotable = true;  // clone ... meta promotable=true spelling
  Resource ping = Primitive("ping", "stonith:fence_ipmilan");
  Resource plain_clone;
  plain_clone.id = "cl_ping";
  plain_clone.kind = ResourceKind::kClone;
  plain_clone.children = {"ping"};
  c.resources = {drbd,  ms,    lvm,   fs,   svc,
                 group, dummy, clone, ping, plain_clone};

  Location loc{"cli-prefer-PGServer",
               "PGServer",
               Role::kStarted,
               Score::Infinity(),
               "HA-node2",
               At("2026-11-25T10:00:00Z"),
               "never"};
  Location ban{"ban",        "pg_fs", Role::kUnknown, Score(-250), "HA-node1",
               std::nullopt, ""};
  Colocation col{"col_pg_drbd",  Score::Infinity(), "PGServer",
                 Role::kStarted, "ms_drbd_pg",      Role::kPromoted};
  Colocation col2{"col_anti", Score::MinusInfinity(), "cl_ping", Role::kUnknown,
                  "cl_dummy", Role::kUnknown};
  Order ord{"ord_pg",         OrderKind::kMandatory,
            std::nullopt,     "ms_drbd_pg",
            Action::kPromote, "PGServer",
            Action::kStart,   false};
  Order ord2{"ord_score",
             std::nullopt,
             Score(0),
             "cl_ping",
             Action::kUnspecified,
             "cl_dummy",
             Action::kUnspecified,
             std::nullopt};
  Order ord3{"ord_both", OrderKind::kSerialize, Score(5), "a", Action::kStop,
             "b",        Action::kDemote,       true};
  c.constraints = {loc, ban, col, col2, ord, ord2, ord3};
  return c;
}

inline ClusterStatus RichStatus() {
  ClusterStatus s;
  s.dc = "HA-node1";
  NodeStatus n1{"HA-node1",
                NodeState::kOnline,
                {{"master-drbd_pg", "10000"}, {"pingd", "true"}},
                {}};
  n1.resources = {
      {"drbd_pg", Role::kPromoted, false, Score(0), std::nullopt},
      {"pg_fs", Role::kStopped, true, Score::Infinity(),
       At("2026-11-25T09:59:00Z")},
      {"cl_dummy:1", Role::kStarted, false, Score(3), std::nullopt}};
  NodeStatus n2{"HA-node2", NodeState::kUnclean, {}, {}};
  NodeStatus n3{"HA-node3", NodeState::kPending, {}, {}};
  s.nodes = {n1, n2, n3};
  s.failures = {
      {"pg_fs", "HA-node2", "start", 0, 5, "error", "not installed",
       At("2026-11-25T10:00:00Z"), "mount: /dev/vg/pg: no such device\n# x"},
      {"drbd_pg", "HA-node1", "monitor", 15000, 7, "", "",
       At("2026-11-25T10:01:00Z"), ""}};
  return s;
}

inline Document RichDocument() {
  Document d;
  d.versions = {3, 12, 7};
  d.config = RichConfiguration();
  d.status = RichStatus();
  // Odd strings everywhere a user string goes: values, keys, ids.
  Resource& drbd = d.config.resources[0];
  Node& n2 = d.config.nodes[1];
  int i = 0;
  for (const std::string& s : OddStrings()) {
    std::string key = "k" + std::to_string(i++);
    d.config.properties.Set(key, s);
    drbd.meta.Set(key, s);
    drbd.ops[2].attrs.Set(key, s);
    if (!s.empty()) n2.attributes.Set(s, key);  // as keys too
  }
  d.config.resources[5].children.push_back("yes");
  d.status.failures[0].reason = "quote ' and \" and : and # too";
  return d;
}

}  // namespace paceline::cib::doc_fixtures
