// crm ra against the agents installed on this machine (resource-agents and
// pacemaker-resource-agents are test dependencies).
#include <gtest/gtest.h>

#include "run_util.h"

namespace paceline::testing {
namespace {

TEST(CrmRaTest, ListsTheInstalledAgentsLikeCrmsh) {
  RunResult r = RunCommand("crm", {"ra", "list", "ocf", "pacemaker"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ocf:pacemaker:Dummy\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ocf:pacemaker:Stateful\n"), std::string::npos);
  EXPECT_EQ(r.out.find("ocf:heartbeat:"), std::string::npos);
  RunResult same = RunCommand("crm", {"ra", "list", "ocf:pacemaker"});
  EXPECT_EQ(same.out, r.out);
  RunResult classes = RunCommand("crm", {"ra", "classes"});
  ASSERT_EQ(classes.exit_code, 0);
  EXPECT_NE(classes.out.find("ocf / "), std::string::npos);
  EXPECT_NE(classes.out.find("heartbeat"), std::string::npos);
}

TEST(CrmRaTest, InfoShowsParametersFromTheAgentsMetaData) {
  RunResult r = RunCommand("crm", {"ra", "info", "ocf:heartbeat:IPaddr2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nip* (string"), std::string::npos)
      << r.out;  // required
  EXPECT_NE(r.out.find("cidr_netmask"), std::string::npos);
}

TEST(CrmRaTest, BadInputIsOneLineAndNonZero) {
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string names;
  } cases[] = {
      {{"ra"}, 2, "usage"},
      {{"ra", "frob"}, 2, "frob"},
      {{"ra", "list", "bogus"}, 2, "bogus"},
      {{"ra", "info", "ocf:heartbeat"}, 2, "ocf:heartbeat"},
      {{"ra", "info", "ocf:heartbeat:NoSuchAgent"}, 1, "NoSuchAgent"},
  };
  for (const auto& c : cases) {
    RunResult r = RunCommand("crm", c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.names << ": " << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace paceline::testing

namespace paceline::testing {
namespace {

TEST(VerifyMetadataTest, RequiredAndUnknownParamsFromTheAgent) {
  TempDir dir;
  std::string cib = dir.File("cib.yaml");
  ASSERT_EQ(RunCommand("crm", {"--cib", cib, "configure", "primitive", "vip",
                               "ocf:heartbeat:IPaddr2", "params", "nic=lo",
                               "netmsk=24"})
                .exit_code,
            0);
  RunResult r = RunCommand("crm", {"--cib", cib, "configure", "verify"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ERROR: primitive 'vip': missing required parameter "
                       "'ip' of IPaddr2"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("WARNING: primitive 'vip': unknown parameter 'netmsk'"),
            std::string::npos)
      << r.err;
  ASSERT_EQ(
      RunCommand("crm", {"--cib", cib, "configure", "load", "update", "-"}, {},
                 "primitive vip ocf:heartbeat:IPaddr2 params "
                 "ip=198.51.100.7 nic=lo\n")
          .exit_code,
      0);
  r = RunCommand("crm", {"--cib", cib, "configure", "verify"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace paceline::testing
