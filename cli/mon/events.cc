#include "cli/mon/events.h"

#include <algorithm>

#include "cli/mon/render_internal.h"
#include "common/strings.h"

namespace paceline::cli::mon {
namespace json = boost::json;
using namespace internal;

namespace {

using std::chrono::milliseconds;

WallTime At(const json::object& e, WallTime fallback) {
  long long ms = Int(e, "at");
  return ms > 0 ? WallTime(milliseconds(ms)) : fallback;
}

std::string Key(const json::object& e) {
  return std::to_string(Int(e, "transition")) + "/" + Str(e, "action");
}

std::set<std::string> Names(const json::array& a) {
  std::set<std::string> out;
  for (const json::value& v : a) {
    if (v.is_string()) out.insert(std::string(v.as_string()));
    if (v.is_object()) out.insert(Str(v.as_object(), "name"));
  }
  return out;
}

// name -> a node's flag ("standby", "maintenance") in a status document.
std::map<std::string, bool> NodeFlags(const json::object& st,
                                      std::string_view flag) {
  std::map<std::string, bool> out;
  for (const json::object* n : Objects(Arr(st, "nodes"))) {
    out[Str(*n, "name")] = Bool(*n, flag);
  }
  return out;
}

// id -> target role of every resource in the tree ("" when none).
void TargetRoles(const json::array& tree,
                 std::map<std::string, std::string>& out) {
  for (const json::object* r : Objects(tree)) {
    out[Str(*r, "id")] = Str(*r, "target_role");
    TargetRoles(Arr(*r, "children"), out);
  }
}

}  // namespace

void EventLog::Add(WallTime at, std::string text, Style style) {
  entries_.push_back(LogEntry{at, std::move(text), style});
  while (entries_.size() > capacity_) entries_.pop_front();
}

void EventLog::Note(WallTime at, std::string text, Style style) {
  Add(at, std::move(text), style);
}

void EventLog::Reset() {
  in_flight_.clear();
  seeded_ = false;
}

void EventLog::View(const json::object& e, WallTime at) {
  std::set<std::string> members = Names(Arr(e, "members"));
  std::string dc = Str(e, "dc");
  bool quorate = Bool(e, "quorate");
  if (!seeded_) {
    Add(at,
        "view " + std::to_string(Int(e, "view")) + ": members [" +
            Join({members.begin(), members.end()}, " ") + "], DC " + dc,
        Style::kNormal);
  } else {
    for (const std::string& m : members_) {
      if (!members.count(m)) Add(at, "node " + m + " lost", Style::kBad);
    }
    for (const std::string& m : members) {
      if (!members_.count(m)) Add(at, "node " + m + " joined", Style::kGood);
    }
    if (dc != dc_ && !dc.empty()) Add(at, "DC elected: " + dc, Style::kWarn);
    if (quorate != quorate_) {
      Add(at, quorate ? "quorum regained" : "quorum lost",
          quorate ? Style::kGood : Style::kBad);
    }
  }
  seeded_ = true;
  members_ = std::move(members);
  dc_ = dc;
  quorate_ = quorate;
}

void EventLog::Apply(const json::object& e, WallTime received) {
  std::string kind = Str(e, "event");
  WallTime at = At(e, received);
  std::string tn = "transition " + std::to_string(Int(e, "transition"));
  if (kind == "view") {
    View(e, at);
  } else if (kind == "transition_started") {
    Add(at, tn + " started: " + std::to_string(Int(e, "actions")) + " actions",
        Style::kNormal);
  } else if (kind == "transition_finished") {
    std::string took = FormatDuration(milliseconds(Int(e, "ms")));
    long long failed = Int(e, "failed");
    std::string text = Bool(e, "aborted") ? tn + " aborted after " + took +
                                                " (" + Str(e, "reason") + ")"
                                          : tn + " finished in " + took;
    text += ": " + std::to_string(Int(e, "done")) + " done";
    if (failed > 0) text += ", " + std::to_string(failed) + " failed";
    Add(at, text,
        failed > 0 || Bool(e, "aborted") ? Style::kWarn : Style::kNormal);
    std::string prefix = std::to_string(Int(e, "transition")) + "/";
    std::erase_if(in_flight_,
                  [&](const auto& kv) { return StartsWith(kv.first, prefix); });
  } else if (kind == "action_started") {
    in_flight_[Key(e)] =
        InFlight{Str(e, "task"), Str(e, "resource"), Str(e, "node"), at};
  } else if (kind == "action_done") {
    in_flight_.erase(Key(e));
  } else if (kind == "action_failed") {
    in_flight_.erase(Key(e));
    std::string reason = Str(e, "reason");
    Add(at,
        Str(e, "task") + " " + Str(e, "resource") + " on " + Str(e, "node") +
            " failed: rc " + std::to_string(Int(e, "rc")) +
            (reason.empty() ? "" : " (" + reason + ")"),
        Style::kBad);
  } else if (kind == "cleanup") {
    std::string node = Str(e, "node");
    Add(at,
        "cleanup " + Str(e, "resource") + (node.empty() ? "" : " on " + node),
        Style::kNormal);
  }
}

void EventLog::OnStatus(const json::object& status, WallTime received) {
  const json::object& m = Obj(status, "membership");
  if (!seeded_) {
    seeded_ = true;
    members_ = Names(Arr(m, "members"));
    dc_ = Str(m, "dc");
    quorate_ = Bool(m, "quorate");
  }
  if (last_status_ && Int(status, "epoch") > Int(*last_status_, "epoch")) {
    std::vector<std::string> what = DescribeChange(*last_status_, status);
    std::string text =
        what.empty() ? "configuration changed" : Join(what, ", ");
    Add(received,
        "epoch " + std::to_string(Int(*last_status_, "epoch")) + " -> " +
            std::to_string(Int(status, "epoch")) + ": " + text,
        Style::kNormal);
    change_at_ = received;
    change_what_ = text;
  }
  last_status_ = status;
}

std::vector<InFlight> EventLog::in_flight() const {
  std::vector<InFlight> out;
  for (const auto& [key, a] : in_flight_) out.push_back(a);
  std::stable_sort(
      out.begin(), out.end(),
      [](const InFlight& a, const InFlight& b) { return a.since < b.since; });
  return out;
}

std::string EventLog::last_change(bool utc) const {
  if (change_what_.empty()) return "";
  return FormatTime(change_at_, utc) + " - " + change_what_;
}

std::vector<std::string> DescribeChange(const json::object& before,
                                        const json::object& after) {
  std::vector<std::string> out;
  for (const char* flag : {"standby", "maintenance"}) {
    auto was = NodeFlags(before, flag);
    for (const auto& [node, on] : NodeFlags(after, flag)) {
      if (was.count(node) && was[node] != on) {
        out.push_back(node + (on ? " " : " no longer ") + flag);
      }
    }
  }
  std::map<std::string, std::string> roles_before, roles_after;
  TargetRoles(Arr(before, "resource_tree"), roles_before);
  TargetRoles(Arr(after, "resource_tree"), roles_after);
  for (const auto& [id, role] : roles_after) {
    if (!roles_before.count(id)) {
      out.push_back(id + " added");
    } else if (roles_before[id] != role) {
      out.push_back(id + " target-role " + (role.empty() ? "unset" : role));
    }
  }
  for (const auto& [id, role] : roles_before) {
    if (!roles_after.count(id)) out.push_back(id + " deleted");
  }
  std::set<std::string> cli_before, cli_after;
  for (const json::object* c : Objects(Arr(before, "cli_constraints"))) {
    cli_before.insert(Str(*c, "id"));
  }
  for (const json::object* c : Objects(Arr(after, "cli_constraints"))) {
    cli_after.insert(Str(*c, "id"));
  }
  for (const std::string& id : cli_after) {
    if (!cli_before.count(id)) out.push_back(id + " added");
  }
  for (const std::string& id : cli_before) {
    if (!cli_after.count(id)) out.push_back(id + " removed");
  }
  return out;
}

std::vector<Line> RenderLog(const std::deque<LogEntry>& entries, size_t count,
                            int width, bool utc) {
  std::vector<Line> out;
  size_t first = entries.size() > count ? entries.size() - count : 0;
  for (size_t i = first; i < entries.size(); ++i) {
    const LogEntry& e = entries[i];
    // The clock time only: the date is the header's.
    std::string time = FormatTime(e.at, utc).substr(11);
    out.push_back(LineBuilder()
                      .Add(time + " ", Style::kDim)
                      .Add(e.text, e.style)
                      .Done(width));
  }
  return out;
}

}  // namespace paceline::cli::mon
