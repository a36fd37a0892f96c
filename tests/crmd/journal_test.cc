// The transition journal: the record resolves orderings through pseudo
// milestones and keeps each action's fate; files are numbered across
// restarts (a new journal on the same directory continues) and only the
// newest `keep` transitions stay.
#include "crmd/journal.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/cli/run_util.h"

namespace paceline::crmd {
namespace {

namespace json = boost::json;
using policy::Action;
using policy::Task;

Action Make(int id, std::string rsc, bool pseudo) {
  Action a;
  a.id = id;
  a.task = pseudo ? Task::kRunning : Task::kStart;
  a.pseudo = pseudo;
  a.resource = rsc;
  a.primitive = pseudo ? "" : rsc;
  a.node = pseudo ? "" : "n1";
  return a;
}

TEST(JournalTest, RecordResolvesPseudoActionsAndStates) {
  // a, b -> [g running] -> c
  policy::TransitionGraph g;
  g.actions = {Make(0, "a", false), Make(1, "b", false), Make(2, "g", true),
               Make(3, "c", false)};
  g.edges = {{0, 2}, {1, 2}, {2, 3}};
  TransitionRunner runner(7, g);
  auto ready = runner.TakeReady();
  ASSERT_EQ(ready.size(), 2u);
  runner.OnResult(0, true);
  runner.OnResult(1, false);  // aborts: c never runs
  json::object r = TransitionRecord(runner);
  EXPECT_EQ(r.at("transition").as_uint64(), 7u);
  EXPECT_TRUE(r.at("aborted").as_bool());
  const json::array& actions = r.at("actions").as_array();
  ASSERT_EQ(actions.size(), 3u);  // the pseudo action is left out
  EXPECT_EQ(actions[0].at("state"), "done");
  EXPECT_EQ(actions[1].at("state"), "failed");
  EXPECT_EQ(actions[2].at("resource"), "c");
  EXPECT_EQ(json::serialize(actions[2].at("after")), "[0,1]");
  EXPECT_NE(actions[2].at("state"), "done");
}

TEST(JournalTest, NumbersContinueAndOldOnesArePruned) {
  testing::TempDir dir;
  std::string path = dir.File("transitions");
  {
    TransitionJournal j(path, 3);
    ASSERT_TRUE(j.Open().ok());
    for (int i = 0; i < 2; ++i) {
      auto n = j.Record("input\n", json::object{{"transition", i}});
      ASSERT_TRUE(n.ok()) << n.status().message();
      EXPECT_EQ(*n, uint64_t(i + 1));
    }
  }
  TransitionJournal j(path, 3);
  ASSERT_TRUE(j.Open().ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(j.Record("x\n", {}).ok());
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(path)) {
    names.insert(e.path().filename().string());
  }
  EXPECT_EQ(names,
            (std::set<std::string>{"3-input.yaml", "3.json", "4-input.yaml",
                                   "4.json", "5-input.yaml", "5.json"}));
  EXPECT_EQ(testing::ReadFile(path + "/5.json"), "{\"journal\":5}\n");
}

}  // namespace
}  // namespace paceline::crmd
