#include "agents/metadata.h"

#include <gtest/gtest.h>

#include "tests/agents/executor_fixture.h"

namespace paceline::agents {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kSample = R"(<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="Sample" version="0.9">
<version>1.0</version>
<longdesc lang="en">  Long text.  </longdesc>
<shortdesc lang="en">Sample agent</shortdesc>
<parameters>
<parameter name="res" unique="1" required="1">
<shortdesc>the resource</shortdesc>
<content type="string"/>
</parameter>
<parameter name="conf">
<content type="string" default="/etc/x.conf"/>
</parameter>
<parameter name="state" unique-group="state">
<content type="string" default=""/>
</parameter>
</parameters>
<actions>
<action name="start" timeout="240" />
<action name="monitor" timeout="20" interval="20" role="Slave" />
<action name="monitor" timeout="20s" interval="10s" role="Master" depth="0"/>
<action name="validate-all" />
</actions>
</resource-agent>
)";

TEST(MetadataTest, ParsesParametersAndUnitlessTimeouts) {
  auto md = ParseMetadata(kSample);
  ASSERT_TRUE(md.ok()) << md.status().message();
  EXPECT_EQ(md->name, "Sample");
  EXPECT_EQ(md->version, "0.9");
  EXPECT_EQ(md->ocf_version, "1.0");
  EXPECT_EQ(md->shortdesc, "Sample agent");
  EXPECT_EQ(md->longdesc, "Long text.");
  ASSERT_EQ(md->parameters.size(), 3u);
  const ParameterInfo* res = md->FindParameter("res");
  ASSERT_NE(res, nullptr);
  EXPECT_TRUE(res->required);
  EXPECT_TRUE(res->unique);
  EXPECT_FALSE(res->default_value.has_value());
  EXPECT_EQ(md->FindParameter("conf")->default_value, "/etc/x.conf");
  EXPECT_EQ(md->FindParameter("state")->default_value, "");
  EXPECT_TRUE(md->FindParameter("state")->unique);
  EXPECT_EQ(md->FindAction("start")->timeout, seconds(240));
  EXPECT_FALSE(md->FindAction("validate-all")->timeout.has_value());
  const ActionInfo* promoted = md->FindAction("monitor", "Promoted");
  ASSERT_NE(promoted, nullptr);
  EXPECT_EQ(promoted->interval, seconds(10));
  EXPECT_EQ(promoted->depth, "0");
  EXPECT_EQ(md->FindAction("monitor", "Unpromoted")->interval, seconds(20));
}

TEST(MetadataTest, RejectsGarbage) {
  EXPECT_EQ(ParseMetadata("not xml <").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(ParseMetadata("<other/>").status().code(), StatusCode::kCorrupt);
  auto bad = ParseMetadata(
      "<resource-agent name='x'><actions><action name='start' "
      "timeout='soon'/></actions></resource-agent>");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'soon'"), std::string::npos);
}

TEST(MetadataTest, CheckParams) {
  auto md = ParseMetadata(kSample);
  ASSERT_TRUE(md.ok());
  EXPECT_TRUE(CheckParams(*md, {{"res", "r0"}}).empty());
  auto problems = CheckParams(*md, {{"conf", "/x"}, {"bogus", "1"}});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_TRUE(problems[0].missing_required);
  EXPECT_NE(problems[0].message.find("missing required parameter 'res'"),
            std::string::npos);
  EXPECT_FALSE(problems[1].missing_required);
  EXPECT_NE(problems[1].message.find("unknown parameter 'bogus'"),
            std::string::npos);
}

// The meta-data of the real agents, fetched through the executor.
class RealMetadataTest : public testing::ExecutorTest {
 protected:
  AgentMetadata Fetch(const std::string& provider, const std::string& type) {
    ActionResult r = Run(Ocf("md", provider, type, "meta-data"));
    EXPECT_EQ(r.rc, 0) << r.output.Text();
    auto md = ParseMetadata(r.output.Text());
    EXPECT_TRUE(md.ok()) << md.status().message();
    return md.ok() ? *md : AgentMetadata{};
  }
};

TEST_F(RealMetadataTest, Drbd) {
  AgentMetadata md = Fetch("linbit", "drbd");
  EXPECT_EQ(md.name, "drbd");
  ASSERT_NE(md.FindParameter("drbd_resource"), nullptr);
  EXPECT_TRUE(md.FindParameter("drbd_resource")->required);
  EXPECT_EQ(md.FindParameter("drbdconf")->default_value, "/etc/drbd.conf");
  EXPECT_EQ(md.FindAction("start")->timeout, seconds(240));
  EXPECT_EQ(md.FindAction("monitor", "Promoted")->interval, seconds(10));
  EXPECT_FALSE(md.FindAction("validate-all")->timeout.has_value());
}

TEST_F(RealMetadataTest, StatefulAndDummyAndIPaddr2) {
  AgentMetadata st = Fetch("pacemaker", "Stateful");
  EXPECT_EQ(st.ocf_version, "1.1");
  EXPECT_EQ(st.FindAction("monitor", "Unpromoted")->interval, seconds(11));
  EXPECT_NE(st.FindAction("reload-agent"), nullptr);
  AgentMetadata dummy = Fetch("pacemaker", "Dummy");
  EXPECT_NE(dummy.FindParameter("op_sleep"), nullptr);
  EXPECT_EQ(dummy.FindAction("start")->timeout, seconds(20));
  AgentMetadata ip = Fetch("heartbeat", "IPaddr2");
  EXPECT_TRUE(ip.FindParameter("ip")->required);
  auto problems = CheckParams(ip, {{"nic", "eth0"}, {"netmask", "24"}});
  ASSERT_EQ(problems.size(), 2u);  // ip missing, netmask unknown
}

}  // namespace
}  // namespace paceline::agents
