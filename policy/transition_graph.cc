// Queries on the scheduler's output: action keys, predecessors, a
// deterministic topological order, the cycle check and Graphviz text.
//
// Each of them views the graph as a boost::adjacency_list whose vertex v is
// the action with id v; pseudo actions are vertices like the others, since
// they carry the orderings between collectives. Edges naming an action that
// does not exist are left out of that view (ValidateGraph reports them).
#include "policy/transition_graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <deque>
#include <functional>
#include <queue>
#include <tuple>
#include <unordered_map>

namespace paceline::policy {

namespace {

using Digraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

bool InRange(const TransitionGraph& graph, const Edge& e) {
  int n = static_cast<int>(graph.actions.size());
  return e.first >= 0 && e.first < n && e.then >= 0 && e.then < n;
}

Digraph BuildDigraph(const TransitionGraph& graph) {
  Digraph g(graph.actions.size());
  for (const Edge& e : graph.edges) {
    if (InRange(graph, e)) boost::add_edge(e.first, e.then, g);
  }
  return g;
}

// Kahn's algorithm, always taking the smallest ready id, so the same graph
// gives the same order whatever the edge order. Actions on a cycle, or
// behind one, never become ready and are left out.
std::vector<int> KahnOrder(const Digraph& g) {
  std::vector<int> indegree(boost::num_vertices(g), 0);
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    ++indegree[boost::target(*it, g)];
  }
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (size_t v = 0; v < indegree.size(); ++v) {
    if (indegree[v] == 0) ready.push(static_cast<int>(v));
  }
  std::vector<int> order;
  order.reserve(indegree.size());
  while (!ready.empty()) {
    int v = ready.top();
    ready.pop();
    order.push_back(v);
    for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
      int w = static_cast<int>(boost::target(*it, g));
      if (--indegree[size_t(w)] == 0) ready.push(w);
    }
  }
  return order;
}

// One cycle through `start`, whose strongly connected component is
// `component`: the shortest path back to start (breadth first inside the
// component), as action ids in edge order, start first.
std::vector<int> CycleThrough(const Digraph& g, int start,
                              const std::vector<int>& component) {
  std::vector<int> parent(component.size(), -2);
  std::deque<int> queue{start};
  parent[size_t(start)] = -1;
  while (!queue.empty()) {
    int v = queue.front();
    queue.pop_front();
    for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
      int w = static_cast<int>(boost::target(*it, g));
      if (component[size_t(w)] != component[size_t(start)]) continue;
      if (w == start) {
        std::vector<int> path;
        for (int x = v; x != -1; x = parent[size_t(x)]) path.push_back(x);
        std::reverse(path.begin(), path.end());
        return path;
      }
      if (parent[size_t(w)] != -2) continue;
      parent[size_t(w)] = v;
      queue.push_back(w);
    }
  }
  return {start};  // unreachable for a real component; keeps callers total
}

// The cycle with the smallest action id among the actions Kahn's order
// could not place. Strongly connected components tell cycle members from
// actions that merely wait behind a cycle.
std::vector<int> FindCycle(const Digraph& g, const std::vector<int>& order) {
  size_t n = boost::num_vertices(g);
  std::vector<int> component(n, -1);
  boost::strong_components(
      g, boost::make_iterator_property_map(component.begin(),
                                           boost::get(boost::vertex_index, g)));
  std::vector<int> size(n, 0);
  for (int c : component) ++size[size_t(c)];
  std::vector<bool> placed(n, false);
  for (int v : order) placed[size_t(v)] = true;
  for (size_t v = 0; v < n; ++v) {
    if (placed[v]) continue;
    bool self_loop = boost::edge(v, v, g).second;
    if (self_loop) return {static_cast<int>(v)};
    if (size[size_t(component[v])] > 1) {
      return CycleThrough(g, static_cast<int>(v), component);
    }
  }
  return {};
}

std::string DotQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// DOT node names: the action keys, made unique if two actions share one.
std::vector<std::string> DotNames(const TransitionGraph& graph) {
  std::unordered_map<std::string, int> seen;
  std::vector<std::string> names;
  names.reserve(graph.actions.size());
  for (const Action& a : graph.actions) {
    std::string key = a.Key();
    if (seen[key]++ > 0) key += " #" + std::to_string(a.id);
    names.push_back(DotQuote(key));
  }
  return names;
}

std::string NodeStyle(const Action& a) {
  std::string color = a.runnable ? "green" : "red";
  if (a.pseudo) {
    return "[style=dashed color=\"" + color + "\" fontcolor=\"orange\"]";
  }
  return std::string("[shape=box style=") +
         (a.runnable ? "bold" : "\"bold,dashed\"") + " color=\"" + color +
         "\" fontcolor=\"black\"]";
}

// The milestone that ends a phase: start -> running, stop -> stopped, ...
std::string DoneName(const std::string& operation) {
  if (operation == "start") return "running";
  if (operation == "stop") return "stopped";
  if (operation == "promote") return "promoted";
  if (operation == "demote") return "demoted";
  return operation;
}

}  // namespace

std::string_view TaskName(Task t) {
  switch (t) {
    case Task::kStart:
      return "start";
    case Task::kStop:
      return "stop";
    case Task::kPromote:
      return "promote";
    case Task::kDemote:
      return "demote";
    case Task::kMonitor:
      return "monitor";
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
  return "unknown";
}

// Pacemaker's operation keys: RSC_TASK_INTERVALMS, then the node for
// actions that run somewhere ("pg_fs_monitor_15000 HA-node1").
// Notifications name their type and operation as Pacemaker does:
// "drbd_pg:0_pre_notify_promote_0 HA-node1", and for the collective's
// milestones after a phase the phase's done task,
// "ms_drbd_pg_confirmed-post_notify_promoted_0".
std::string Action::Key() const {
  std::string key = resource;
  key += '_';
  if (task == Task::kNotify && !notify_type.empty()) {
    key += notify_type + "_notify_";
    key += pseudo && notify_type.find("post") != std::string::npos
               ? DoneName(notify_operation)
               : notify_operation;
  } else {
    key += TaskName(task);
  }
  key += '_';
  key += std::to_string(task == Task::kMonitor ? interval_ms : 0);
  if (!pseudo && !node.empty()) key += " " + node;
  return key;
}

std::vector<int> TransitionGraph::Predecessors(int id) const {
  std::vector<int> out;
  for (const Edge& e : edges) {
    if (e.then == id) out.push_back(e.first);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<int> TransitionGraph::TopologicalOrder() const {
  std::vector<int> out;
  for (int v : KahnOrder(BuildDigraph(*this))) {
    const Action& a = actions[size_t(v)];
    if (!a.pseudo) out.push_back(a.id);
  }
  return out;
}

Status ValidateGraph(const TransitionGraph& graph) {
  for (size_t i = 0; i < graph.actions.size(); ++i) {
    if (graph.actions[i].id != static_cast<int>(i)) {
      return Status::Invalid("transition graph: action " +
                             graph.actions[i].Key() + " has id " +
                             std::to_string(graph.actions[i].id) +
                             ", expected " + std::to_string(i));
    }
  }
  for (const Edge& e : graph.edges) {
    if (!InRange(graph, e)) {
      return Status::Invalid(
          "transition graph: ordering " + std::to_string(e.first) + " -> " +
          std::to_string(e.then) + " names an action that does not exist");
    }
  }
  Digraph g = BuildDigraph(graph);
  std::vector<int> order = KahnOrder(g);
  if (order.size() == graph.actions.size()) return Status::Ok();
  std::vector<int> cycle = FindCycle(g, order);
  constexpr size_t kMaxNamed = 12;
  std::string text;
  for (size_t i = 0; i < cycle.size() && i < kMaxNamed; ++i) {
    text += graph.actions[size_t(cycle[i])].Key() + " -> ";
  }
  if (cycle.size() > kMaxNamed) {
    text += "... (" + std::to_string(cycle.size() - kMaxNamed) + " more) -> ";
  }
  if (!cycle.empty()) text += graph.actions[size_t(cycle[0])].Key();
  return Status::Invalid("ordering cycle between " +
                         std::to_string(cycle.size()) + " action" +
                         (cycle.size() == 1 ? "" : "s") + ": " + text);
}

std::string ToDot(const TransitionGraph& graph) {
  std::vector<std::string> names = DotNames(graph);
  std::string out = "digraph \"transition\" {\n";
  out.reserve(64 * (graph.actions.size() + graph.edges.size()));
  for (size_t i = 0; i < graph.actions.size(); ++i) {
    out.append("  ").append(names[i]).append(" ");
    out.append(NodeStyle(graph.actions[i])).append("\n");
  }
  std::vector<Edge> edges;
  for (const Edge& e : graph.edges) {
    if (InRange(graph, e)) edges.push_back(e);
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    return std::tie(x.first, x.then) < std::tie(y.first, y.then);
  });
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  for (const Edge& e : edges) {
    bool runnable = graph.actions[size_t(e.then)].runnable;
    out.append("  ").append(names[size_t(e.first)]).append(" -> ");
    out.append(names[size_t(e.then)]);
    out.append(runnable ? " [style=bold]\n"
                        : " [style=dashed color=\"red\"]\n");
  }
  out += "}\n";
  return out;
}

}  // namespace paceline::policy
