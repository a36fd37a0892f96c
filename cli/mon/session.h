// The live monitor's state, sans I/O: what came from the daemon (status
// documents, event lines, the connection coming and going) and which
// requests to send next. cli/mon/tui.cc moves the bytes and draws; this
// class decides. Every method takes the current time, so tests drive it
// with made-up times.
//
// Requests are coalesced: at most one status request is outstanding; an
// event arriving meanwhile asks for exactly one more once the answer is in.
// While idle, one status request per second catches changes that come
// with no event.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cli/mon/events.h"
#include "cli/mon/render.h"

namespace paceline::cli::mon {

class Session {
 public:
  using Steady = std::chrono::steady_clock::time_point;
  static constexpr std::chrono::milliseconds kIdleRefresh{1000};
  static constexpr std::chrono::milliseconds kReconnect{1000};
  static constexpr std::chrono::milliseconds kSlowAnswer{3000};

  explicit Session(std::string socket_path)
      : socket_path_(std::move(socket_path)) {}

  // The connection is up: the requests to send on it, in order.
  std::vector<boost::json::object> OnConnected(WallTime now, Steady tick);
  // It failed or closed (`why` says how); reconnect after kReconnect.
  void OnDisconnected(const std::string& why, WallTime now, Steady tick);
  // One line from the daemon; the requests it calls for (a status
  // request after an event, unless one is outstanding). Sets changed()
  // when the screen content changed.
  std::vector<boost::json::object> OnLine(const boost::json::object& line,
                                          WallTime now, Steady tick);
  // Time passing: the idle refresh when due.
  std::vector<boost::json::object> OnTick(Steady tick);

  bool connected() const { return connected_; }
  bool ShouldReconnect(Steady tick) const {
    return !connected_ && tick >= reconnect_at_;
  }
  // When OnTick or a reconnect next has something to do.
  Steady NextDeadline() const;
  // Whether the screen shows a ticking clock (elapsed times, an outage).
  bool Ticking() const;

  std::vector<Line> Render(const RenderOptions& options, int width,
                           WallTime now, Steady tick) const;
  const EventLog& log() const { return log_; }
  const std::optional<boost::json::object>& status() const { return status_; }

 private:
  std::vector<boost::json::object> AskStatus(Steady tick);

  std::string socket_path_;
  bool connected_ = false;
  bool ever_connected_ = false;
  Steady reconnect_at_{};
  WallTime down_since_{};
  std::string down_reason_;
  bool pending_ = false;  // a status request is outstanding
  bool again_ = false;    // an event came while it was
  Steady asked_at_{};
  Steady answered_at_{};
  std::optional<boost::json::object> status_;
  boost::json::object compared_;  // status_ without the traffic counters
  WallTime updated_{};
  EventLog log_;
};

}  // namespace paceline::cli::mon
