// The ncurses adapter around Session: poll() on the terminal, the daemon
// connection and a self-pipe for SIGWINCH/SIGINT/SIGTERM; draw only the
// rows that differ from the previous frame (ncurses then sends only the
// changed characters).
#include "cli/mon/tui.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "cli/mon/screen.h"
#include "cli/mon/session.h"
#include "crmd/ipc_server.h"

// Last: curses defines macros (timeout, erase, ...) that clash with Asio.
#include <curses.h>

namespace paceline::cli::mon {
namespace json = boost::json;

namespace {

int g_wake_fd = -1;  // the self-pipe's write end
volatile sig_atomic_t g_quit = 0;
struct sigaction g_curses_winch {};  // ncurses' own SIGWINCH handler

void OnSignal(int sig) {
  if (sig == SIGINT || sig == SIGTERM) g_quit = 1;
  if (sig == SIGWINCH) {
    if (g_curses_winch.sa_flags & SA_SIGINFO) {
      if (g_curses_winch.sa_sigaction) {
        g_curses_winch.sa_sigaction(sig, nullptr, nullptr);
      }
    } else if (g_curses_winch.sa_handler != SIG_DFL &&
               g_curses_winch.sa_handler != SIG_IGN &&
               g_curses_winch.sa_handler != nullptr) {
      g_curses_winch.sa_handler(sig);
    }
  }
  int saved = errno;
  char c = 1;
  ssize_t ignored = write(g_wake_fd, &c, 1);
  (void)ignored;
  errno = saved;
}

// Lines from the daemon's socket, read without blocking.
class LineReader {
 public:
  // Appends what is readable; false when the peer closed or failed.
  bool Fill(int fd) {
    char buf[65536];
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n > 0) {
        in_.append(buf, size_t(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
      return false;
    }
  }
  std::optional<json::object> Next() {
    size_t nl = in_.find('\n');
    if (nl == std::string::npos) return std::nullopt;
    boost::system::error_code ec;
    json::value v = json::parse(std::string_view(in_).substr(0, nl), ec);
    in_.erase(0, nl + 1);
    if (ec || !v.is_object()) return json::object{};
    return std::move(v.as_object());
  }
  void Clear() { in_.clear(); }

 private:
  std::string in_;
};

class Terminal {
 public:
  explicit Terminal(bool no_color) {
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    color_ = !no_color && has_colors();
    if (color_) {
      start_color();
      use_default_colors();
      init_pair(1, COLOR_GREEN, -1);
      init_pair(2, COLOR_YELLOW, -1);
      init_pair(3, COLOR_RED, -1);
    }
  }
  ~Terminal() { endwin(); }

  void Draw(const std::vector<Line>& frame) {
    if (frame.size() != drawn_.size()) {
      drawn_.assign(frame.size(), Line{"\x01", {}});  // all rows differ
    }
    for (size_t y = 0; y < frame.size(); ++y) {
      if (frame[y] == drawn_[y]) continue;
      bool keys = y + 1 == frame.size();
      move(int(y), 0);
      attrset(keys ? A_REVERSE : A_NORMAL);
      clrtoeol();
      const Line& l = frame[y];
      int width = COLS - (keys ? 1 : 0);  // never the bottom-right cell
      int at = 0;
      for (const Span& s : l.spans) {
        Put(l.text, at, s.start, keys ? A_REVERSE : A_NORMAL, width);
        Put(l.text, s.start, s.start + s.length,
            Attr(s.style) | (keys ? A_REVERSE : 0), width);
        at = s.start + s.length;
      }
      Put(l.text, at, int(l.text.size()), keys ? A_REVERSE : A_NORMAL, width);
      if (keys) {
        attrset(A_REVERSE);
        for (int x = int(l.text.size()); x < width; ++x) addch(' ');
      }
      attrset(A_NORMAL);
    }
    drawn_ = frame;
    refresh();
  }
  void Invalidate() { drawn_.clear(); }

 private:
  attr_t Attr(Style s) const {
    switch (s) {
      case Style::kTitle:
        return A_BOLD;
      case Style::kGood:
        return color_ ? COLOR_PAIR(1) : A_NORMAL;
      case Style::kWarn:
        return color_ ? COLOR_PAIR(2) | A_BOLD : A_BOLD;
      case Style::kBad:
        return color_ ? COLOR_PAIR(3) | A_BOLD : A_BOLD;
      case Style::kDim:
        return A_DIM;
      case Style::kNormal:
        break;
    }
    return A_NORMAL;
  }
  static void Put(const std::string& text, int from, int to, attr_t attr,
                  int width) {
    to = std::min(to, width);
    if (from >= to) return;
    attrset(attr);
    addnstr(text.data() + from, to - from);
  }

  bool color_ = false;
  std::vector<Line> drawn_;
};

class Loop {
 public:
  Loop(const std::string& socket, RenderOptions options, bool no_color)
      : socket_(socket), options_(options), session_(socket), term_(no_color) {}

  int Run(int wake_read) {
    while (!g_quit && !quit_) {
      auto tick = std::chrono::steady_clock::now();
      if (session_.ShouldReconnect(tick)) Connect();
      Send(session_.OnTick(tick));
      Draw();
      pollfd fds[3] = {{0, POLLIN, 0},
                       {wake_read, POLLIN, 0},
                       {client_ ? client_->fd() : -1, POLLIN, 0}};
      int r = poll(fds, 3, Timeout());
      if (r < 0 && errno != EINTR) return 1;
      if (fds[1].revents & POLLIN) {
        char buf[64];
        while (read(wake_read, buf, sizeof buf) > 0) {
        }
      }
      Keys();
      if (client_ && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
        Receive();
      }
    }
    return 0;
  }

 private:
  WallTime Now() const { return std::chrono::system_clock::now(); }

  void Connect() {
    auto tick = std::chrono::steady_clock::now();
    auto c = crmd::IpcClient::Connect(socket_);
    if (!c.ok()) {
      session_.OnDisconnected(Reason(c.status().message()), Now(), tick);
      return;
    }
    client_.emplace(std::move(*c));
    fcntl(client_->fd(), F_SETFL, fcntl(client_->fd(), F_GETFL) | O_NONBLOCK);
    reader_.Clear();
    Send(session_.OnConnected(Now(), tick));
  }

  // "cannot reach the paceline daemon at P (No such file...)" -> the reason.
  static std::string Reason(const std::string& message) {
    size_t open = message.rfind('(');
    if (open == std::string::npos || message.back() != ')') return message;
    return message.substr(open + 1, message.size() - open - 2);
  }

  void Drop(const std::string& why) {
    client_.reset();
    session_.OnDisconnected(why, Now(), std::chrono::steady_clock::now());
  }

  void Send(const std::vector<json::object>& requests) {
    for (const auto& r : requests) {
      if (!client_) return;
      if (!client_->Send(r).ok()) Drop("the connection broke");
    }
  }

  void Receive() {
    bool open = reader_.Fill(client_->fd());
    while (auto line = reader_.Next()) {
      Send(session_.OnLine(*line, Now(), std::chrono::steady_clock::now()));
      if (!client_) return;
    }
    if (!open) Drop("the daemon closed the connection");
  }

  void Keys() {
    for (int ch; (ch = getch()) != ERR;) {
      if (view_.help && ch != KEY_RESIZE) {
        view_.help = false;
        continue;
      }
      int page = std::max(1, layout_.status_rows - 1);
      switch (ch) {
        case 'q':
        case 'Q':
          quit_ = true;
          return;
        case '?':
        case 'h':
          view_.help = true;
          break;
        case 'f':
          options_.fail_counts = !options_.fail_counts;
          break;
        case 'c':
          options_.constraints = !options_.constraints;
          break;
        case 'n':
          options_.group_by_node = !options_.group_by_node;
          break;
        case KEY_UP:
        case 'k':
          --view_.scroll;
          break;
        case KEY_DOWN:
        case 'j':
          ++view_.scroll;
          break;
        case KEY_PPAGE:
          view_.scroll -= page;
          break;
        case KEY_NPAGE:
        case ' ':
          view_.scroll += page;
          break;
        case KEY_HOME:
          view_.scroll = 0;
          break;
        case KEY_END:
          view_.scroll = 1 << 20;
          break;
        case KEY_RESIZE:
          term_.Invalidate();
          break;
        default:
          break;
      }
    }
  }

  void Draw() {
    auto tick = std::chrono::steady_clock::now();
    layout_ = ComputeLayout(COLS, LINES);
    std::vector<Line> status =
        session_.Render(options_, layout_.status_width, Now(), tick);
    term_.Draw(ComposeScreen(status, session_.log().entries(), layout_, COLS,
                             LINES, options_, view_));
  }

  int Timeout() const {
    using std::chrono::milliseconds;
    auto now = std::chrono::steady_clock::now();
    auto wait =
        std::chrono::duration_cast<milliseconds>(session_.NextDeadline() - now);
    long long ms = std::clamp<long long>(wait.count(), 0, 1000);
    if (session_.Ticking()) {
      // Wake at the next whole second of the wall clock, for elapsed times.
      auto since =
          std::chrono::duration_cast<milliseconds>(Now().time_since_epoch());
      ms = std::min<long long>(ms, 1000 - since.count() % 1000);
    }
    return int(ms);
  }

  std::string socket_;
  RenderOptions options_;
  Session session_;
  Terminal term_;
  std::optional<crmd::IpcClient> client_;
  LineReader reader_;
  ScreenView view_;
  Layout layout_;
  bool quit_ = false;
};

}  // namespace

int RunTui(const std::string& socket_path, RenderOptions options, bool no_color,
           std::ostream& err) {
  if (!isatty(0) || !isatty(1)) {
    err << "ERROR: crm_mon: the live screen needs a terminal (use -1 for "
           "one shot)\n";
    return 2;
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    err << "ERROR: crm_mon: pipe: " << std::strerror(errno) << "\n";
    return 1;
  }
  g_wake_fd = pipe_fds[1];
  int rc = 0;
  {
    Loop loop(socket_path, options, no_color);
    // After initscr (in Loop's Terminal): keep ncurses' resize handling and
    // wake poll() too.
    struct sigaction sa {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, &g_curses_winch);
    struct sigaction quit {};
    quit.sa_handler = OnSignal;
    sigemptyset(&quit.sa_mask);
    sigaction(SIGINT, &quit, nullptr);
    sigaction(SIGTERM, &quit, nullptr);
    signal(SIGPIPE, SIG_IGN);
    rc = loop.Run(pipe_fds[0]);
    sigaction(SIGWINCH, &g_curses_winch, nullptr);
  }
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  g_wake_fd = -1;
  return rc;
}

}  // namespace paceline::cli::mon
