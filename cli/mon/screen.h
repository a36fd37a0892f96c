// The live crm_mon screen as exactly `height` lines of at most `width`
// columns: the status (scrolled), the event log (at the bottom, or in a
// column on the right when the terminal is wide), and a key line. Pure, so
// the layout is tested like the text; cli/mon/tui.cc only draws it.
#pragma once

#include <deque>
#include <vector>

#include "cli/mon/events.h"
#include "cli/mon/render.h"

namespace paceline::cli::mon {

struct Layout {
  int status_width = 80;
  int status_rows = 0;
  int log_rows = 0;   // event lines shown
  bool side = false;  // the log in a right-hand column
  int log_width = 0;
};

// Wide terminals (>= 140 columns) get the log beside the status; others
// below it, 4 lines up to 29 rows, 6 up to 49, then 10.
Layout ComputeLayout(int width, int height);

struct ScreenView {
  int scroll = 0;  // first status line shown; clamped by ComposeScreen
  bool help = false;
};

std::vector<Line> ComposeScreen(const std::vector<Line>& status,
                                const std::deque<LogEntry>& log,
                                const Layout& layout, int width, int height,
                                const RenderOptions& options, ScreenView& view);

// The help text of the `?` key.
std::vector<Line> HelpLines(const RenderOptions& options, int width);

}  // namespace paceline::cli::mon
