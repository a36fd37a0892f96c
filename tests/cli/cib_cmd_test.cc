// `paceline cib import|export` and `paceline simulate --pacemaker-xml`
// through the built binary: the talk's configuration exported for
// crm_verify and back, imports of crm_simulate's own output, refusals that
// leave the file alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "run_util.h"
#include "talk_commands.h"

namespace paceline::testing {
namespace {

const std::string kPacemaker = kData + "pacemaker/";

class CibCmdTest : public ::testing::Test {
 protected:
  std::string BuildTalk() {
    std::string cib = dir_.File("talk.yaml");
    for (const auto& argv : TalkArgv()) {
      std::vector<std::string> args = {"--cib", cib};
      args.insert(args.end(), argv.begin(), argv.end());
      RunResult r = RunCommand("crm", args);
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    return cib;
  }
  TempDir dir_;
};

TEST_F(CibCmdTest, TalkExportPassesCrmVerifyAndImportsBackTheSame) {
  std::string cib = BuildTalk();
  RunResult exported = RunCommand("paceline", {"cib", "export", "--cib", cib});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("<rsc_colocation id=\"col_pg_drbd\""),
            std::string::npos);
  std::string xml = dir_.File("talk.xml");
  WriteFile(xml, exported.out);
  if (access("/usr/sbin/crm_verify", X_OK) == 0) {
    // Warnings only: stonith-enabled=false ("blind faith") and the talk's
    // `order ... inf:` (a score, deprecated in rsc_order) are kept as typed.
    std::string out = dir_.File("verify.out");
    std::string cmd =
        "/usr/sbin/crm_verify -V -x " + xml + " > " + out + " 2>&1";
    int rc = std::system(cmd.c_str());
    std::string report = ReadFile(out);
    EXPECT_TRUE(rc == 0 ||
                report.find("Warnings found during check") != std::string::npos)
        << report << exported.out;
    EXPECT_EQ(report.find("\terror:"), std::string::npos) << report;
  }
  std::string back = dir_.File("back.yaml");
  RunResult imported =
      RunCommand("paceline", {"cib", "import", xml, "--cib", back});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  RunResult a = RunCommand("crm", {"--cib", cib, "configure", "show"});
  RunResult b = RunCommand("crm", {"--cib", back, "configure", "show"});
  ASSERT_EQ(a.exit_code, 0);
  EXPECT_EQ(a.out, b.out);
}

TEST_F(CibCmdTest, ImportWritesTheFileAndSimulateReadsXmlDirectly) {
  std::string cib = dir_.File("lab.yaml");
  std::string xml = kPacemaker + "lab-failures.xml";
  RunResult r = RunCommand("paceline", {"cib", "import", xml, "--cib", cib});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 3 nodes, 8 resources, 3 constraints"),
            std::string::npos)
      << r.out;
  RunResult from_file =
      RunCommand("paceline", {"simulate", "--cib", cib, "--output-as=json"});
  RunResult from_xml = RunCommand(
      "paceline", {"simulate", "--pacemaker-xml", xml, "--output-as=json"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  ASSERT_EQ(from_xml.exit_code, 0) << from_xml.err;
  EXPECT_EQ(from_file.out, from_xml.out);
  // Pacemaker recovers the three failed resources; so do we.
  RunResult text = RunCommand("paceline", {"simulate", "--pacemaker-xml", xml});
  for (const char* line :
       {"Recover    vip", "Recover    g1", "Recover    c:0"}) {
    EXPECT_NE(text.out.find(line), std::string::npos) << line << text.out;
  }
  // Re-importing over an existing file bumps the epoch past it.
  r = RunCommand("paceline", {"cib", "import", xml, "--cib", cib});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("epoch set to 8"), std::string::npos) << r.err;
}

// <cib have-quorum>: simulate starts from the file's quorum (Pacemaker's
// scheduler does), kept by `cib import`; --quorum still overrides it.
TEST_F(CibCmdTest, SimulateHonoursTheFilesQuorum) {
  auto cib_xml = [](const char* quorum) {
    return std::string("<cib epoch=\"1\" have-quorum=\"") + quorum +
           "\"><configuration><crm_config><cluster_property_set id=\"o\">"
           "<nvpair id=\"o1\" name=\"stonith-enabled\" value=\"false\"/>"
           "</cluster_property_set></crm_config><nodes><node id=\"1\" "
           "uname=\"n1\"/></nodes><resources><primitive id=\"d\" "
           "class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
           "</resources><constraints/></configuration><status><node_state "
           "id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" "
           "join=\"member\" expected=\"member\"/></status></cib>";
  };
  std::string with = dir_.File("with.xml"), without = dir_.File("without.xml");
  WriteFile(with, cib_xml("1"));
  WriteFile(without, cib_xml("0"));
  auto simulate = [](std::vector<std::string> args) {
    args.insert(args.begin(), "simulate");
    RunResult r = RunCommand("paceline", args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  std::string quorate = simulate({"--pacemaker-xml", with});
  EXPECT_NE(quorate.find("Start      d"), std::string::npos) << quorate;
  std::string blocked = simulate({"--pacemaker-xml", without});
  EXPECT_EQ(blocked.find("Start      d"), std::string::npos) << blocked;
  std::string overridden =
      simulate({"--pacemaker-xml", without, "--quorum=true"});
  EXPECT_NE(overridden.find("Start      d"), std::string::npos) << overridden;
  // Kept in the imported file.
  std::string cib = dir_.File("noquorum.yaml");
  RunResult r =
      RunCommand("paceline", {"cib", "import", without, "--cib", cib});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(simulate({"--cib", cib, "--output-as=json"}),
            simulate({"--pacemaker-xml", without, "--output-as=json"}));
  RunResult exported = RunCommand("paceline", {"cib", "export", "--cib", cib});
  EXPECT_NE(exported.out.find("have-quorum=\"0\""), std::string::npos)
      << exported.out;
}

// crmsh 4.x's `configure show` rendering of lab-fresh.xml (tab-indented `\`
// continuations, `property cib-bootstrap-options:`, a heartbeat agent by its
// bare type, legacy role names) loads into the model the XML import gives.
TEST_F(CibCmdTest, CrmshShowTextLoadsToTheSameModelAsTheXml) {
  std::string a = dir_.File("from-crm.yaml");
  std::string b = dir_.File("from-xml.yaml");
  RunResult r = RunCommand("crm", {"--cib", a, "configure", "load", "update",
                                   kPacemaker + "lab-crmsh-show.crm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunCommand("paceline",
                 {"cib", "import", kPacemaker + "lab-fresh.xml", "--cib", b});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult from_crm =
      RunCommand("crm", {"--cib", a, "configure", "show", "--output-as=json"});
  RunResult from_xml =
      RunCommand("crm", {"--cib", b, "configure", "show", "--output-as=json"});
  ASSERT_EQ(from_crm.exit_code, 0) << from_crm.err;
  EXPECT_EQ(from_crm.out, from_xml.out);
}

TEST_F(CibCmdTest, RefusedImportLeavesNoFile) {
  std::string xml = dir_.File("pattern.xml");
  WriteFile(xml,
            "<cib><configuration><crm_config/><nodes/><resources><primitive "
            "id=\"a\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>"
            "</resources><constraints><rsc_location id=\"by-pattern\" "
            "rsc-pattern=\"^a\" node=\"n1\" score=\"10\"/></constraints>"
            "</configuration></cib>");
  std::string cib = dir_.File("out.yaml");
  RunResult r = RunCommand("paceline", {"cib", "import", xml, "--cib", cib});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ERROR: " + xml +
                       ": Pacemaker XML: location by-pattern: rsc-pattern"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(cib));
  r = RunCommand("paceline", {"simulate", "--pacemaker-xml", xml});
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(CibCmdTest, UsageAndInputErrors) {
  std::string cib = dir_.File("x.yaml");
  std::string bad = dir_.File("bad.xml");
  WriteFile(bad, "<cib><configuration>");
  RunResult r = RunCommand("paceline", {"cib", "import", bad, "--cib", cib});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("Pacemaker XML: line"), std::string::npos) << r.err;
  r = RunCommand("paceline",
                 {"cib", "import", dir_.File("missing.xml"), "--cib", cib});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
  r = RunCommand("paceline", {"cib", "frobnicate", "--cib", cib});
  EXPECT_EQ(r.exit_code, 2);
  r = RunCommand("paceline",
                 {"cib", "export", "--output-as=json", "--cib", cib});
  EXPECT_EQ(r.exit_code, 2);
  r = RunCommand("paceline", {"cib", "export", "--cib", cib});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  r = RunCommand("paceline", {"simulate", "--pacemaker-xml", bad, "--save"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(cib));
}

}  // namespace
}  // namespace paceline::testing
