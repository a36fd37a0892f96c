// Score listings (`simulate --scores`) and the `paceline.simulate/1` JSON
// document (`simulate --output-as=json`).
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <unordered_map>

#include "cli/simulate_render.h"
#include "common/strings.h"

namespace paceline::cli::simulate {

namespace {

namespace json = boost::json;

// Terms of one resource, per node, nodes in order of first appearance.
struct NodeTerms {
  std::string node;
  std::vector<const policy::ScoreTerm*> terms;
};
struct ResourceTerms {
  std::string resource;
  std::vector<NodeTerms> nodes;
};

NodeTerms& NodeOf(ResourceTerms& r, const std::string& node) {
  auto n = std::find_if(r.nodes.begin(), r.nodes.end(),
                        [&](const NodeTerms& x) { return x.node == node; });
  if (n == r.nodes.end()) n = r.nodes.insert(r.nodes.end(), {node, {}});
  return *n;
}

std::vector<ResourceTerms> Group(const policy::TransitionGraph& graph,
                                 bool promotion) {
  std::vector<ResourceTerms> out;
  std::map<std::string, size_t> index;
  for (const policy::ScoreTerm& t : graph.scores) {
    if (t.promotion != promotion) continue;
    auto [it, added] = index.emplace(t.resource, out.size());
    if (added) out.push_back({t.resource, {}});
    NodeTerms& n = NodeOf(out[it->second], t.node);
    n.terms.push_back(&t);
  }
  return out;
}

// Each (resource, node)'s sum of terms, for adding up ancestors' parts.
using Sums = std::map<std::pair<std::string, std::string>, cib::Score>;

Sums SumTerms(const policy::TransitionGraph& graph, bool promotion) {
  Sums sums;
  for (const policy::ScoreTerm& t : graph.scores) {
    if (t.promotion == promotion) sums[{t.resource, t.node}] += t.score;
  }
  return sums;
}

void PrintNode(const ResourceTerms& r, const NodeTerms& n,
               const std::vector<std::string>& lineage, const Sums& sums,
               const std::string& label, std::ostream& out) {
  std::string where = n.node.empty() ? "nowhere" : "on " + n.node;
  cib::Score total;
  for (const auto* t : n.terms) {
    out << label << r.resource << " " << where << ": " << FormatScore(t->score)
        << "  (" << t->source << ")\n";
    total += t->score;
  }
  std::vector<std::string> inherited;
  for (size_t i = 1; i < lineage.size(); ++i) {
    auto it = sums.find({lineage[i], n.node});
    if (it == sums.end() || it->second.value() == 0) continue;
    total += it->second;
    inherited.push_back(lineage[i]);
  }
  out << label << r.resource << " total " << where << ": "
      << FormatScore(total);
  if (!inherited.empty()) out << "  (with " << Join(inherited, ", ") << ")";
  out << "\n";
}

void PrintSection(const policy::TransitionGraph& graph, bool promotion,
                  std::ostream& out) {
  std::string label = promotion ? "promotion score: " : "score: ";
  Sums sums = SumTerms(graph, promotion);
  for (ResourceTerms& r : Group(graph, promotion)) {
    std::vector<std::string> lineage{r.resource};
    for (const NodeTerms& n : r.nodes) {
      PrintNode(r, n, lineage, sums, label, out);
    }
  }
}

json::value OrNull(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

json::object ResourceJson(const policy::Placement& p) {
  json::object o;
  o["id"] = p.primitive;
  o["instance"] = p.instance;
  o["parent"] = OrNull(p.parent);
  o["group"] = OrNull(p.group);
  o["agent"] = p.agent;
  o["role"] =
      std::string(cib::RoleName(p.node.empty() ? cib::Role::kStopped : p.role));
  o["node"] = OrNull(p.node);
  o["managed"] = p.managed;
  o["failed"] = p.failed;
  return o;
}

json::object ActionJson(const policy::Action& a,
                        const std::vector<int>& after) {
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
  for (int id : after) preds.push_back(id);
  o["after"] = std::move(preds);
  if (!a.runnable) o["runnable"] = false;
  return o;
}

}  // namespace

std::string FormatScore(cib::Score score) {
  std::string s = score.ToString();
  return score.value() > 0 ? "+" + s : s;
}

std::vector<std::string> ScoreLineage(const policy::TransitionGraph&,
                                      const std::string& instance) {
  // The scheduler records every term that applies to an instance under the
  // instance itself, inherited ones marked "(via PARENT)".
  return {instance};
}

void PrintScores(const policy::TransitionGraph& graph, std::ostream& out) {
  out << "Allocation scores:\n";
  PrintSection(graph, false, out);
  bool any_promotion =
      std::any_of(graph.scores.begin(), graph.scores.end(),
                  [](const policy::ScoreTerm& t) { return t.promotion; });
  if (any_promotion) {
    out << "\nPromotion scores:\n";
    PrintSection(graph, true, out);
  }
}

std::string SimulateJson(const policy::TransitionGraph& graph,
                         bool with_scores) {
  std::vector<std::vector<int>> after(graph.actions.size());
  for (const policy::Edge& e : graph.edges) {
    if (e.then >= 0 && size_t(e.then) < after.size()) {
      after[size_t(e.then)].push_back(e.first);
    }
  }
  json::object doc;
  doc["schema"] = "paceline.simulate/1";
  json::array resources;
  for (const auto& p : graph.placements) resources.push_back(ResourceJson(p));
  doc["resources"] = std::move(resources);
  json::array actions;
  for (size_t i = 0; i < graph.actions.size(); ++i) {
    std::vector<int>& preds = after[i];
    std::sort(preds.begin(), preds.end());
    preds.erase(std::unique(preds.begin(), preds.end()), preds.end());
    actions.push_back(ActionJson(graph.actions[i], preds));
  }
  doc["actions"] = std::move(actions);
  if (with_scores) {
    json::array scores;
    for (const policy::ScoreTerm& t : graph.scores) {
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

}  // namespace paceline::cli::simulate
