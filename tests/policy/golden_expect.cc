// Parser and checker of the golden cases' `expect` files; the grammar is in
// golden_expect.h.
#include "golden_expect.h"

#include <algorithm>
#include <deque>
#include <set>
#include <sstream>

#include "cib/duration.h"

namespace paceline::policy::golden {
namespace {

std::vector<std::string> Words(std::string_view line) {
  std::vector<std::string> out;
  std::istringstream in{std::string(line)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The instance id without its clone suffix: "drbd_pg:1" -> "drbd_pg".
std::string_view StripInstance(std::string_view id) {
  size_t colon = id.rfind(':');
  return colon == std::string_view::npos ? id : id.substr(0, colon);
}

bool NameMatches(std::string_view want, std::string_view instance,
                 std::string_view primitive) {
  return want == instance || want == primitive ||
         want == StripInstance(instance);
}

// Our own spelling of tasks, so a renamed TaskName() cannot make a case
// pass or fail by accident.
std::string_view TaskWord(const Action& a) {
  switch (a.task) {
    case Task::kStart:
      return "start";
    case Task::kStop:
      return "stop";
    case Task::kPromote:
      return "promote";
    case Task::kDemote:
      return "demote";
    case Task::kMonitor:
      return a.interval_ms == 0 ? "probe" : "monitor";
    case Task::kNotify:
      return "notify";
    case Task::kRunning:
      return "running";
    case Task::kStopped:
      return "stopped";
    case Task::kPromoted:
      return "promoted";
    case Task::kDemoted:
      return "demoted";
  }
  return "?";
}

bool IsCountedTask(Task t) {
  return t == Task::kStart || t == Task::kStop || t == Task::kPromote ||
         t == Task::kDemote;
}

Status LineError(int line, const std::string& msg) {
  return Status::Syntax("expect:" + std::to_string(line) + ": " + msg);
}

Result<cib::Role> ParsePlacedRole(std::string_view word) {
  std::optional<cib::Role> role = cib::ParseRole(word);
  if (!role || *role == cib::Role::kStopped || *role == cib::Role::kUnknown) {
    return Status::Syntax("role '" + std::string(word) +
                          "' (expected Started, Promoted or Unpromoted)");
  }
  return *role;
}

Result<long long> ParseCount(std::string_view word) {
  long long n = 0;
  if (word.empty()) return Status::Syntax("empty count");
  for (char c : word) {
    if (c < '0' || c > '9') {
      return Status::Syntax("count '" + std::string(word) + "'");
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

const std::set<std::string, std::less<>> kTasks = {
    "start", "stop", "promote", "demote", "monitor", "probe"};

// words[begin, end): TASK RESOURCE NODE [interval=DUR] [role=ROLE].
Result<ActionPattern> ParsePattern(const std::vector<std::string>& words,
                                   size_t begin, size_t end) {
  if (end - begin < 3) {
    return Status::Syntax("expected TASK RESOURCE NODE");
  }
  ActionPattern p;
  p.task = words[begin];
  p.resource = words[begin + 1];
  p.node = words[begin + 2];
  if (!kTasks.contains(p.task)) {
    return Status::Syntax("unknown task '" + p.task + "'");
  }
  for (size_t i = begin + 3; i < end; ++i) {
    const std::string& w = words[i];
    if (w.starts_with("interval=")) {
      Result<cib::Millis> ms = cib::ParseInterval(w.substr(9));
      if (!ms.ok()) return Status::Syntax("bad " + w);
      p.interval_ms = ms->count();
    } else if (w.starts_with("role=")) {
      std::optional<cib::Role> role = cib::ParseRole(w.substr(5));
      if (!role) return Status::Syntax("bad " + w);
      p.role = *role;
    } else {
      return Status::Syntax("unexpected '" + w + "'");
    }
  }
  if ((p.interval_ms || p.role) && p.task != "monitor") {
    return Status::Syntax("interval= and role= are for monitors");
  }
  return p;
}

// Splits an order line's words after the keyword at `sep` tokens.
Result<std::vector<ActionPattern>> ParseChain(
    const std::vector<std::string>& words, std::string_view sep,
    size_t max_terms) {
  std::vector<ActionPattern> out;
  size_t begin = 1;
  for (size_t i = 1; i <= words.size(); ++i) {
    if (i == words.size() || words[i] == sep) {
      PL_ASSIGN_OR_RETURN(ActionPattern p, ParsePattern(words, begin, i));
      out.push_back(std::move(p));
      begin = i + 1;
    }
  }
  if (out.size() < 2 || out.size() > max_terms) {
    return Status::Syntax("expected A " + std::string(sep) + " B");
  }
  return out;
}

Result<Expectation> ParseLine(const std::vector<std::string>& w) {
  Expectation e;
  const std::string& kw = w[0];
  auto want = [&](size_t n) -> Status {
    if (w.size() == n) return Status::Ok();
    return Status::Syntax("'" + kw + "' takes " + std::to_string(n - 1) +
                          " arguments");
  };
  if (kw == "place") {
    e.kind = ExpectKind::kPlace;
    PL_RETURN_IF_ERROR(want(4));
    e.instance = w[1];
    e.node = w[2];
    PL_ASSIGN_OR_RETURN(e.role, ParsePlacedRole(w[3]));
  } else if (kw == "stopped") {
    e.kind = ExpectKind::kStopped;
    PL_RETURN_IF_ERROR(want(2));
    e.instance = w[1];
  } else if (kw == "instances") {
    e.kind = ExpectKind::kInstances;
    PL_RETURN_IF_ERROR(want(5));
    e.instance = w[1];
    e.node = w[2];
    PL_ASSIGN_OR_RETURN(e.role, ParsePlacedRole(w[3]));
    PL_ASSIGN_OR_RETURN(e.count, ParseCount(w[4]));
  } else if (kw == "action" || kw == "no-action" || kw == "unrunnable") {
    e.kind = kw == "action"      ? ExpectKind::kAction
             : kw == "no-action" ? ExpectKind::kNoAction
                                 : ExpectKind::kUnrunnable;
    PL_ASSIGN_OR_RETURN(ActionPattern p, ParsePattern(w, 1, w.size()));
    e.actions.push_back(std::move(p));
  } else if (kw == "before") {
    e.kind = ExpectKind::kBefore;
    PL_ASSIGN_OR_RETURN(e.actions, ParseChain(w, "<", w.size()));
  } else if (kw == "not-before") {
    e.kind = ExpectKind::kNotBefore;
    PL_ASSIGN_OR_RETURN(e.actions, ParseChain(w, "<", 2));
  } else if (kw == "ordered") {
    e.kind = ExpectKind::kOrdered;
    PL_ASSIGN_OR_RETURN(e.actions, ParseChain(w, "<>", 2));
  } else if (kw == "actions") {
    e.kind = ExpectKind::kActions;
    PL_RETURN_IF_ERROR(want(2));
    PL_ASSIGN_OR_RETURN(e.count, ParseCount(w[1]));
  } else {
    return Status::Syntax("unknown assertion '" + kw + "'");
  }
  return e;
}

// Reachability over the graph's edges (first -> then).
class Reach {
 public:
  explicit Reach(const TransitionGraph& g) : succ_(g.actions.size()) {
    for (const Edge& e : g.edges) {
      if (e.first >= 0 && e.then >= 0 && size_t(e.first) < succ_.size() &&
          size_t(e.then) < succ_.size()) {
        succ_[e.first].push_back(e.then);
      }
    }
  }
  // True if a path of one or more edges leads from `from` to `to`.
  bool Ancestor(int from, int to) const {
    std::vector<bool> seen(succ_.size(), false);
    std::deque<int> todo{from};
    while (!todo.empty()) {
      int a = todo.front();
      todo.pop_front();
      for (int b : succ_[a]) {
        if (b == to) return true;
        if (!seen[b]) {
          seen[b] = true;
          todo.push_back(b);
        }
      }
    }
    return false;
  }

 private:
  std::vector<std::vector<int>> succ_;
};

std::vector<int> Find(const TransitionGraph& g, const ActionPattern& p,
                      bool runnable_only) {
  std::vector<int> out;
  for (size_t i = 0; i < g.actions.size(); ++i) {
    const Action& a = g.actions[i];
    if (p.Matches(a) && (!runnable_only || a.runnable)) out.push_back(int(i));
  }
  return out;
}

bool AnyOrdered(const Reach& reach, const std::vector<int>& from,
                const std::vector<int>& to) {
  for (int a : from) {
    for (int b : to) {
      if (a != b && reach.Ancestor(a, b)) return true;
    }
  }
  return false;
}

bool PlacementMatches(const Placement& p, const Expectation& e) {
  return NameMatches(e.instance, p.instance, p.primitive);
}

std::string PlacementsOf(const TransitionGraph& g, const std::string& name) {
  std::string out;
  for (const Placement& p : g.placements) {
    if (!NameMatches(name, p.instance, p.primitive)) continue;
    if (!out.empty()) out += ", ";
    out += p.instance + "@" + (p.node.empty() ? "-" : p.node) + " " +
           std::string(cib::RoleName(p.role));
  }
  return out.empty() ? "no placement at all" : out;
}

// "" if e holds, otherwise why not.
std::string CheckOne(const Expectation& e, const TransitionGraph& g,
                     const Reach& reach) {
  switch (e.kind) {
    case ExpectKind::kPlace: {
      for (const Placement& p : g.placements) {
        if (PlacementMatches(p, e) && p.node == e.node && p.role == e.role) {
          return "";
        }
      }
      return "placed: " + PlacementsOf(g, e.instance);
    }
    case ExpectKind::kStopped: {
      for (const Placement& p : g.placements) {
        if (PlacementMatches(p, e) && !p.node.empty()) {
          return "placed: " + PlacementsOf(g, e.instance);
        }
      }
      return "";
    }
    case ExpectKind::kInstances: {
      long long n = 0;
      for (const Placement& p : g.placements) {
        if (PlacementMatches(p, e) && p.node == e.node && p.role == e.role) {
          ++n;
        }
      }
      if (n == e.count) return "";
      return "found " + std::to_string(n) +
             "; placed: " + PlacementsOf(g, e.instance);
    }
    case ExpectKind::kAction:
      if (!Find(g, e.actions[0], true).empty()) return "";
      if (!Find(g, e.actions[0], false).empty()) return "exists but unrunnable";
      return "no such action";
    case ExpectKind::kNoAction:
      return Find(g, e.actions[0], true).empty() ? "" : "the action exists";
    case ExpectKind::kUnrunnable:
      if (Find(g, e.actions[0], false).empty()) return "no such action";
      for (int i : Find(g, e.actions[0], false)) {
        if (!g.actions[i].runnable) return "";
      }
      return "the action is runnable";
    case ExpectKind::kBefore:
    case ExpectKind::kNotBefore:
    case ExpectKind::kOrdered: {
      std::vector<std::vector<int>> found;
      for (const ActionPattern& p : e.actions) {
        found.push_back(Find(g, p, false));
        if (found.back().empty()) return "no action " + p.ToString();
      }
      for (size_t i = 0; i + 1 < found.size(); ++i) {
        bool fwd = AnyOrdered(reach, found[i], found[i + 1]);
        bool ok = e.kind == ExpectKind::kBefore ? fwd
                  : e.kind == ExpectKind::kNotBefore
                      ? !fwd
                      : fwd || AnyOrdered(reach, found[i + 1], found[i]);
        if (!ok) {
          return (e.kind == ExpectKind::kNotBefore ? "ordered: "
                                                   : "not ordered: ") +
                 e.actions[i].ToString() + " -> " + e.actions[i + 1].ToString();
        }
      }
      return "";
    }
    case ExpectKind::kActions: {
      long long n = 0;
      for (const Action& a : g.actions) {
        if (!a.pseudo && a.runnable && IsCountedTask(a.task)) ++n;
      }
      return n == e.count ? "" : "found " + std::to_string(n);
    }
  }
  return "unknown assertion";
}

}  // namespace

std::string ActionPattern::ToString() const {
  std::string s = task + " " + resource + " " + node;
  if (interval_ms) s += " interval=" + std::to_string(*interval_ms) + "ms";
  if (role) s += " role=" + std::string(cib::RoleName(*role));
  return s;
}

bool ActionPattern::Matches(const Action& a) const {
  if (a.pseudo || TaskWord(a) != task || a.node != node) return false;
  if (!NameMatches(resource, a.resource, a.primitive)) return false;
  if (interval_ms && a.interval_ms != *interval_ms) return false;
  if (role && a.role != *role) return false;
  return true;
}

Result<std::vector<Expectation>> ParseExpect(std::string_view text) {
  std::vector<Expectation> out;
  std::istringstream in{std::string(text)};
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::string body = line.substr(0, line.find('#'));
    std::vector<std::string> words = Words(body);
    if (words.empty()) continue;
    Result<Expectation> e = ParseLine(words);
    if (!e.ok()) return LineError(number, e.status().message());
    e->line = number;
    size_t first = body.find_first_not_of(" \t");
    size_t last = body.find_last_not_of(" \t\r");
    e->text = body.substr(first, last - first + 1);
    out.push_back(std::move(*e));
  }
  if (out.empty()) return Status::Syntax("expect: no assertions");
  return out;
}

Status CheckNames(const std::vector<Expectation>& expects,
                  const cib::Configuration& config) {
  auto known_rsc = [&](const std::string& id) {
    const cib::Resource* r = config.FindResource(StripInstance(id));
    if (r == nullptr) r = config.FindResource(id);
    return r != nullptr && r->IsPrimitive();
  };
  auto known_node = [&](const std::string& name) {
    return config.FindNode(name) != nullptr;
  };
  for (const Expectation& e : expects) {
    std::vector<std::pair<std::string, std::string>> refs;  // rsc, node
    if (!e.instance.empty()) refs.emplace_back(e.instance, e.node);
    for (const ActionPattern& p : e.actions) {
      refs.emplace_back(p.resource, p.node);
    }
    for (const auto& [rsc, node] : refs) {
      if (!known_rsc(rsc)) {
        return LineError(e.line, "'" + rsc + "' is not a configured primitive");
      }
      if (!node.empty() && !known_node(node)) {
        return LineError(e.line, "'" + node + "' is not a configured node");
      }
    }
  }
  return Status::Ok();
}

std::vector<std::string> CheckGraph(const std::vector<Expectation>& expects,
                                    const TransitionGraph& graph) {
  Reach reach(graph);
  std::vector<std::string> out;
  for (const Expectation& e : expects) {
    std::string why = CheckOne(e, graph, reach);
    if (!why.empty()) {
      out.push_back("expect:" + std::to_string(e.line) + ": " + e.text +
                    "\n    -> " + why);
    }
  }
  return out;
}

std::string DescribeGraph(const TransitionGraph& g) {
  std::vector<std::vector<int>> preds(g.actions.size());
  for (const Edge& e : g.edges) {
    if (e.then >= 0 && size_t(e.then) < preds.size()) {
      preds[e.then].push_back(e.first);
    }
  }
  std::ostringstream out;
  out << "actions:\n";
  for (size_t i = 0; i < g.actions.size(); ++i) {
    const Action& a = g.actions[i];
    out << "  [" << i << "] " << TaskWord(a) << " " << a.resource;
    if (!a.node.empty()) out << " " << a.node;
    if (a.interval_ms != 0) out << " interval=" << a.interval_ms << "ms";
    if (a.role != cib::Role::kUnknown) out << " role=" << cib::RoleName(a.role);
    if (a.pseudo) out << " (pseudo)";
    if (!a.runnable) out << " (unrunnable)";
    if (!preds[i].empty()) {
      out << " after";
      for (int p : preds[i]) out << " " << p;
    }
    out << "\n";
  }
  out << "placements:\n";
  for (const Placement& p : g.placements) {
    out << "  " << p.instance << " " << (p.node.empty() ? "-" : p.node) << " "
        << cib::RoleName(p.role) << "\n";
  }
  out << "decisions:\n";
  for (const TransitionGraph::Decision& d : g.decisions) {
    out << "  " << d.resource << " -> " << (d.node.empty() ? "-" : d.node)
        << ": " << d.why << "\n";
  }
  out << "score terms:\n";
  for (const ScoreTerm& t : g.scores) {
    out << "  " << t.resource << " " << t.node << " " << t.score.ToString()
        << (t.promotion ? " (promotion) " : " ") << t.source << "\n";
  }
  for (const std::string& n : g.notes) out << "note: " << n << "\n";
  return out.str();
}

}  // namespace paceline::policy::golden
