#include "cli/mon/screen.h"

#include <algorithm>

#include "cli/mon/render_internal.h"

namespace paceline::cli::mon {
using namespace internal;

namespace {

constexpr int kSideMinWidth = 140;

// `right` appended to `left` (padded to `column`), spans shifted.
Line Beside(Line left, int column, const Line& right) {
  left.text.resize(size_t(column), ' ');
  for (Span s : right.spans) {
    s.start += column;
    left.spans.push_back(s);
  }
  left.text += right.text;
  return left;
}

std::string OnOff(bool on) { return on ? "on" : "off"; }

Line KeyLine(const RenderOptions& o, int first, int shown, int total,
             int width) {
  LineBuilder b;
  b.Add(" q", Style::kTitle).Add(" quit ");
  b.Add(" ?", Style::kTitle).Add(" help ");
  b.Add(" f", Style::kTitle).Add(" fail counts " + OnOff(o.fail_counts) + " ");
  b.Add(" c", Style::kTitle).Add(" constraints " + OnOff(o.constraints) + " ");
  b.Add(" n", Style::kTitle)
      .Add(o.group_by_node ? " by node " : " by resource ");
  if (total > shown) {
    b.Add(" lines " + std::to_string(first + 1) + "-" +
              std::to_string(first + shown) + "/" + std::to_string(total),
          Style::kDim);
  }
  return b.Done(width);
}

}  // namespace

Layout ComputeLayout(int width, int height) {
  Layout l;
  int rows = std::max(1, height - 1);  // the key line
  if (width >= kSideMinWidth) {
    l.side = true;
    l.log_width = std::min(70, width / 3);
    l.status_width = width - l.log_width - 1;
    l.status_rows = rows;
    l.log_rows = std::max(0, rows - 1);
    return l;
  }
  l.status_width = width;
  l.log_rows = height < 30 ? 4 : height < 50 ? 6 : 10;
  // A tiny terminal shows the status only.
  if (rows - (l.log_rows + 1) < 6) l.log_rows = 0;
  l.status_rows = rows - (l.log_rows ? l.log_rows + 1 : 0);
  return l;
}

std::vector<Line> ComposeScreen(const std::vector<Line>& status,
                                const std::deque<LogEntry>& log,
                                const Layout& layout, int width, int height,
                                const RenderOptions& options,
                                ScreenView& view) {
  const std::vector<Line>& body =
      view.help ? HelpLines(options, layout.status_width) : status;
  int total = int(body.size());
  int max_scroll = std::max(0, total - layout.status_rows);
  view.scroll = std::clamp(view.scroll, 0, max_scroll);
  std::vector<Line> screen;
  for (int i = 0; i < layout.status_rows; ++i) {
    int at = view.scroll + i;
    screen.push_back(at < total ? body[size_t(at)] : Line{});
  }
  std::vector<Line> events =
      RenderLog(log, size_t(layout.log_rows),
                layout.side ? layout.log_width : width, options.utc);
  Line title = LineBuilder()
                   .Add(layout.side ? "Events:" : "-- Events ", Style::kTitle)
                   .Done(width);
  if (!layout.side && layout.log_rows > 0) {
    title.text +=
        std::string(size_t(std::max(0, width - int(title.text.size()))), '-');
    screen.push_back(title);
    for (int i = 0; i < layout.log_rows; ++i) {
      screen.push_back(i < int(events.size()) ? events[size_t(i)] : Line{});
    }
  } else if (layout.side) {
    int column = layout.status_width + 1;
    for (int i = 0; i < layout.status_rows; ++i) {
      Line right = i == 0                       ? title
                   : i - 1 < int(events.size()) ? events[size_t(i - 1)]
                                                : Line{};
      Line sep{"|", {Span{0, 1, Style::kDim}}};
      screen[size_t(i)] = Beside(
          Beside(screen[size_t(i)], layout.status_width, sep), column, right);
    }
  }
  screen.push_back(KeyLine(options, view.scroll,
                           std::min(layout.status_rows, total), total, width));
  screen.resize(size_t(std::max(height, 0)));
  return screen;
}

std::vector<Line> HelpLines(const RenderOptions& options, int width) {
  std::vector<Line> out;
  auto line = [&](std::string key, std::string what) {
    out.push_back(
        LineBuilder(2)
            .Add(key, Style::kTitle)
            .Add(std::string(size_t(std::max(1, 14 - int(key.size()))), ' ') +
                 what)
            .Done(width));
  };
  out.push_back(LineBuilder().Add("crm_mon keys", Style::kTitle).Done(width));
  out.push_back(Line{});
  line("q", "quit");
  line("?", "this help (any key closes it)");
  line("f",
       "show or hide fail counts (now " + OnOff(options.fail_counts) + ")");
  line("c", "show or hide migrate/ban constraints (now " +
                OnOff(options.constraints) + ")");
  line("n", "group resources by node or by resource (now by " +
                std::string(options.group_by_node ? "node" : "resource") + ")");
  line("Up/Down", "scroll one line");
  line("PgUp/PgDn", "scroll one page");
  line("Home/End", "top or bottom");
  out.push_back(Line{});
  out.push_back(
      LineBuilder(2)
          .Add("The screen follows the local daemon's event feed; the event "
               "log shows membership changes, transitions and failures.")
          .Done(width));
  return out;
}

}  // namespace paceline::cli::mon
