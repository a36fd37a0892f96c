// IpcServer: the daemon's local socket (a Unix stream socket, mode 0600).
// The protocol is one JSON object per line in each direction: a request
// {"op": "status", ...} gets exactly one response line {"ok": true, ...}
// or {"ok": false, "error": "one line"}. A connection may carry many
// requests. Lines are bounded (kMaxRequestBytes); a longer one closes the
// connection, and so does a client that lets more than kMaxQueuedAnswers
// answers pile up unread. The peer's credentials (SO_PEERCRED) travel with each
// request: a non-root peer may only read.
//
// {"op": "subscribe"} turns a connection into an event feed as well: it is
// answered {"ok": true, "op": "subscribe"} and then gets every Publish()ed
// event line ({"event": ...}), interleaved with the answers to any further
// requests on it. A subscriber that lets kMaxQueuedAnswers lines pile up
// unread is disconnected.
//
// Runs on the daemon's io_context thread; the handler is called there.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/unique_fd.h"

namespace paceline::crmd {

inline constexpr size_t kMaxRequestBytes = 16 << 20;
inline constexpr size_t kMaxQueuedAnswers = 64;

struct Peer {
  int pid = -1;
  unsigned uid = ~0u;
  bool root() const { return uid == 0; }
};

// Called once per request; `respond` may be called later (e.g. when the
// cluster has done what was asked), exactly once.
using Responder = std::function<void(boost::json::object response)>;
using RequestHandler = std::function<void(
    const Peer& peer, const boost::json::object& request, Responder respond)>;

class IpcServer {
 public:
  IpcServer(boost::asio::io_context& io, RequestHandler handler);
  ~IpcServer();
  // Creates the socket's directory if missing (0750), refuses when another
  // daemon answers on `path`, replaces a stale socket file, binds with mode
  // 0600.
  Status Listen(const std::string& path);
  void Stop();
  // Sends event to every subscribed connection.
  void Publish(const boost::json::object& event);

 private:
  class Connection;
  void Accept();
  void AcceptLater();

  boost::asio::io_context& io_;
  RequestHandler handler_;
  std::unique_ptr<boost::asio::local::stream_protocol::acceptor> acceptor_;
  std::unique_ptr<boost::asio::steady_timer> retry_;
  std::vector<std::weak_ptr<Connection>> connections_;  // closed on Stop()
  std::string path_;
};

// Client side, blocking, for the CLI: sends one request and returns the
// response object. kUnavailable "cannot reach the paceline daemon at PATH
// (reason)" when nobody listens. A refusal is the daemon's message, with
// its "code": conflict -> kConflict, unavailable -> kUnavailable, else
// kInvalid.
// Client side of a conversation on one connection (event feeds, --wait):
// requests out, lines in.
class IpcClient {
 public:
  // kUnavailable "cannot reach the paceline daemon at PATH (reason)".
  static Result<IpcClient> Connect(const std::string& socket_path);
  Status Send(const boost::json::object& request);
  // The next line; kUnavailable when the daemon closed the connection or
  // nothing came within timeout.
  Result<boost::json::object> Next(std::chrono::milliseconds timeout);
  int fd() const { return fd_.get(); }

 private:
  Status Unreachable(const std::string& why) const;
  UniqueFd fd_;
  std::string in_;
  std::string path_;
};

// An answer line as a Status: ok, or the daemon's message with its "code"
// (conflict -> kConflict, unavailable -> kUnavailable, else kInvalid).
Status AnswerStatus(const boost::json::object& answer);

Result<boost::json::object> Request(const std::string& socket_path,
                                    const boost::json::object& request,
                                    std::chrono::milliseconds timeout);

}  // namespace paceline::crmd
