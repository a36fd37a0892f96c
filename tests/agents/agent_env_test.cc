#include "agents/agent_env.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/cli/run_util.h"

namespace paceline::agents {
namespace {

std::map<std::string, std::string> AsMap(const std::vector<std::string>& env) {
  std::map<std::string, std::string> m;
  for (const auto& e : env) {
    size_t eq = e.find('=');
    EXPECT_NE(eq, std::string::npos) << e;
    EXPECT_FALSE(m.count(e.substr(0, eq))) << "duplicate " << e;
    m[e.substr(0, eq)] = e.substr(eq + 1);
  }
  return m;
}

NodeContext Node() {
  NodeContext n;
  n.node_name = "node1";
  n.ha_rsctmp = "/run/paceline/node1/rsctmp";
  n.ha_varrun = "/run/paceline/node1/varrun/";
  n.ocf_root = "/opt/ocf";
  n.sbin_dir = "/opt/shim";
  n.lsb_root = "/opt/init.d";
  return n;
}

ActionRequest DummyStart() {
  ActionRequest r;
  r.resource_id = "d1";
  r.agent = {"ocf", "pacemaker", "Dummy"};
  r.action = "start";
  r.params.Set("state", "/tmp/x.state");
  r.params.Set("op_sleep", "2");
  r.timeout_ms = 20000;
  return r;
}

TEST(AgentEnvTest, OcfEnvironmentIsExactlyTheContract) {
  setenv("PACELINE_LEAK_CHECK", "leaked", 1);
  ActionRequest req = DummyStart();
  req.meta.Set("clone-max", "2");
  req.meta.Set("notify", "true");
  auto inv = BuildInvocation(req, Node());
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  EXPECT_EQ(inv->path, "/opt/ocf/resource.d/pacemaker/Dummy");
  EXPECT_EQ(inv->argv, (std::vector<std::string>{
                           "/opt/ocf/resource.d/pacemaker/Dummy", "start"}));
  std::map<std::string, std::string> want = {
      {"PATH", "/opt/shim:/usr/sbin:/usr/bin:/sbin:/bin"},
      {"LANG", "C"},
      {"LVM_SUPPRESS_FD_WARNINGS", "1"},
      {"HA_RSCTMP", "/run/paceline/node1/rsctmp"},
      {"HA_VARRUN", "/run/paceline/node1/varrun/"},
      {"HA_SBIN_DIR", "/opt/shim"},
      {"OCF_ROOT", "/opt/ocf"},
      {"OCF_RA_VERSION_MAJOR", "1"},
      {"OCF_RA_VERSION_MINOR", "1"},
      {"OCF_RESOURCE_INSTANCE", "d1"},
      {"OCF_RESOURCE_TYPE", "Dummy"},
      {"OCF_RESOURCE_PROVIDER", "pacemaker"},
      {"OCF_RESKEY_state", "/tmp/x.state"},
      {"OCF_RESKEY_op_sleep", "2"},
      {"OCF_RESKEY_CRM_meta_clone_max", "2"},
      {"OCF_RESKEY_CRM_meta_notify", "true"},
      {"OCF_RESKEY_CRM_meta_timeout", "20000"},
      {"OCF_RESKEY_CRM_meta_interval", "0"},
      {"OCF_RESKEY_CRM_meta_on_node", "node1"},
      {"OCF_RESKEY_crm_feature_set", "3.16.2"},
  };
  EXPECT_EQ(AsMap(inv->env), want);
  unsetenv("PACELINE_LEAK_CHECK");
}

TEST(AgentEnvTest, IntervalAndTimeoutWinOverMeta) {
  ActionRequest req = DummyStart();
  req.action = "monitor";
  req.interval_ms = 10000;
  req.timeout_ms = 30000;
  req.meta.Set("interval", "0");
  req.meta.Set("timeout", "5");
  auto inv = BuildInvocation(req, Node());
  ASSERT_TRUE(inv.ok());
  auto env = AsMap(inv->env);
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_interval"], "10000");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_timeout"], "30000");
}

TEST(AgentEnvTest, NothingFromTheParentEnvironment) {
  setenv("OCF_RESKEY_sneaky", "1", 1);
  setenv("HOME", "/root", 1);
  auto inv = BuildInvocation(DummyStart(), Node());
  ASSERT_TRUE(inv.ok());
  auto env = AsMap(inv->env);
  EXPECT_FALSE(env.count("OCF_RESKEY_sneaky"));
  EXPECT_FALSE(env.count("HOME"));
  EXPECT_FALSE(env.count("MODPROBE"));  // a per-resource choice
  EXPECT_FALSE(env.count("OCF_RESKEY_CRM_meta_on_node") &&
               env["OCF_RESKEY_CRM_meta_on_node"] != "node1");
  unsetenv("OCF_RESKEY_sneaky");
}

TEST(AgentEnvTest, ExtraEnvIsAddedLastAndOverrides) {
  ActionRequest req = DummyStart();
  req.extra_env.Set("MODPROBE", "/bin/true");
  req.extra_env.Set("LANG", "C.UTF-8");
  auto env = AsMap(BuildInvocation(req, Node())->env);
  EXPECT_EQ(env["MODPROBE"], "/bin/true");
  EXPECT_EQ(env["LANG"], "C.UTF-8");
}

TEST(AgentEnvTest, NoNodeNameMeansNoOnNode) {
  NodeContext n = Node();
  n.node_name.clear();
  auto env = AsMap(BuildInvocation(DummyStart(), n)->env);
  EXPECT_FALSE(env.count("OCF_RESKEY_CRM_meta_on_node"));
}

TEST(AgentEnvTest, LsbMonitorIsStatusAndPathUnderLsbRoot) {
  ActionRequest req;
  req.resource_id = "pg";
  req.agent = {"lsb", "", "postgresql"};
  req.action = "monitor";
  auto inv = BuildInvocation(req, Node());
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->agent_class, AgentClass::kLsb);
  EXPECT_EQ(inv->argv,
            (std::vector<std::string>{"/opt/init.d/postgresql", "status"}));
  req.action = "start";
  EXPECT_EQ(BuildInvocation(req, Node())->argv[1], "start");
}

TEST(AgentEnvTest, UnsupportedClassesAreUnavailable) {
  for (const char* cls : {"systemd", "service", "stonith"}) {
    ActionRequest req = DummyStart();
    req.agent = {cls, "", "foo"};
    auto inv = BuildInvocation(req, Node());
    ASSERT_FALSE(inv.ok()) << cls;
    EXPECT_EQ(inv.status().code(), StatusCode::kUnavailable);
    EXPECT_NE(inv.status().message().find("not supported yet"),
              std::string::npos);
  }
}

TEST(AgentEnvTest, RejectsEscapingNamesAndBadInput) {
  ActionRequest req = DummyStart();
  req.agent.type = "../../bin/sh";
  EXPECT_FALSE(BuildInvocation(req, Node()).ok());
  req = DummyStart();
  req.action.clear();
  EXPECT_FALSE(BuildInvocation(req, Node()).ok());
  req = DummyStart();
  req.resource_id.clear();
  EXPECT_FALSE(BuildInvocation(req, Node()).ok());
  req = DummyStart();
  req.params.Set("a=b", "c");
  EXPECT_FALSE(BuildInvocation(req, Node()).ok());
  req = DummyStart();
  req.agent.standard = "upstart";
  EXPECT_FALSE(BuildInvocation(req, Node()).ok());
}

TEST(AgentEnvTest, MetaEnvName) {
  EXPECT_EQ(MetaEnvName("clone-node-max"), "clone_node_max");
  EXPECT_EQ(MetaEnvName("notify_type"), "notify_type");
}

}  // namespace
}  // namespace paceline::agents

namespace paceline::agents {
namespace {

// The talk's ocf:heartbeat:IPAddr2 runs the installed IPaddr2; an exact
// name wins, and two names differing only in case are ambiguous.
TEST(AgentEnvTest, OcfTypeFallsBackToTheOneCaseInsensitiveMatch) {
  testing::TempDir dir;
  std::string root = dir.File("ocf");
  std::filesystem::create_directories(root + "/resource.d/heartbeat");
  std::filesystem::create_directories(root + "/resource.d/x");
  for (const char* f : {"heartbeat/IPaddr2", "x/Ab", "x/aB"}) {
    std::ofstream(root + "/resource.d/" + f) << "#!/bin/sh\n";
  }
  EXPECT_EQ(OcfAgentPath(root, "heartbeat", "IPAddr2"),
            root + "/resource.d/heartbeat/IPaddr2");
  EXPECT_EQ(OcfAgentPath(root, "heartbeat", "IPaddr2"),
            root + "/resource.d/heartbeat/IPaddr2");
  EXPECT_EQ(OcfAgentPath(root, "x", "AB"), root + "/resource.d/x/AB");
  EXPECT_EQ(OcfAgentPath(root, "heartbeat", "Nope"),
            root + "/resource.d/heartbeat/Nope");
  EXPECT_EQ(OcfAgentPath(root, "missing", "IPAddr2"),
            root + "/resource.d/missing/IPAddr2");
}

}  // namespace
}  // namespace paceline::agents
