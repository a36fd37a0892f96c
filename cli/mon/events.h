// What the live crm_mon screen remembers between status documents: the
// scrolling event log at the bottom (node lost/joined, DC elected, quorum,
// transitions with their duration, failed actions, configuration changes,
// the daemon connection), the actions in flight with when they started,
// and the last configuration change seen. Pure: fed the daemon's event
// lines ({"event": KIND, "at": unix_ms, ...}, crmd/ipc_server.h) and
// status documents together with the time they arrived; no I/O.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/mon/render.h"
#include "common/clock.h"

namespace paceline::cli::mon {

struct LogEntry {
  WallTime at{};
  std::string text;
  Style style = Style::kNormal;
  friend bool operator==(const LogEntry&, const LogEntry&) = default;
};

class EventLog {
 public:
  explicit EventLog(size_t capacity = 200) : capacity_(capacity) {}

  // One event line from the feed; `received` stands in for a missing "at".
  void Apply(const boost::json::object& event, WallTime received);
  // A new status document: the first one seeds the membership the view
  // events are compared with; a higher configuration epoch is logged with
  // what changed (nodes' standby/maintenance, cli constraints, target
  // roles, resources added or removed).
  void OnStatus(const boost::json::object& status, WallTime received);
  // A note of the monitor's own (daemon unreachable, reconnected).
  void Note(WallTime at, std::string text, Style style = Style::kNormal);
  // The daemon went away: what was in flight is no longer known.
  void Reset();

  const std::deque<LogEntry>& entries() const { return entries_; }
  std::vector<InFlight> in_flight() const;
  // "2026-11-25 10:00:01 - node2 standby" once a change was seen, else "".
  std::string last_change(bool utc) const;

 private:
  void View(const boost::json::object& e, WallTime at);
  void Add(WallTime at, std::string text, Style style);

  size_t capacity_;
  std::deque<LogEntry> entries_;
  std::map<std::string, InFlight> in_flight_;  // "transition/action" key
  bool seeded_ = false;
  std::set<std::string> members_;
  std::string dc_;
  bool quorate_ = false;
  std::optional<boost::json::object> last_status_;
  WallTime change_at_{};
  std::string change_what_;
};

// What differs between two status documents' configurations, one phrase
// each ("node2 standby", "cli-prefer-g added", "g target-role Stopped").
std::vector<std::string> DescribeChange(const boost::json::object& before,
                                        const boost::json::object& after);

// The newest `count` entries as "HH:MM:SS text" lines, oldest first.
std::vector<Line> RenderLog(const std::deque<LogEntry>& entries, size_t count,
                            int width, bool utc);

}  // namespace paceline::cli::mon
