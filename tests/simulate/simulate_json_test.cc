// cli/simulate_render.h SimulateJson: the `paceline.simulate/1` document is
// written directly (no DOM); it must be byte for byte what Boost.JSON
// serializes for the same content, escapes included, so tools see no
// difference.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "cli/simulate_render.h"

namespace paceline::cli::simulate {
namespace {

namespace json = boost::json;

json::value OrNull(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

// The document as a Boost.JSON DOM, for comparison.
std::string Reference(const policy::TransitionGraph& g, bool with_scores) {
  json::object doc;
  doc["schema"] = "paceline.simulate/1";
  json::array resources;
  for (const auto& p : g.placements) {
    json::object o;
    o["id"] = p.primitive;
    o["instance"] = p.instance;
    o["parent"] = OrNull(p.parent);
    o["group"] = OrNull(p.group);
    o["agent"] = p.agent;
    o["role"] = std::string(
        cib::RoleName(p.node.empty() ? cib::Role::kStopped : p.role));
    o["node"] = OrNull(p.node);
    o["managed"] = p.managed;
    o["failed"] = p.failed;
    resources.push_back(std::move(o));
  }
  doc["resources"] = std::move(resources);
  json::array actions;
  for (const auto& a : g.actions) {
    json::object o;
    o["id"] = a.id;
    o["action"] = std::string(policy::TaskName(a.task));
    o["resource"] = a.resource;
    o["node"] = a.pseudo ? json::value(nullptr) : OrNull(a.node);
    if (a.pseudo) o["pseudo"] = true;
    if (a.task == policy::Task::kMonitor) {
      o["interval_ms"] = static_cast<std::int64_t>(a.interval_ms);
    }
    json::array preds;
    std::vector<int> firsts;
    for (const auto& e : g.edges) {
      if (e.then == a.id) firsts.push_back(e.first);
    }
    std::sort(firsts.begin(), firsts.end());
    firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
    for (int f : firsts) preds.push_back(f);
    o["after"] = std::move(preds);
    if (!a.runnable) o["runnable"] = false;
    actions.push_back(std::move(o));
  }
  doc["actions"] = std::move(actions);
  if (with_scores) {
    json::array scores;
    for (const auto& t : g.scores) {
      json::object o;
      o["resource"] = t.resource;
      o["node"] = OrNull(t.node);
      o["score"] = static_cast<std::int64_t>(t.score.value());
      o["source"] = t.source;
      o["promotion"] = t.promotion;
      scores.push_back(std::move(o));
    }
    doc["scores"] = std::move(scores);
  }
  return json::serialize(doc) + "\n";
}

policy::TransitionGraph Sample() {
  policy::TransitionGraph g;
  std::string odd = "q\"b\\s/\n\t\r\b\f\x01\x1f\x7f \xC3\xA9\xE2\x82\xAC";
  g.placements.push_back({"grp:0", "a", "cl", "grp", "ocf:heartbeat:Dummy",
                          "node1", cib::Role::kStarted, true, false});
  g.placements.push_back({"ms:1", "drbd", "ms", "", "ocf:linbit:drbd", "",
                          cib::Role::kPromoted, false, true});
  g.placements.push_back(
      {odd, odd, "", odd, odd, odd, cib::Role::kPromoted, true, true});
  policy::Action start;
  start.id = 0;
  start.resource = "a";
  start.primitive = "a";
  start.node = "node1";
  policy::Action monitor = start;
  monitor.id = 1;
  monitor.task = policy::Task::kMonitor;
  monitor.interval_ms = 10000;
  monitor.runnable = false;
  policy::Action running;
  running.id = 2;
  running.task = policy::Task::kRunning;
  running.pseudo = true;
  running.resource = odd;
  running.node = "ignored for pseudo actions";
  policy::Action probe = monitor;
  probe.id = 3;
  probe.interval_ms = 0;
  probe.node = "";
  g.actions = {start, monitor, running, probe};
  g.edges = {{0, 1}, {2, 1}, {0, 1}, {0, 2}, {-1, 7}, {3, 99}};
  g.scores.push_back({"a", "node1", cib::Score(-50), "location x", false});
  g.scores.push_back({odd, "", cib::Score::Infinity(), odd, true});
  g.scores.push_back({"b", "node2", cib::Score::MinusInfinity(), "", false});
  return g;
}

TEST(SimulateJson, SameBytesAsBoostJson) {
  policy::TransitionGraph g = Sample();
  EXPECT_EQ(SimulateJson(g, false), Reference(g, false));
  EXPECT_EQ(SimulateJson(g, true), Reference(g, true));
  policy::TransitionGraph empty;
  EXPECT_EQ(SimulateJson(empty, true), Reference(empty, true));
}

TEST(SimulateJson, ParsesBackToTheSameStrings) {
  policy::TransitionGraph g = Sample();
  json::value v = json::parse(SimulateJson(g, true));
  const json::array& resources = v.at("resources").as_array();
  ASSERT_EQ(resources.size(), 3u);
  EXPECT_EQ(resources[2].at("instance").as_string(), g.placements[2].instance);
  EXPECT_TRUE(resources[1].at("node").is_null());
  EXPECT_EQ(resources[1].at("role").as_string(), "Stopped");
  const json::array& actions = v.at("actions").as_array();
  EXPECT_EQ(actions[1].at("after").as_array(), (json::array{0, 2}));
  EXPECT_EQ(actions[2].at("resource").as_string(), g.actions[2].resource);
  EXPECT_EQ(v.at("scores").as_array()[1].at("score").as_int64(), 1000000);
}

}  // namespace
}  // namespace paceline::cli::simulate
