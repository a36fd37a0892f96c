// crm resource explain RSC: why RSC is (or would be) where it is.
//
// Runs the scheduler on the CIB with score recording and prints, for each
// primitive instance of RSC: where it is now and after the transition, the
// scheduler's one-line decision, and for every node the total and each
// term with its source (terms inherited from the enclosing group or clone
// marked "via"). A node that lost says what ruled it out (its -INFINITY
// term), that it scored lower, or that a tie-break decided.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "cli/crm/context.h"
#include "cli/simulate_render.h"
#include "common/strings.h"
#include "policy/policy.h"

namespace paceline::cli::crm {

namespace {

using policy::Placement;
using policy::ScoreTerm;
using policy::TransitionGraph;

std::string RoleOn(cib::Role role, const std::string& node) {
  return std::string(cib::RoleName(role)) + " on " + node;
}

std::string Now(const cib::Document& doc, const std::string& id) {
  std::vector<std::string> where;
  for (const auto& p : cib::ActivePlacements(doc, id)) {
    std::string w = RoleOn(p.role, p.node);
    if (std::find(where.begin(), where.end(), w) == where.end()) {
      where.push_back(w);
    }
  }
  return where.empty() ? "Stopped" : Join(where, ", ");
}

std::string After(const std::vector<const Placement*>& placements) {
  std::vector<std::string> where;
  for (const Placement* p : placements) {
    if (p->node.empty()) continue;
    std::string w = RoleOn(p->role, p->node);
    if (std::find(where.begin(), where.end(), w) == where.end()) {
      where.push_back(w);
    }
  }
  return where.empty() ? "Stopped" : Join(where, ", ");
}

// The placements RSC stands for: itself, its members or its instances.
std::vector<const Placement*> Select(const TransitionGraph& graph,
                                     const cib::Resource& r,
                                     const std::string& instance) {
  std::vector<const Placement*> out;
  for (const Placement& p : graph.placements) {
    bool mine = p.primitive == r.id || p.group == r.id || p.parent == r.id;
    if (!instance.empty()) mine = p.instance == instance;
    if (mine) out.push_back(&p);
  }
  return out;
}

std::vector<std::string> Nodes(const cib::Document& doc) {
  std::vector<std::string> out;
  for (const auto& n : doc.config.nodes) out.push_back(n.name);
  for (const auto& n : doc.status.nodes) {
    if (!doc.config.FindNode(n.name)) out.push_back(n.name);
  }
  return out;
}

struct Row {
  const ScoreTerm* term;
  std::string via;  // "" for the instance's own terms
};

std::vector<Row> Rows(const TransitionGraph& graph,
                      const std::vector<std::string>& lineage,
                      const std::string& node, bool promotion) {
  std::vector<Row> rows;
  for (size_t i = 0; i < lineage.size(); ++i) {
    for (const ScoreTerm& t : graph.scores) {
      if (t.resource != lineage[i] || t.node != node ||
          t.promotion != promotion) {
        continue;
      }
      rows.push_back({&t, i == 0 ? "" : lineage[i]});
    }
  }
  return rows;
}

cib::Score Total(const std::vector<Row>& rows) {
  cib::Score total;
  for (const Row& r : rows) total += r.term->score;
  return total;
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

void PrintRows(const Context& ctx, const std::vector<Row>& rows) {
  for (const Row& r : rows) {
    *ctx.out << "      " << Pad(simulate::FormatScore(r.term->score), 9) << "  "
             << r.term->source;
    if (!r.via.empty()) *ctx.out << "  (via " << r.via << ")";
    *ctx.out << "\n";
  }
}

// The term that rules a node out: a ban of the node itself (standby, a
// location, a failure) explains more than a colocation that only follows
// another resource's ban, so those come first.
const ScoreTerm* Culprit(const std::vector<Row>& rows) {
  const ScoreTerm* first = nullptr;
  for (const Row& r : rows) {
    if (r.term->score.value() >= 0) continue;
    bool derived = StartsWith(r.term->source, "colocation ") ||
                   StartsWith(r.term->source, "preference of ");
    if (!derived && r.term->score.IsMinusInfinity()) return r.term;
    if (!first) first = r.term;
  }
  return first;
}

// Why a node other than the winner did not get the instance.
std::string Verdict(const std::vector<Row>& rows, cib::Score total,
                    const std::string& winner, cib::Score winner_total) {
  if (total.value() < 0) {
    const ScoreTerm* culprit = Culprit(rows);
    return culprit ? "ruled out by: " + culprit->source
                   : "ruled out: negative score";
  }
  if (winner.empty()) return "not chosen (see the decision)";
  if (total < winner_total) return "lower than " + winner;
  if (total == winner_total) {
    return "tie with " + winner + ", lost the tie-break";
  }
  return "higher, but " + winner + " was chosen (see the decision)";
}

void ExplainScores(const Context& ctx, const cib::Document& doc,
                   const TransitionGraph& graph, const std::string& id,
                   const std::string& winner, bool promotion) {
  std::vector<std::string> lineage = promotion
                                         ? std::vector<std::string>{id}
                                         : simulate::ScoreLineage(graph, id);
  std::map<std::string, cib::Score> totals;
  for (const std::string& node : Nodes(doc)) {
    totals[node] = Total(Rows(graph, lineage, node, promotion));
  }
  cib::Score winner_total = winner.empty() ? cib::Score() : totals[winner];
  for (const std::string& node : Nodes(doc)) {
    std::vector<Row> rows = Rows(graph, lineage, node, promotion);
    if (promotion && rows.empty()) continue;
    cib::Score total = totals[node];
    *ctx.out << "    " << node << ": " << simulate::FormatScore(total);
    if (promotion) {
      *ctx.out << " (promotion)";
    } else if (node == winner) {
      *ctx.out << "  <- chosen";
    } else {
      *ctx.out << "  " << Verdict(rows, total, winner, winner_total);
    }
    *ctx.out << "\n";
    PrintRows(ctx, rows);
  }
}

// Why the instance's start cannot run (the scheduler appends the reason
// to an unrunnable action's own).
std::string BlockedStart(const TransitionGraph& graph,
                         const std::string& instance) {
  for (const policy::Action& a : graph.actions) {
    if (a.resource != instance || a.task != policy::Task::kStart ||
        a.runnable) {
      continue;
    }
    size_t semi = a.reason.find("; ");
    if (semi != std::string::npos) return a.reason.substr(semi + 2);
  }
  return "its start is blocked";
}

void ExplainInstance(const Context& ctx, const cib::Document& doc,
                     const TransitionGraph& graph, const Placement& p) {
  *ctx.out << "\n"
           << p.instance << " (" << p.agent
           << "): " << (p.node.empty() ? "Stopped" : RoleOn(p.role, p.node))
           << " after the transition";
  if (!p.managed) *ctx.out << " (unmanaged: the scheduler leaves it alone)";
  *ctx.out << "\n";
  std::string winner = p.node;
  for (const auto& d : graph.decisions) {
    if (d.resource != p.instance) continue;
    *ctx.out << "  decision: " << d.why << "\n";
    if (winner.empty()) winner = d.node;
  }
  if (p.node.empty() && !winner.empty()) {
    *ctx.out << "  it cannot start on " << winner << ": "
             << BlockedStart(graph, p.instance) << "\n";
  }
  *ctx.out << "  placement scores:\n";
  ExplainScores(ctx, doc, graph, p.instance, winner, false);
  bool promotion = std::any_of(graph.scores.begin(), graph.scores.end(),
                               [&](const ScoreTerm& t) {
                                 return t.promotion && t.resource == p.instance;
                               });
  if (promotion) {
    *ctx.out << "  promotion scores:\n";
    ExplainScores(ctx, doc, graph, p.instance, "", true);
  }
}

std::string Describe(const cib::Resource& r) {
  if (r.IsPrimitive()) return "primitive " + r.agent.ToString();
  std::string kind(cib::KindName(r));
  return kind + " of " + Join(r.children, ", ");
}

}  // namespace

int RunExplain(const Context& ctx, const Tokens& args) {
  if (args.size() != 2) {
    return Fail(ctx, Status::Syntax(
                         "resource explain: usage: crm resource explain RSC"));
  }
  auto doc = LoadDocument(ctx);
  if (!doc.ok()) return Fail(ctx, doc.status());
  std::string id = args[1], instance;
  if (!doc->config.FindResource(id) && id.rfind(':') != std::string::npos) {
    instance = id;
    id = id.substr(0, id.rfind(':'));
  }
  const cib::Resource* r = doc->config.FindResource(id);
  if (!r) {
    return Fail(ctx,
                Status::NotFound("resource " + Quote(args[1]) + " not found"));
  }
  policy::Snapshot snapshot{doc->config, doc->status, doc->status.quorate};
  policy::Options options;
  options.record_scores = true;
  auto graph = policy::Schedule(snapshot, options, ctx.now);
  if (!graph.ok()) return Fail(ctx, graph.status());
  std::vector<const Placement*> mine = Select(*graph, *r, instance);
  if (!instance.empty() && mine.empty()) {
    return Fail(ctx,
                Status::NotFound("resource " + Quote(args[1]) + " not found"));
  }
  *ctx.out << args[1] << " (" << Describe(*r) << ")\n"
           << "  now:   " << Now(*doc, id) << "\n"
           << "  after: " << After(mine) << "\n";
  std::set<std::string> instances;
  for (const Placement* p : mine) instances.insert(p->instance);
  std::vector<simulate::SummaryLine> lines;
  for (auto& l : simulate::TransitionSummary(snapshot, doc->status, *graph)) {
    if (instances.count(l.instance)) lines.push_back(std::move(l));
  }
  if (lines.empty()) {
    *ctx.out << "  transition: nothing to do\n";
  } else {
    *ctx.out << "  transition:\n";
    std::ostringstream summary;
    simulate::PrintSummary(lines, summary);
    std::istringstream in(summary.str());
    for (std::string line; std::getline(in, line);) {
      *ctx.out << "  " << line << "\n";
    }
  }
  for (const std::string& note : graph->notes) {
    if (note.find(id) != std::string::npos) {
      *ctx.out << "  note: " << note << "\n";
    }
  }
  for (const Placement* p : mine) ExplainInstance(ctx, *doc, *graph, *p);
  return 0;
}

}  // namespace paceline::cli::crm
