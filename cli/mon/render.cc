// The crm_mon text: the summary, the nodes, and the sections after the
// resources (actions in progress, failed actions, fail counts, the
// constraints migrate leaves). The resources are render_resources.cc's.
#include "cli/mon/render.h"

#include <algorithm>
#include <ctime>
#include <set>

#include "agents/result.h"
#include "cib/duration.h"
#include "cib/score.h"
#include "cli/mon/render_internal.h"
#include "common/strings.h"

namespace paceline::cli::mon {
namespace json = boost::json;
using namespace internal;

namespace {

using std::chrono::milliseconds;

std::string FormatIso(const std::string& iso, bool utc) {
  auto t = cib::ParseTimestamp(iso);
  return t.ok() ? FormatTime(*t, utc) : iso;
}

void RenderSummary(Out& out, const RenderInput& in, const json::object& st) {
  out.Title("Cluster Summary:");
  const json::object& m = Obj(st, "membership");
  LineBuilder cluster(2);
  std::string name = Str(st, "cluster");
  cluster.Add("* Cluster: ")
      .Add(name.empty() ? "(unnamed)" : name, Style::kTitle);
  if (Int(m, "view") > 0) {
    size_t members = Arr(m, "members").size();
    cluster.Add(" (paceline), view " + std::to_string(Int(m, "view")) + " (" +
                std::to_string(members) +
                (members == 1 ? " member)" : " members)"));
  } else {
    cluster.Add(" (paceline), no membership view");
  }
  if (Bool(m, "tilt")) {
    cluster.Add(", TILT: this node stalled and is observing", Style::kWarn);
  }
  out.Push(cluster);
  LineBuilder dc(2);
  dc.Add("* Current DC: ");
  std::string dc_name = Str(st, "dc");
  if (dc_name.empty()) {
    dc.Add("NONE", Style::kBad);
  } else {
    dc.Add(dc_name).Add(" - ");
    if (Bool(st, "quorate")) {
      dc.Add("partition with quorum", Style::kGood);
    } else {
      dc.Add("partition WITHOUT quorum", Style::kBad);
    }
  }
  out.Push(dc);
  LineBuilder updated(2);
  updated.Add("* Last updated: " + FormatTime(in.updated, out.options.utc));
  updated.Add(", configuration epoch " + std::to_string(Int(st, "epoch")));
  out.Push(updated);
  // The monitor's own observation, else what the daemon recorded.
  const json::object& change = Obj(st, "last_change");
  if (!in.last_change.empty()) {
    out.Push(LineBuilder(2).Add("* Last change:  " + in.last_change));
  } else if (!Str(change, "at").empty()) {
    out.Push(LineBuilder(2).Add(
        "* Last change:  " + FormatIso(Str(change, "at"), out.options.utc) +
        " - " + Str(change, "what")));
  }
  size_t nodes = Arr(st, "nodes").size();
  std::set<std::string> primitives;
  size_t disabled = 0;
  for (const json::object* r : Objects(Arr(st, "resources"))) {
    if (primitives.insert(Str(*r, "id")).second && Disabled(*r)) ++disabled;
  }
  LineBuilder counts(2);
  counts.Add("* " + std::to_string(nodes) + (nodes == 1 ? " node" : " nodes") +
             " configured, " + std::to_string(primitives.size()) +
             (primitives.size() == 1 ? " resource" : " resources") +
             " configured");
  if (disabled > 0) {
    counts.Add(" (" + std::to_string(disabled) + " DISABLED)", Style::kWarn);
  }
  out.Push(counts);
}

// Each member's links, when it has more than one.
void RenderLinks(Out& out, const json::object& st) {
  for (const json::object* mem :
       Objects(Arr(Obj(st, "membership"), "members"))) {
    std::vector<const json::object*> links = Objects(Arr(*mem, "links"));
    if (links.size() < 2) continue;
    LineBuilder b(2);
    b.Add("* Node " + Str(*mem, "name") + " links:");
    for (size_t i = 0; i < links.size(); ++i) {
      const json::object* l = links[i];
      bool up = Bool(*l, "up");
      b.Add((i ? ", " : " ") + Str(*l, "address") + " ");
      b.Add(up ? "up" : "DOWN", up ? Style::kGood : Style::kBad);
    }
    out.Push(b);
  }
}

void RenderNodes(Out& out, const json::object& st) {
  out.Title("Node List:");
  std::vector<std::string> online, offline;
  for (const json::object* n : Objects(Arr(st, "nodes"))) {
    std::string name = Str(*n, "name");
    if (!Bool(*n, "online")) {
      offline.push_back(name);
    } else if (Bool(*n, "standby") || Bool(*n, "maintenance")) {
      out.Push(LineBuilder(2)
                   .Add("* Node " + name + ": ")
                   .Add(Bool(*n, "standby") ? "standby" : "maintenance",
                        Style::kWarn));
    } else {
      online.push_back(name);
    }
  }
  if (!online.empty()) Bracketed(out, 2, "Online: ", online, Style::kGood);
  if (!offline.empty()) Bracketed(out, 2, "OFFLINE: ", offline, Style::kBad);
  RenderLinks(out, st);
}

void RenderInFlight(Out& out, const RenderInput& in) {
  if (in.in_flight.empty()) return;
  out.Blank();
  out.Title("Actions in Progress:");
  for (const InFlight& a : in.in_flight) {
    auto elapsed =
        std::max(milliseconds(0),
                 std::chrono::duration_cast<milliseconds>(in.now - a.since));
    out.Push(LineBuilder(2)
                 .Add("* ")
                 .Add(a.task + " " + a.resource, Style::kWarn)
                 .Add(" on " + a.node + " (running " + FormatDuration(elapsed) +
                      ")"));
  }
}

void RenderFailures(Out& out, const json::object& st) {
  std::vector<const json::object*> failures = Objects(Arr(st, "failures"));
  if (failures.empty()) return;
  out.Blank();
  out.Title("Failed Resource Actions:");
  for (const json::object* f : failures) {
    std::string action = Str(*f, "action");
    long long interval = Int(*f, "interval_ms");
    if (interval > 0)
      action += " (" + FormatDuration(milliseconds(interval)) + ")";
    long long rc = Int(*f, "rc");
    std::string meaning = Str(*f, "status") == "timeout"
                              ? "timed out"
                              : agents::OcfRcMeaning(int(rc));
    LineBuilder b(2);
    b.Add("* ")
        .Add(Str(*f, "resource") + " " + action, Style::kBad)
        .Add(" on " + Str(*f, "node") + ": '" + meaning +
             "' (rc=" + std::to_string(rc) + ")");
    std::string reason = Str(*f, "reason");
    if (!reason.empty() && reason != meaning) b.Add(" " + reason);
    if (!Str(*f, "at").empty()) {
      b.Add(" at " + FormatIso(Str(*f, "at"), out.options.utc));
    }
    std::string output = Str(*f, "output");
    if (!output.empty() && out.width >= 120) {
      b.Add(" - last output: ").Add(output, Style::kDim);
    }
    out.Push(b);
    if (!output.empty() && out.width < 120) {
      out.Push(LineBuilder(4).Add("last output: ").Add(output, Style::kDim));
    }
  }
}

std::string CountText(long long count) {
  return count >= cib::kInfinity ? "INFINITY" : std::to_string(count);
}

// Pacemaker's "Migration Summary": fail counts per node.
void RenderFailCounts(Out& out, const json::object& st) {
  std::vector<const json::object*> counts = Objects(Arr(st, "fail_counts"));
  if (!out.options.fail_counts || counts.empty()) return;
  out.Blank();
  out.Title("Migration Summary:");
  std::vector<std::string> nodes;
  for (const json::object* c : counts) {
    std::string node = Str(*c, "node");
    if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) {
      nodes.push_back(node);
    }
  }
  for (const std::string& node : nodes) {
    out.Push(LineBuilder(2).Add("* Node " + node + ":"));
    for (const json::object* c : counts) {
      if (Str(*c, "node") != node) continue;
      LineBuilder b(4);
      b.Add("* " + Str(*c, "resource") + ": ")
          .Add("fail-count=" + CountText(Int(*c, "count")), Style::kBad);
      if (!Str(*c, "last_failure").empty()) {
        b.Add(", last-failure=" +
              FormatIso(Str(*c, "last_failure"), out.options.utc));
      }
      out.Push(b);
    }
  }
}

// A cli constraint's lifetime, or how it goes away.
void AddLifetime(LineBuilder& b, const json::object& c, const RenderInput& in,
                 bool utc) {
  auto expires = cib::ParseTimestamp(Str(c, "expires"));
  if (!expires.ok()) {
    b.Add("no lifetime, remove with: ")
        .Add("crm resource unmigrate " + Str(c, "resource"), Style::kTitle);
  } else if (*expires > in.now) {
    auto left = std::chrono::duration_cast<milliseconds>(*expires - in.now);
    b.Add("until " + FormatTime(*expires, utc) + " (" + FormatDuration(left) +
          " left)");
  } else {
    b.Add("expired " + FormatTime(*expires, utc) + ", no longer applies",
          Style::kDim);
  }
}

// cli-prefer/cli-ban: admins forget them, so each says when or how it goes
// away: beside it on a wide screen, else on a line of its own so that 80
// columns never cut it off.
void RenderConstraints(Out& out, const RenderInput& in,
                       const json::object& st) {
  std::vector<const json::object*> cli = Objects(Arr(st, "cli_constraints"));
  if (!out.options.constraints || cli.empty()) return;
  out.Blank();
  out.Title("Migration Constraints:");
  for (const json::object* c : cli) {
    bool prefer = Str(*c, "kind") == "prefer";
    LineBuilder b(2);
    b.Add("* ").Add(Str(*c, "resource") +
                        (prefer ? " prefers " : " banned from ") +
                        Str(*c, "node"),
                    Style::kWarn);
    std::string role = Str(*c, "role");
    if (!role.empty() && role != "Started") b.Add(" as " + role);
    b.Add(" (" + Str(*c, "id") + ")");
    if (out.width >= 120) {
      AddLifetime(b.Add(", "), *c, in, out.options.utc);
      out.Push(b);
    } else {
      out.Push(b);
      LineBuilder when(4);
      AddLifetime(when, *c, in, out.options.utc);
      out.Push(when);
    }
  }
}

}  // namespace

std::vector<Line> RenderStatus(const RenderInput& input,
                               const RenderOptions& options, int width) {
  // No width (a pipe): no limit; a terminal: at least 20 columns.
  Out out{options, width <= 0 ? 1 << 20 : std::max(width, 20), {}};
  if (!input.alert.empty()) {
    out.Push(LineBuilder().Add(input.alert, Style::kBad));
    out.Blank();
  }
  static const json::object kEmpty;
  const json::object& st = input.status ? *input.status : kEmpty;
  RenderSummary(out, input, st);
  out.Blank();
  if (options.group_by_node) {
    RenderByNode(out, st);
  } else {
    RenderNodes(out, st);
    out.Blank();
    RenderResources(out, st);
  }
  RenderInFlight(out, input);
  RenderFailures(out, st);
  RenderFailCounts(out, st);
  RenderConstraints(out, input, st);
  return out.lines;
}

std::string PlainText(const std::vector<Line>& lines) {
  std::string text;
  for (const Line& l : lines) text += l.text + "\n";
  return text;
}

std::string FormatTime(WallTime t, bool utc) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  if (utc) {
    gmtime_r(&secs, &tm);
  } else {
    localtime_r(&secs, &tm);
  }
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string FormatDuration(milliseconds d) {
  long long ms = d.count();
  auto two = [](long long v) {
    return (v < 10 ? "0" : "") + std::to_string(v);
  };
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 60'000) {
    return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) +
           "s";
  }
  long long s = ms / 1000;
  if (s < 3600) return std::to_string(s / 60) + "m" + two(s % 60) + "s";
  if (s < 86400) return std::to_string(s / 3600) + "h" + two(s / 60 % 60) + "m";
  return std::to_string(s / 86400) + "d" + two(s / 3600 % 24) + "h";
}

}  // namespace paceline::cli::mon
