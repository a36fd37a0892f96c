// Every malformed or refused command: one line on stderr naming the bad
// token or id, exit 2 (syntax/usage) or 1 (refused), and the CIB file left
// byte-for-byte as it was.
#include <gtest/gtest.h>

#include "run_util.h"

namespace paceline::testing {
namespace {

struct BadCase {
  std::vector<std::string> args;  // after `crm --cib FILE`
  int exit_code;
  std::string names;  // must appear in the error line
};

std::ostream& operator<<(std::ostream& os, const BadCase& c) {
  for (const auto& a : c.args) os << a << " ";
  return os;
}

const std::vector<std::string> kSetup[] = {
    {"configure", "node", "1:", "HA-node1"},
    {"configure", "node", "2:", "HA-node2"},
    {"configure", "primitive", "drbd_pg", "ocf:linbit:drbd", "params",
     "drbd_resource=pg", "op", "monitor", "interval=15"},
    {"configure", "ms", "ms_drbd_pg", "drbd_pg", "meta", "master-max=1",
     "notify=true"},
    {"configure", "primitive", "pg_fs", "ocf:heartbeat:Filesystem"},
    {"configure", "primitive", "pg_vip", "ocf:heartbeat:IPaddr2", "params",
     "ip=192.168.56.30"},
    {"configure", "group", "PGServer", "pg_fs", "pg_vip"},
    {"configure", "colocation", "col_pg_drbd", "inf:", "PGServer",
     "ms_drbd_pg:Master"},
    {"configure", "order", "ord_pg", "inf:", "ms_drbd_pg:promote",
     "PGServer:start"},
};

const BadCase kCases[] = {
    // Truncated commands.
    {{"configure", "primitive"}, 2, "primitive"},
    {{"configure", "primitive", "p1"}, 2, "agent"},
    {{"configure", "group"}, 2, "group"},
    {{"configure", "group", "g1"}, 2, "g1"},
    {{"configure", "ms", "ms2"}, 2, "ms2"},
    {{"configure", "colocation", "c1", "inf:", "PGServer"}, 2, "c1"},
    {{"configure", "location", "l1", "PGServer"}, 2, "l1"},
    {{"configure", "location", "l1", "PGServer", "100:"}, 2, "l1"},
    {{"configure", "primitive", "p1", "ocf:heartbeat:Dummy", "op"}, 2, "op"},
    {{"configure", "delete"}, 2, "delete"},
    {{"configure", "property"}, 2, "property"},
    {{"configure"}, 2, "configure"},
    // Unknown keywords and commands.
    {{"frobnicate"}, 2, "frobnicate"},
    {{"configure", "frobnicate", "x"}, 2, "frobnicate"},
    {{"resource", "frobnicate", "PGServer"}, 2, "frobnicate"},
    {{"node", "frobnicate", "HA-node1"}, 2, "frobnicate"},
    {{"configure", "primitive", "p1", "ocf:heartbeat:Dummy", "bogus"},
     2,
     "bogus"},
    {{"configure", "primitive", "p1", "ocf:heartbeat:Dummy", "params", "foo"},
     2,
     "foo"},
    {{"configure", "show", "--output-as=xmlish"}, 2, "xmlish"},
    {{"--frobnicate", "configure", "show"}, 2, "--frobnicate"},
    // Bad agents and ids.
    {{"configure", "primitive", "p1", "ocf:heartbeat"}, 2, "ocf:heartbeat"},
    {{"configure", "primitive", "p1", "foo:bar:baz"}, 2, "foo"},
    {{"configure", "primitive", "p1", "ocf:heartbeat:../../bin/sh"},
     2,
     "../../bin/sh"},
    {{"configure", "primitive", "1p", "ocf:heartbeat:Dummy"}, 2, "1p"},
    // Bad scores, roles, actions, kinds, booleans, intervals.
    {{"configure", "colocation", "c1", "infinite:", "PGServer", "ms_drbd_pg"},
     2,
     "infinite"},
    {{"configure", "colocation", "c1", "inf:", "PGServer", "ms_drbd_pg:Boss"},
     2,
     "Boss"},
    {{"configure", "colocation", "c1", "PGServer", "ms_drbd_pg"}, 2, "c1"},
    {{"configure", "location", "l1", "PGServer", "role=Boss",
      "100:", "HA-node1"},
     2,
     "Boss"},
    {{"configure", "location", "l1", "PGServer", "1e3:", "HA-node1"}, 2, "1e3"},
    {{"configure", "order", "o1", "inf:", "ms_drbd_pg:launch",
      "PGServer:start"},
     2,
     "launch"},
    {{"configure", "order", "o1", "Sometimes:", "ms_drbd_pg", "PGServer"},
     2,
     "Sometimes"},
    {{"configure", "order", "o1", "inf:", "ms_drbd_pg", "PGServer",
      "symmetrical=maybe"},
     2,
     "maybe"},
    {{"configure", "primitive", "p1", "ocf:heartbeat:Dummy", "op", "monitor",
      "interval=15x"},
     2,
     "15x"},
    {{"configure", "primitive", "p1", "ocf:heartbeat:Dummy", "op",
      "frobnicate"},
     2,
     "frobnicate"},
    {{"configure", "primitive", "p1", "ocf:heartbeat:Dummy", "op", "monitor",
      "role=Boss"},
     2,
     "Boss"},
    {{"configure", "primitive", "p1", "ocf:heartbeat:Dummy", "meta",
      "target-role=Sleeping"},
     2,
     "Sleeping"},
    {{"configure", "property", "no-quorum-policy=panic"}, 2, "panic"},
    {{"configure", "property", "stonith-enabled=perhaps"}, 2, "perhaps"},
    {{"resource", "migrate", "PGServer", "HA-node2", "lifetime=PT1X"},
     2,
     "PT1X"},
    {{"configure", "location", "l1", "PGServer", "rule", "100:", "#uname", "ne",
      "HA-node1"},
     2,
     "rule"},
    {{"configure", "colocation", "c1", "inf:", "PGServer", "pg_fs", "pg_vip"},
     2,
     "resource sets"},
    {{"node", "standby"}, 2, "node name"},
    {{"--cib"}, 2, "--cib"},
    // Refused changes (exit 1).
    {{"configure", "primitive", "pg_fs", "ocf:heartbeat:Dummy"}, 1, "pg_fs"},
    {{"configure", "colocation", "c1", "inf:", "PGServer", "nope"}, 1, "nope"},
    {{"configure", "location", "l1", "nope", "100:", "HA-node1"}, 1, "nope"},
    {{"configure", "delete", "PGServer"}, 1, "col_pg_drbd"},
    {{"configure", "delete", "nope"}, 1, "nope"},
    {{"configure", "delete", "drbd_pg"}, 1, "ms_drbd_pg"},
    {{"configure", "group", "g2", "pg_fs"}, 1, "PGServer"},
    {{"configure", "clone", "cl", "drbd_pg"}, 1, "ms_drbd_pg"},
    {{"configure", "colocation", "c1", "inf:", "PGServer:Master", "ms_drbd_pg"},
     1,
     "PGServer"},
    {{"configure", "primitive", "p1", "ocf:heartbeat:Dummy", "op", "monitor",
      "interval=10", "op", "monitor", "interval=10s"},
     1,
     "duplicate op"},
    {{"configure", "order", "o2", "inf:", "PGServer", "PGServer"},
     1,
     "PGServer"},
    {{"configure", "node", "HA-node1"}, 1, "HA-node1"},
    {{"resource", "migrate", "nope", "HA-node2"}, 1, "nope"},
    {{"resource", "migrate", "PGServer", "HA-node9"}, 1, "HA-node9"},
    {{"resource", "migrate", "drbd_pg", "HA-node2"}, 1, "ms_drbd_pg"},
    {{"resource", "migrate", "PGServer"}, 1, "PGServer"},
    {{"resource", "start", "nope"}, 1, "nope"},
    {{"resource", "restart", "PGServer"}, 1, "restart"},
    {{"node", "standby", "HA-node9"}, 1, "HA-node9"},
    {{"configure", "load", "update", "/nonexistent/file.crm"},
     1,
     "/nonexistent/file.crm"},
};

class BadInputTest : public ::testing::TestWithParam<BadCase> {
 protected:
  void SetUp() override {
    cib_ = dir_.File("cib.yaml");
    for (const auto& args : kSetup) {
      std::vector<std::string> full{"--cib", cib_};
      full.insert(full.end(), args.begin(), args.end());
      RunResult r = RunCommand("crm", full);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  TempDir dir_;
  std::string cib_;
};

TEST_P(BadInputTest, OneLineNamingItExitCodeAndFileUnchanged) {
  const BadCase& c = GetParam();
  std::string before = ReadFile(cib_);
  std::vector<std::string> args = c.args;
  RunResult r = RunCommand("crm", args, {{"PACELINE_CIB", cib_}});
  EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("ERROR: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(c.names), std::string::npos)
      << "error does not name '" << c.names << "': " << r.err;
  EXPECT_EQ(ReadFile(cib_), before);
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputTest, ::testing::ValuesIn(kCases));

TEST(BadFileTest, CorruptYamlIsRefusedAndKept) {
  TempDir dir;
  std::string cib = dir.File("cib.yaml");
  const std::string garbage = "epoch: [1, 2\nconfiguration: {{{\n";
  WriteFile(cib, garbage);
  RunResult r = RunCommand(
      "crm", {"--cib", cib, "configure", "property", "stonith-enabled=false"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(cib), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(cib), garbage);
  r = RunCommand("crm", {"--cib", cib, "configure", "show"});
  EXPECT_EQ(r.exit_code, 1);
}

TEST(BadFileTest, WrongSchemaIsRefused) {
  TempDir dir;
  std::string cib = dir.File("cib.yaml");
  const std::string text =
      "epoch: 3\nconfiguration:\n  resources:\n"
      "    - primitive: p1\n      agnet: ocf:a:b\n";
  WriteFile(cib, text);
  RunResult r = RunCommand("crm", {"--cib", cib, "configure", "show"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("agnet"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(cib), text);
}

TEST(BadFileTest, UnreadableFileIsRefused) {
  TempDir dir;
  // A directory where the file should be: unreadable even for root.
  std::string cib = dir.File("cib.yaml");
  std::filesystem::create_directory(cib);
  RunResult r = RunCommand(
      "crm", {"--cib", cib, "configure", "property", "stonith-enabled=false"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(cib), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::is_directory(cib));
}

TEST(BadFileTest, UnbalancedQuoteInLoadFile) {
  TempDir dir;
  std::string cib = dir.File("cib.yaml");
  ASSERT_EQ(RunCommand("crm", {"--cib", cib, "configure", "property",
                               "stonith-enabled=false"})
                .exit_code,
            0);
  std::string before = ReadFile(cib);
  WriteFile(dir.File("in.crm"),
            "primitive ok ocf:heartbeat:Dummy\n"
            "primitive x ocf:heartbeat:Dummy params a=\"b\n");
  RunResult r = RunCommand(
      "crm", {"--cib", cib, "configure", "load", "update", dir.File("in.crm")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(cib), before);
}

}  // namespace
}  // namespace paceline::testing
