// Export -> import round trips and Pacemaker's own verdict on our exports:
// `crm_verify -x` accepts them (random configurations with random status),
// and crm_simulate reads our status section the way it reads the one it
// wrote itself (same transition). Tests that need Pacemaker's tools skip
// when they are not installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../cli/random_config.h"
#include "cib/pacemaker_xml.h"
#include "random_status.h"

namespace paceline::cib {
namespace {

namespace fs = std::filesystem;

bool HaveTool(const char* path) { return access(path, X_OK) == 0; }

struct ToolResult {
  int rc = -1;
  std::string out;
};

// Runs a shell command line (our own fixed strings and temp paths only).
ToolResult RunTool(const std::string& command) {
  ToolResult r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class TempFile {
 public:
  TempFile() {
    char name[] = "/tmp/paceline-pcmk-XXXXXX";
    int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    path_ = name;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  const std::string& path() const { return path_; }
  void Write(const std::string& text) const {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << text;
  }

 private:
  std::string path_;
};

Document RandomDocument(unsigned seed) {
  Document d;
  d.config = testing::RandomConfig(seed).Make();
  if (seed % 5 != 0) d.status = testing::RandomStatus(seed).Make(d.config);
  d.versions = {seed % 3, seed, seed % 7};
  return d;
}

bool Inside(const Configuration& c, const std::string& id,
            const std::string& ancestor) {
  for (const Resource* p = c.ParentOf(id); p; p = c.ParentOf(p->id)) {
    if (p->id == ancestor) return true;
  }
  return false;
}

bool InClone(const Configuration& c, const std::string& id) {
  for (const Resource* p = c.ParentOf(id); p; p = c.ParentOf(p->id)) {
    if (p->IsClone()) return true;
  }
  return false;
}

// What Pacemaker itself refuses, though our model takes it (see
// docs/pacemaker-import.md): fencing enabled with no fencing device,
// promotable clones of non-OCF agents, constraints naming a resource inside
// a clone or relating a resource to its own container. Removed so that
// crm_verify judges the export, not the generator.
void MakeSaneForPacemaker(Configuration& c) {
  bool stonith = false;
  for (const auto& r : c.resources) {
    stonith = stonith || (r.IsPrimitive() && r.agent.standard == "stonith");
  }
  if (!stonith) c.properties.Set("stonith-enabled", "false");
  for (auto& r : c.resources) {
    if (!r.IsPrimitive()) continue;
    for (const Resource* p = c.ParentOf(r.id); p; p = c.ParentOf(p->id)) {
      if (p->IsClone() && p->promotable && r.agent.standard != "ocf") {
        r.agent = *ParseAgentSpec("ocf:pacemaker:Stateful");
      }
    }
  }
  std::erase_if(c.constraints, [&](const Constraint& k) {
    std::vector<std::string> ids = ConstraintResources(k);
    for (const auto& id : ids) {
      if (InClone(c, id)) return true;
    }
    return ids.size() == 2 &&
           (Inside(c, ids[0], ids[1]) || Inside(c, ids[1], ids[0]));
  });
}

Document SaneRandomDocument(unsigned seed) {
  Document d;
  d.config = testing::RandomConfig(seed).Make();
  MakeSaneForPacemaker(d.config);
  testing::RandomStatus status(seed);
  status.single_active = true;
  d.status = status.Make(d.config);
  d.versions = {0, seed, 0};
  return d;
}

std::string Data(const std::string& name) {
  std::ifstream in(std::string(PACELINE_SOURCE_DIR) + "/tests/data/pacemaker/" +
                   name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PacemakerXmlRoundTrip, RandomDocumentsComeBackEqual) {
  for (unsigned seed = 1; seed <= 300; ++seed) {
    Document d = RandomDocument(seed);
    std::string xml = ExportPacemakerXml(d);
    auto back = ImportPacemakerXml(xml);
    ASSERT_TRUE(back.ok()) << "seed " << seed << ": " << back.status().message()
                           << "\n"
                           << xml;
    EXPECT_TRUE(back->doc.config == d.config) << "seed " << seed << "\n" << xml;
    EXPECT_TRUE(back->doc.status == d.status) << "seed " << seed << "\n" << xml;
    EXPECT_EQ(back->doc.versions, d.versions) << "seed " << seed;
    if (HasFailure()) return;
  }
}

TEST(PacemakerXmlRoundTrip, CrmVerifyAcceptsRandomExports) {
  if (!HaveTool("/usr/sbin/crm_verify")) GTEST_SKIP() << "no crm_verify";
  TempFile file;
  for (unsigned seed = 1; seed <= 120; ++seed) {
    Document d = SaneRandomDocument(seed);
    file.Write(ExportPacemakerXml(d));
    ToolResult r = RunTool("/usr/sbin/crm_verify -VV -x " + file.path());
    // Warnings are expected: the random status has failures and unclean
    // nodes, and the model keeps deprecated forms (order scores) as written.
    bool clean =
        r.rc == 0 || (r.rc == 78 && r.out.find("Warnings found during "
                                               "check") != std::string::npos);
    EXPECT_TRUE(clean) << "seed " << seed << " rc " << r.rc << "\n"
                       << r.out << "\n"
                       << ExportPacemakerXml(d);
    EXPECT_EQ(r.out.find("\terror:"), std::string::npos)
        << "seed " << seed << "\n"
        << r.out << "\n"
        << ExportPacemakerXml(d);
    if (HasFailure()) return;
  }
}

// The transition crm_simulate computes for a CIB it wrote itself and for
// our export of our import of it must be the same.
std::string Summary(const std::string& path) {
  ToolResult r =
      RunTool("/usr/sbin/crm_simulate -S -t 2026-11-25T10:03:00Z -x " + path);
  size_t from = r.out.find("Transition Summary:");
  size_t to = r.out.find("Executing Cluster Transition:");
  if (from == std::string::npos || to == std::string::npos) return r.out;
  return r.out.substr(from, to - from);
}

TEST(PacemakerXmlRoundTrip, CrmSimulateSeesTheSameClusterInOurExport) {
  if (!HaveTool("/usr/sbin/crm_simulate")) GTEST_SKIP() << "no crm_simulate";
  for (const char* name : {"lab-running.xml", "lab-failures.xml"}) {
    TempFile original, ours;
    original.Write(Data(name));
    auto imported = ImportPacemakerXml(Data(name));
    ASSERT_TRUE(imported.ok()) << imported.status().message();
    ours.Write(ExportPacemakerXml(imported->doc));
    std::string expected = Summary(original.path());
    EXPECT_NE(expected.find("Transition Summary:"), std::string::npos)
        << expected;
    EXPECT_EQ(Summary(ours.path()), expected) << name;
  }
}

// A promotable clone built in code (the field without the meta entry) is
// still promotable in Pacemaker's eyes: meta promotable=true, or <master>
// for a schema before pacemaker-3.0.
Document PromotableWithoutMeta() {
  Document d;
  d.config.nodes.push_back(Node{.name = "n1", .id = 1});
  Resource p;
  p.id = "p";
  p.agent = *ParseAgentSpec("ocf:pacemaker:Stateful");
  Resource c;
  c.id = "c";
  c.kind = ResourceKind::kClone;
  c.children = {"p"};
  c.promotable = true;
  c.meta.Set("clone-max", "2");
  d.config.resources = {p, c};
  return d;
}

TEST(PacemakerXmlRoundTrip, PromotableFieldIsExportedWithoutMetaEntry) {
  Document d = PromotableWithoutMeta();
  std::string xml = ExportPacemakerXml(d);
  EXPECT_NE(xml.find("<clone id=\"c\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"promotable\" value=\"true\""), std::string::npos)
      << xml;
  auto back = ImportPacemakerXml(xml);
  ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << xml;
  const Resource* c = back->doc.config.FindResource("c");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->promotable);
  EXPECT_FALSE(c->ms_syntax);
  EXPECT_EQ(*c->meta.Get("clone-max"), "2");

  // The other way round: the field says not promotable, the meta says so.
  d.config.resources[1].promotable = false;
  d.config.resources[1].meta.Set("promotable", "true");
  back = ImportPacemakerXml(ExportPacemakerXml(d));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_FALSE(back->doc.config.FindResource("c")->promotable);
}

TEST(PacemakerXmlRoundTrip, PromotableCloneIsAMasterForOldSchemas) {
  Document d = PromotableWithoutMeta();
  std::string xml =
      ExportPacemakerXml(d, ExportOptions{.schema = "pacemaker-2.10"});
  EXPECT_NE(xml.find("<master id=\"c\">"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("promotable"), std::string::npos) << xml;
  auto back = ImportPacemakerXml(xml);
  ASSERT_TRUE(back.ok()) << back.status().message();
  const Resource* c = back->doc.config.FindResource("c");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->promotable);
  EXPECT_TRUE(c->ms_syntax);
  // pacemaker-3.x and later keep the clone.
  for (const char* schema : {"pacemaker-3.0", "pacemaker-10.0"}) {
    xml = ExportPacemakerXml(d, ExportOptions{.schema = schema});
    EXPECT_NE(xml.find("<clone id=\"c\">"), std::string::npos) << schema;
  }
}

TEST(PacemakerXmlRoundTrip, QuorumComesBack) {
  Document d = PromotableWithoutMeta();
  d.config.resources[1].meta.Set("promotable", "true");
  for (bool quorate : {true, false}) {
    d.status.quorate = quorate;
    std::string xml = ExportPacemakerXml(d);
    EXPECT_NE(xml.find(quorate ? "have-quorum=\"1\"" : "have-quorum=\"0\""),
              std::string::npos);
    auto back = ImportPacemakerXml(xml);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->doc.status.quorate, quorate);
    EXPECT_TRUE(back->doc == d) << xml;
  }
}

}  // namespace
}  // namespace paceline::cib
