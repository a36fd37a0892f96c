// The crm_mon screen as text: a pure function of a paceline.status/1
// document (design.md, "JSON"), the display options, the width and the
// current time. `crm_mon -1`, `crm status` and the live screen (cli/mon/
// tui.h) all print these lines; the live screen adds the colours the
// spans carry, the plain text ignores them. No I/O, no clock, no globals:
// the same input always gives the same lines (golden tests in tests/cli/).
//
// Every line fits in `width` columns (longer ones end in "..."), so an
// 80x24 terminal never wraps; a wide terminal gets the details on one line.
// Text is ASCII: bytes outside printable ASCII (agent output) become '?'.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "common/clock.h"

namespace paceline::cli::mon {

enum class Style { kNormal, kTitle, kGood, kWarn, kBad, kDim };

// Columns [start, start + length) of a line drawn in `style`.
struct Span {
  int start = 0;
  int length = 0;
  Style style = Style::kNormal;
  friend bool operator==(const Span&, const Span&) = default;
};

struct Line {
  std::string text;
  std::vector<Span> spans;
  friend bool operator==(const Line&, const Line&) = default;
};

struct RenderOptions {
  bool fail_counts = true;     // the "Migration Summary" (key f)
  bool constraints = true;     // cli-prefer/cli-ban constraints (key c)
  bool group_by_node = false;  // resources under each node (key n)
  // "Promoted (Master)": Pacemaker 2.1's words with the old ones in
  // brackets; false gives the new words only.
  bool old_role_names = true;
  bool utc = false;  // timestamps in UTC instead of local time (tests)
};

// An action the cluster runs right now (from the event feed).
struct InFlight {
  std::string task;  // start, stop, promote, ...
  std::string resource;
  std::string node;
  WallTime since{};
  friend bool operator==(const InFlight&, const InFlight&) = default;
};

struct RenderInput {
  const boost::json::object* status = nullptr;  // paceline.status/1
  WallTime now{};
  // When the status was fetched; shown as "Last updated".
  WallTime updated{};
  // "when: what" of the last configuration change seen ("" if unknown).
  std::string last_change;
  std::vector<InFlight> in_flight;
  // A warning shown first, in red (e.g. the daemon is unreachable).
  std::string alert;
};

std::vector<Line> RenderStatus(const RenderInput& input,
                               const RenderOptions& options, int width);

// The lines as plain text, one per line, no escape codes.
std::string PlainText(const std::vector<Line>& lines);

// "2026-11-25 10:00:00" in local time (UTC with utc), for the screen.
std::string FormatTime(WallTime t, bool utc);
// "850ms", "4.2s", "3m05s", "2h07m", "3d04h": how long something took.
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace paceline::cli::mon
