#include "cli/mon/session.h"

#include <algorithm>

#include "cli/mon/render_internal.h"

namespace paceline::cli::mon {
namespace json = boost::json;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

namespace {

// The document without what changes on every request (heartbeat traffic
// counters), to tell a real change from a re-read.
json::object Comparable(const json::object& status) {
  json::object copy = status;
  if (json::value* m = copy.if_contains("membership")) {
    if (m->is_object()) m->as_object().erase("traffic");
  }
  return copy;
}

}  // namespace

std::vector<json::object> Session::AskStatus(Steady tick) {
  if (!connected_) return {};
  if (pending_) {
    again_ = true;
    return {};
  }
  pending_ = true;
  again_ = false;
  asked_at_ = tick;
  return {json::object{{"op", "status"}}};
}

std::vector<json::object> Session::OnConnected(WallTime now, Steady tick) {
  connected_ = true;
  pending_ = false;
  if (ever_connected_) {
    log_.Note(now, "reconnected to the daemon", Style::kGood);
  }
  ever_connected_ = true;
  std::vector<json::object> out{json::object{{"op", "subscribe"}}};
  for (auto& r : AskStatus(tick)) out.push_back(std::move(r));
  return out;
}

void Session::OnDisconnected(const std::string& why, WallTime now,
                             Steady tick) {
  if (connected_ || down_reason_.empty()) {
    down_since_ = now;
    log_.Note(now, "daemon unreachable: " + why, Style::kBad);
    log_.Reset();
  }
  connected_ = false;
  pending_ = false;
  down_reason_ = why;
  reconnect_at_ = tick + kReconnect;
}

std::vector<json::object> Session::OnLine(const json::object& line,
                                          WallTime now, Steady tick) {
  if (line.contains("event")) {
    log_.Apply(line, now);
    return AskStatus(tick);
  }
  const json::value* st = line.if_contains("status");
  if (st == nullptr || !st->is_object()) return {};  // subscribe's answer
  pending_ = false;
  answered_at_ = tick;
  json::object comparable = Comparable(st->as_object());
  if (!status_ || comparable != compared_) {
    status_ = st->as_object();
    compared_ = std::move(comparable);
    updated_ = now;
    log_.OnStatus(*status_, now);
  }
  if (again_) return AskStatus(tick);
  return {};
}

std::vector<json::object> Session::OnTick(Steady tick) {
  if (connected_ && !pending_ && tick - answered_at_ >= kIdleRefresh) {
    return AskStatus(tick);
  }
  return {};
}

Session::Steady Session::NextDeadline() const {
  if (!connected_) return reconnect_at_;
  if (pending_) return asked_at_ + kSlowAnswer;
  return answered_at_ + kIdleRefresh;
}

bool Session::Ticking() const {
  return !connected_ || !log_.in_flight().empty() ||
         !internal::Arr(status_ ? *status_ : json::object{}, "cli_constraints")
              .empty();
}

std::vector<Line> Session::Render(const RenderOptions& options, int width,
                                  WallTime now, Steady tick) const {
  RenderInput in;
  in.status = status_ ? &*status_ : nullptr;
  in.now = now;
  in.updated = updated_;
  in.last_change = log_.last_change(options.utc);
  in.in_flight = log_.in_flight();
  if (!connected_) {
    auto down = duration_cast<milliseconds>(now - down_since_);
    in.alert = "DAEMON UNREACHABLE at " + socket_path_ + " since " +
               FormatTime(down_since_, options.utc) + " (" +
               FormatDuration(down) + "): " + down_reason_ +
               (status_ ? "; the status below is that old" : "") +
               "; reconnecting";
  } else if (pending_ && tick - asked_at_ >= kSlowAnswer) {
    in.alert = "the daemon has not answered for " +
               FormatDuration(duration_cast<milliseconds>(tick - asked_at_)) +
               "; the status below is from " +
               FormatTime(updated_, options.utc);
  } else if (!status_) {
    in.alert = "waiting for the daemon's status";
  }
  return RenderStatus(in, options, width);
}

}  // namespace paceline::cli::mon
