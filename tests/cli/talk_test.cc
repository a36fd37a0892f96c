// The talk's crm commands, verbatim, against an offline CIB file: once
// through a real bash (the way an admin pastes them), once as argv words
// with the line-continuation backslashes left in as words of their own.
// Both must build the same configuration, pinned by a golden file.
#include <gtest/gtest.h>

#include <filesystem>

#include "cib/model.h"
#include "cib/store.h"
#include "run_util.h"
#include "talk_commands.h"

namespace paceline::testing {
namespace {

class TalkTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(TalkTest, BashRunsEveryCommandVerbatim) {
  std::string cib = dir_.File("cib.yaml");
  std::string script = "set -e\n";
  for (const auto& c : kNodes) script += c + "\n";
  // The file as an admin pastes it: each `\` followed by a newline.
  std::istringstream in(ReadFile(kData + "talk-commands.txt"));
  std::string line;
  while (std::getline(in, line)) {
    script += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
  }
  WriteFile(dir_.File("talk.sh"), script);
  RunResult r = RunCommand("paceline", {"version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Run the script with our build tree first in PATH.
  std::string cmd = "PATH=" + BinDir() + ":$PATH PACELINE_CIB=" + cib +
                    " bash " + dir_.File("talk.sh") + " > " + dir_.File("out") +
                    " 2> " + dir_.File("err");
  int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << ReadFile(dir_.File("err"));
  std::string err = ReadFile(dir_.File("err"));
  EXPECT_NE(err.find("default-resource-stickiness is deprecated"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("cli-prefer-PGServer"), std::string::npos) << err;

  r = RunCommand("crm", {"--cib", cib, "configure", "show"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string golden_path = kData + "talk-show.crm";
  if (std::getenv("PACELINE_UPDATE_GOLDEN")) WriteFile(golden_path, r.out);
  EXPECT_EQ(r.out, ReadFile(golden_path))
      << "re-bless with PACELINE_UPDATE_GOLDEN=1 if the change is intended";
}

TEST_F(TalkTest, StrayBackslashWordsAreIgnored) {
  std::string with_words = dir_.File("a.yaml");
  std::string clean = dir_.File("b.yaml");
  for (bool keep : {true, false}) {
    for (const auto& command : TalkCommands(keep)) {
      std::vector<std::string> words = Words(command);
      ASSERT_EQ(words[0], "crm");
      words.erase(words.begin());
      // A continuation backslash followed by blanks: "\\ " as one word.
      for (auto& w : words) {
        if (keep && w == "\\") w = "\\ ";
      }
      RunResult r =
          RunCommand("crm", words, {{"CIB_file", keep ? with_words : clean}});
      ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.err;
    }
  }
  EXPECT_EQ(ReadFile(with_words), ReadFile(clean));
}

TEST_F(TalkTest, TheModelIsWhatTheTalkMeans) {
  std::string cib = dir_.File("cib.yaml");
  for (const auto& command : TalkCommands(false)) {
    std::vector<std::string> words = Words(command);
    words.erase(words.begin());
    RunResult r = RunCommand("crm", words, {{"PACELINE_CIB", cib}});
    ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.err;
  }
  auto doc = cib::CibStore(cib).Load();
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const cib::Configuration& c = doc->config;
  EXPECT_EQ(*c.properties.Get("stonith-enabled"), "false");
  EXPECT_EQ(*c.properties.Get("no-quorum-policy"), "ignore");
  EXPECT_EQ(*c.rsc_defaults.Get("resource-stickiness"), "100");
  const cib::Resource* ms = c.FindResource("ms_drbd_pg");
  ASSERT_NE(ms, nullptr);
  EXPECT_TRUE(ms->promotable);
  EXPECT_EQ(*ms->meta.Get("notify"), "true");
  const cib::Resource* drbd = c.FindResource("drbd_pg");
  ASSERT_EQ(drbd->ops.size(), 3u);
  EXPECT_EQ(*drbd->ops[1].attrs.Get("timeout"), "240");
  EXPECT_EQ(c.FindResource("PGServer")->children,
            (std::vector<std::string>{"pg_lvm", "pg_fs", "pg_lsb", "pg_vip"}));
  EXPECT_EQ(*c.FindResource("pg_fs")->params.Get("options"),
            "noatime,nodiratime");
  const auto& col = std::get<cib::Colocation>(*c.FindConstraint("col_pg_drbd"));
  EXPECT_EQ(col.with_rsc_role, cib::Role::kPromoted);
  EXPECT_TRUE(col.score.IsInfinity());
  const auto& ord = std::get<cib::Order>(*c.FindConstraint("ord_pg"));
  EXPECT_EQ(ord.first_action, cib::Action::kPromote);
  EXPECT_EQ(ord.then_action, cib::Action::kStart);
  EXPECT_EQ(ord.EffectiveKind(), cib::OrderKind::kMandatory);
  // standby then online; migrate twice then unmigrate: no cli-prefer left.
  EXPECT_EQ(*c.FindNode("HA-node2")->attributes.Get("standby"), "off");
  EXPECT_EQ(c.FindConstraint("cli-prefer-PGServer"), nullptr);
  EXPECT_EQ(c.constraints.size(), 2u);
  EXPECT_EQ(doc->versions.epoch, long(TalkCommands(false).size()));
}

}  // namespace
}  // namespace paceline::testing
