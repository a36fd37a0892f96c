// Score listings (`simulate --scores`) and the `paceline.simulate/1` JSON
// document (`simulate --output-as=json`).
#include <algorithm>
#include <map>
#include <unordered_map>

#include "cli/simulate_render.h"
#include "common/strings.h"

namespace paceline::cli::simulate {

namespace {

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

// The JSON document is written straight into one string (a 32x1000
// cluster has thousands of placements and actions: building a DOM first
// cost more than scheduling them). The same bytes boost::json::serialize
// writes: no blanks, keys in the order given, UTF-8 passed through,
// control characters escaped.
void Str(std::string& out, std::string_view v) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  auto plain = [](char c) {
    return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
  };
  if (std::all_of(v.begin(), v.end(), plain)) {  // ids, node names, ...
    out += v;
    out += '"';
    return;
  }
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u >= 0x20) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\b') {
      out += "\\b";
    } else if (c == '\f') {
      out += "\\f";
    } else {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  out += '"';
}

// "key":value pieces; `first` leaves out the separating comma.
void Key(std::string& out, std::string_view key, bool first = false) {
  if (!first) out += ',';
  Str(out, key);
  out += ':';
}
void Field(std::string& out, std::string_view key, std::string_view value,
           bool first = false) {
  Key(out, key, first);
  Str(out, value);
}
void FieldOrNull(std::string& out, std::string_view key,
                 std::string_view value) {
  Key(out, key);
  if (value.empty()) {
    out += "null";
  } else {
    Str(out, value);
  }
}
void BoolField(std::string& out, std::string_view key, bool value) {
  Key(out, key);
  out += value ? "true" : "false";
}
void IntField(std::string& out, std::string_view key, long long value) {
  Key(out, key);
  out += std::to_string(value);
}

void ResourceJson(std::string& out, const policy::Placement& p) {
  out += '{';
  Field(out, "id", p.primitive, true);
  Field(out, "instance", p.instance);
  FieldOrNull(out, "parent", p.parent);
  FieldOrNull(out, "group", p.group);
  Field(out, "agent", p.agent);
  Field(out, "role",
        cib::RoleName(p.node.empty() ? cib::Role::kStopped : p.role));
  FieldOrNull(out, "node", p.node);
  BoolField(out, "managed", p.managed);
  BoolField(out, "failed", p.failed);
  out += '}';
}

void ActionJson(std::string& out, const policy::Action& a,
                const std::vector<int>& after) {
  out += '{';
  Key(out, "id", true);
  out += std::to_string(a.id);
  Field(out, "action", policy::TaskName(a.task));
  Field(out, "resource", a.resource);
  FieldOrNull(out, "node", a.pseudo ? std::string_view() : a.node);
  if (a.pseudo) BoolField(out, "pseudo", true);
  if (a.task == policy::Task::kMonitor) {
    IntField(out, "interval_ms", a.interval_ms);
  }
  Key(out, "after");
  out += '[';
  for (size_t i = 0; i < after.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(after[i]);
  }
  out += ']';
  if (!a.runnable) BoolField(out, "runnable", false);
  out += '}';
}

void ScoreJson(std::string& out, const policy::ScoreTerm& t) {
  out += '{';
  Field(out, "resource", t.resource, true);
  FieldOrNull(out, "node", t.node);
  IntField(out, "score", static_cast<long long>(t.score.value()));
  Field(out, "source", t.source);
  BoolField(out, "promotion", t.promotion);
  out += '}';
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
  std::string out;
  out.reserve(256 * (graph.placements.size() + graph.actions.size()) + 64);
  out += '{';
  Field(out, "schema", "paceline.simulate/1", true);
  Key(out, "resources");
  out += '[';
  for (size_t i = 0; i < graph.placements.size(); ++i) {
    if (i > 0) out += ',';
    ResourceJson(out, graph.placements[i]);
  }
  out += ']';
  Key(out, "actions");
  out += '[';
  for (size_t i = 0; i < graph.actions.size(); ++i) {
    std::vector<int>& preds = after[i];
    std::sort(preds.begin(), preds.end());
    preds.erase(std::unique(preds.begin(), preds.end()), preds.end());
    if (i > 0) out += ',';
    ActionJson(out, graph.actions[i], preds);
  }
  out += ']';
  if (with_scores) {
    Key(out, "scores");
    out += '[';
    for (size_t i = 0; i < graph.scores.size(); ++i) {
      if (i > 0) out += ',';
      ScoreJson(out, graph.scores[i]);
    }
    out += ']';
  }
  out += "}\n";
  return out;
}

}  // namespace paceline::cli::simulate
