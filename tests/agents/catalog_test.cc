#include "agents/catalog.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "tests/cli/run_util.h"

namespace paceline::agents {
namespace {

TEST(CatalogTest, ListsExecutablesByClassAndProvider) {
  paceline::testing::TempDir tmp;
  auto exe = [&](const std::string& rel, mode_t mode) {
    std::string path = tmp.File(rel);
    std::filesystem::create_directories(
        std::filesystem::path(path).parent_path());
    std::ofstream(path) << "#!/bin/sh\n";
    chmod(path.c_str(), mode);
  };
  exe("ocf/resource.d/heartbeat/IPaddr2", 0755);
  exe("ocf/resource.d/heartbeat/.ocf-shellfuncs", 0755);
  exe("ocf/resource.d/heartbeat/README", 0644);
  exe("ocf/resource.d/pacemaker/Dummy", 0755);
  exe("init.d/postgresql", 0755);
  NodeContext node;
  node.ocf_root = tmp.File("ocf");
  node.lsb_root = tmp.File("init.d");
  auto all = ListAgents(node, "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all,
            (std::vector<std::string>{"lsb:postgresql", "ocf:heartbeat:IPaddr2",
                                      "ocf:pacemaker:Dummy"}));
  EXPECT_EQ(*ListAgents(node, "ocf:pacemaker"),
            (std::vector<std::string>{"ocf:pacemaker:Dummy"}));
  EXPECT_EQ(*ListAgents(node, "lsb"),
            (std::vector<std::string>{"lsb:postgresql"}));
  EXPECT_TRUE(ListAgents(node, "ocf:nobody")->empty());
  EXPECT_FALSE(ListAgents(node, "systemd").ok());
  EXPECT_FALSE(ListAgents(node, "lsb:x").ok());
  EXPECT_FALSE(ListAgents(node, "ocf:../..").ok());
}

TEST(CatalogTest, RealSystemHasTheAgentsWeTestWith) {
  auto ocf = ListAgents(NodeContext{}, "ocf");
  ASSERT_TRUE(ocf.ok());
  for (const char* want : {"ocf:pacemaker:Dummy", "ocf:pacemaker:Stateful",
                           "ocf:heartbeat:IPaddr2", "ocf:linbit:drbd"}) {
    EXPECT_NE(std::find(ocf->begin(), ocf->end(), want), ocf->end()) << want;
  }
}

}  // namespace
}  // namespace paceline::agents
