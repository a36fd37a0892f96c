// The channel's Asio adapter. Each completion handler first checks that the
// channel is alive (weak_ptr) and that its connection was not closed since
// the operation started, then hands bytes to the Session; all protocol
// decisions are the Session's. Connections are shared_ptrs held by their
// Peer (or pending_) and by the handlers in flight.
#include "membership/channel.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

namespace paceline::membership {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {
constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kWriteBatch = 256 * 1024;
}  // namespace

struct Channel::Connection {
  explicit Connection(asio::io_context& io) : socket(io), timer(io) {}
  tcp::socket socket;
  asio::steady_timer timer;  // connect + handshake deadline
  std::unique_ptr<Session> session;
  std::vector<uint8_t> read_buf = std::vector<uint8_t>(kReadChunk);
  std::string writing;  // in flight
  bool write_pending = false;
  bool closed = false;
  bool outgoing = false;
  bool established = false;
  uint32_t peer = 0;  // the dialed peer, or the authenticated one

  void Close() {
    if (closed) return;
    closed = true;
    error_code ignored;
    timer.cancel();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }
};

Channel::Channel(asio::io_context& io, const ClusterConfig& config,
                 uint32_t self_id, uint64_t incarnation,
                 const ClusterKeys& keys, ChannelHandler& handler,
                 ChannelOptions options)
    : io_(io),
      config_(config),
      self_id_(self_id),
      incarnation_(incarnation),
      keys_(keys),
      handler_(handler),
      options_(options),
      alive_(std::make_shared<int>(0)) {}

Channel::~Channel() { Stop(); }

Status Channel::Start() {
  if (started_ || stopped_) return Status::Invalid("channel already started");
  self_ = config_.FindNodeById(self_id_);
  if (self_ == nullptr) {
    return Status::NotFound("node id " + std::to_string(self_id_) +
                            " is not in the cluster configuration");
  }
  started_ = true;
  for (const LinkAddress& link : self_->addresses) {
    Status s = Listen(link);
    if (!s.ok()) {
      Stop();
      return s;
    }
  }
  for (const NodeConfig& node : config_.nodes) {
    if (node.id == self_id_) continue;
    Peer& p = peers_[node.id];
    p.node = &node;
    p.we_dial = self_id_ < node.id;
    p.retry = std::make_unique<asio::steady_timer>(io_);
    p.backoff = options_.backoff_initial;
  }
  for (auto& [id, p] : peers_) {
    if (p.we_dial) Dial(p);
  }
  for (size_t i = 0; i < listeners_.size(); ++i) Accept(i);
  return Status::Ok();
}

Status Channel::Listen(const LinkAddress& link) {
  tcp::endpoint ep(link.ip, config_.PortOf(link));
  auto acceptor = std::make_unique<tcp::acceptor>(io_);
  error_code ec;
  acceptor->open(ep.protocol(), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(ep, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Io("cannot listen on " + link.ip.to_string() + " port " +
                      std::to_string(ep.port()) + " (tcp): " + ec.message());
  }
  listeners_.push_back(
      {std::move(acceptor), std::make_unique<asio::steady_timer>(io_)});
  return Status::Ok();
}

void Channel::Stop() {
  if (stopped_) return;
  stopped_ = true;
  alive_.reset();
  for (Listener& l : listeners_) {
    error_code ignored;
    l.acceptor->close(ignored);
    l.rearm->cancel();
  }
  for (auto& [id, p] : peers_) {
    if (p.session) p.session->Close();
    if (p.dialing) p.dialing->Close();
    p.session.reset();
    p.dialing.reset();
    p.retry->cancel();
    p.queue.clear();
    p.queued_bytes = 0;
  }
  for (const ConnPtr& c : pending_) c->Close();
  pending_.clear();
}

void Channel::Accept(size_t index) {
  Listener& l = listeners_[index];
  std::weak_ptr<int> alive = alive_;
  l.acceptor->async_accept(
      [this, alive, index](error_code ec, tcp::socket socket) {
        if (alive.expired()) return;
        if (!ec) {
          OnAccepted(std::move(socket));
          Accept(index);
          return;
        }
        // EMFILE and friends: try again a little later rather than spin.
        listeners_[index].rearm->expires_after(Millis(100));
        listeners_[index].rearm->async_wait([this, alive, index](error_code e) {
          if (!alive.expired() && !e) Accept(index);
        });
      });
}

void Channel::OnAccepted(tcp::socket socket) {
  ++stats_.accepts;
  if (pending_.size() >= options_.max_pending_inbound) {
    ++stats_.errors[size_t(ChannelError::kOverloaded)];
    error_code ignored;
    socket.close(ignored);
    return;
  }
  auto conn = std::make_shared<Connection>(io_);
  conn->socket = std::move(socket);
  conn->outgoing = false;
  pending_.insert(conn);
  StartSession(conn);
}

void Channel::BindSource(tcp::socket& socket, size_t link_index,
                         const asio::ip::address& remote) {
  // Leave from our address of the same link, so the connection follows the
  // same path (and firewall rules) as that link's heartbeats.
  const LinkAddress* from = nullptr;
  if (link_index < self_->addresses.size() &&
      self_->addresses[link_index].ip.is_v4() == remote.is_v4()) {
    from = &self_->addresses[link_index];
  } else {
    for (const LinkAddress& a : self_->addresses) {
      if (a.ip.is_v4() == remote.is_v4()) {
        from = &a;
        break;
      }
    }
  }
  if (from == nullptr) return;
  error_code ignored;  // unbound is still a working connection
  socket.bind(tcp::endpoint(from->ip, 0), ignored);
}

void Channel::Dial(Peer& peer) {
  if (stopped_ || peer.session || peer.dialing) return;
  const LinkAddress& link = peer.node->addresses[peer.next_link];
  tcp::endpoint remote(link.ip, config_.PortOf(link));
  auto conn = std::make_shared<Connection>(io_);
  conn->outgoing = true;
  conn->peer = peer.node->id;
  peer.dialing = conn;
  ++stats_.dials;
  error_code ec;
  conn->socket.open(remote.protocol(), ec);
  if (ec) {
    Lost(conn, std::nullopt);
    return;
  }
  BindSource(conn->socket, peer.next_link, link.ip);
  std::weak_ptr<int> alive = alive_;
  conn->timer.expires_after(options_.handshake_timeout);
  conn->timer.async_wait([this, alive, conn](error_code e) {
    if (alive.expired() || conn->closed || e || conn->established) return;
    Lost(conn, ChannelError::kTimeout);
  });
  conn->socket.async_connect(remote, [this, alive, conn](error_code e) {
    if (alive.expired() || conn->closed) return;
    if (e) {
      Lost(conn, std::nullopt);
      return;
    }
    StartSession(conn);
  });
}

// Refusing a stale incarnation here, at the hello, means the other side
// never gets our confirm and never reports a session that would be dropped.
std::optional<ChannelError> Channel::VetPeer(std::optional<uint32_t> expected,
                                             uint32_t peer,
                                             uint64_t incarnation) const {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return ChannelError::kUnknownNode;
  // Outbound: the node we dialed; inbound: only lower ids dial us.
  if (expected ? peer != *expected : peer >= self_id_) {
    return ChannelError::kWrongPeer;
  }
  if (incarnation < it->second.last_incarnation) {
    return ChannelError::kStaleIncarnation;
  }
  return std::nullopt;
}

void Channel::StartSession(const ConnPtr& conn) {
  Result<ChannelNonce> nonce = RandomChannelNonce();
  if (!nonce.ok()) {
    Lost(conn, std::nullopt);
    return;
  }
  error_code ignored;
  conn->socket.set_option(tcp::no_delay(true), ignored);
  SessionParams params;
  params.keys = keys_;
  params.self_id = self_id_;
  params.incarnation = incarnation_;
  params.nonce = *nonce;
  params.max_message = options_.max_message;
  if (conn->outgoing) {
    params.role = SessionRole::kInitiator;
    params.vet_peer = [this, expected = conn->peer](uint32_t peer,
                                                    uint64_t incarnation) {
      return VetPeer(expected, peer, incarnation);
    };
  } else {
    params.role = SessionRole::kAcceptor;
    params.vet_peer = [this](uint32_t peer, uint64_t incarnation) {
      return VetPeer(std::nullopt, peer, incarnation);
    };
    std::weak_ptr<int> alive = alive_;
    conn->timer.expires_after(options_.handshake_timeout);
    conn->timer.async_wait([this, alive, conn](error_code e) {
      if (alive.expired() || conn->closed || e || conn->established) return;
      Lost(conn, ChannelError::kTimeout);
    });
  }
  conn->session = std::make_unique<Session>(std::move(params));
  Write(conn);
  Read(conn);
}

void Channel::Read(const ConnPtr& conn) {
  std::weak_ptr<int> alive = alive_;
  conn->socket.async_read_some(
      asio::buffer(conn->read_buf),
      [this, alive, conn](error_code e, size_t n) {
        if (alive.expired() || conn->closed) return;
        if (e == asio::error::eof) {
          bool clean = conn->session->ReceiveEof();
          Lost(conn,
               clean ? std::nullopt : std::optional(conn->session->error()));
          return;
        }
        if (e) {
          Lost(conn, std::nullopt);
          return;
        }
        OnRead(conn, n);
      });
}

void Channel::OnRead(const ConnPtr& conn, size_t n) {
  std::vector<std::string> messages;
  bool ok = conn->session->Receive({conn->read_buf.data(), n}, &messages);
  Write(conn);  // the confirm, right after the peer's hello
  if (ok && !conn->established && conn->session->open()) {
    if (!OnEstablished(conn)) return;
  }
  if (conn->established) Deliver(conn, messages);
  if (conn->closed) return;
  if (!ok) {
    Lost(conn, conn->session->error());
    return;
  }
  Read(conn);
}

bool Channel::OnEstablished(const ConnPtr& conn) {
  uint32_t id = conn->session->peer_id();
  uint64_t incarnation = conn->session->peer_incarnation();
  Peer& p = peers_.at(id);  // VetPeer() let only known ids this far
  conn->timer.cancel();
  conn->established = true;
  conn->peer = id;
  if (conn->outgoing) {
    p.dialing.reset();
  } else {
    pending_.erase(conn);
  }
  // The peer dialed again while we still held its old session (it
  // restarted, or its side of the connection died without a FIN).
  if (p.session) EndSession(p);
  if (stopped_) {  // Stop() from OnPeerDown; conn was in no list it closes
    conn->Close();
    return false;
  }
  p.session = conn;
  p.incarnation = incarnation;
  p.last_incarnation = incarnation;
  p.backoff = options_.backoff_initial;
  p.next_link = 0;
  ++stats_.sessions_up;
  handler_.OnPeerUp(id, incarnation);
  if (conn->closed) return false;
  Write(conn);  // anything Send() queued from OnPeerUp
  return true;
}

void Channel::Deliver(const ConnPtr& conn, std::vector<std::string>& messages) {
  uint64_t incarnation = conn->session->peer_incarnation();
  for (const std::string& m : messages) {
    if (conn->closed) return;  // Reset() or Stop() from a callback
    ++stats_.messages_received;
    stats_.bytes_received += m.size();
    handler_.OnMessage(conn->peer, incarnation, m);
  }
}

bool Channel::Send(uint32_t peer, std::string_view bytes) {
  auto it = peers_.find(peer);
  if (stopped_ || it == peers_.end() || !it->second.session ||
      bytes.size() > options_.max_message ||
      it->second.queued_bytes + bytes.size() > options_.max_queue_bytes) {
    ++stats_.send_refused;
    return false;
  }
  Peer& p = it->second;
  p.queue.emplace_back(bytes);
  p.queued_bytes += bytes.size();
  Write(p.session);
  return true;
}

bool Channel::Idle() const {
  for (const auto& [id, p] : peers_) {
    if (!p.queue.empty()) return false;
    if (p.session && !p.session->closed && p.session->write_pending) {
      return false;
    }
  }
  return true;
}

void Channel::Write(const ConnPtr& conn) {
  if (conn->closed || conn->write_pending) return;
  conn->writing = conn->session->TakeOutput();
  if (conn->established) {
    Peer& p = peers_.at(conn->peer);
    while (!p.queue.empty() && conn->writing.size() < kWriteBatch) {
      std::string& m = p.queue.front();
      if (!conn->session->Seal(m, &conn->writing).ok()) break;
      ++stats_.messages_sent;
      stats_.bytes_sent += m.size();
      p.queued_bytes -= m.size();
      p.queue.pop_front();
    }
  }
  if (conn->writing.empty()) return;
  conn->write_pending = true;
  std::weak_ptr<int> alive = alive_;
  asio::async_write(conn->socket, asio::buffer(conn->writing),
                    [this, alive, conn](error_code e, size_t) {
                      if (alive.expired() || conn->closed) return;
                      conn->write_pending = false;
                      if (e) {
                        Lost(conn, std::nullopt);
                        return;
                      }
                      Write(conn);
                    });
}

void Channel::Lost(const ConnPtr& conn, std::optional<ChannelError> error) {
  if (conn->closed) return;
  if (error) ++stats_.errors[size_t(*error)];
  conn->Close();
  pending_.erase(conn);
  auto it = peers_.find(conn->peer);
  if (it == peers_.end()) return;  // an inbound one that never authenticated
  Peer& p = it->second;
  if (p.session == conn) {
    EndSession(p);
    if (p.we_dial) ScheduleRetry(p);
  } else if (p.dialing == conn) {
    p.dialing.reset();
    DialFailed(p);
  }
}

// Ends p's session (already closed or not) and reports it.
void Channel::EndSession(Peer& p) {
  ConnPtr conn = std::move(p.session);
  p.session.reset();
  conn->Close();
  size_t dropped = p.queue.size();
  p.queue.clear();
  p.queued_bytes = 0;
  ++stats_.sessions_down;
  stats_.unsent_dropped += dropped;
  handler_.OnPeerDown(p.node->id, p.incarnation, dropped);
}

void Channel::DialFailed(Peer& p) {
  if (stopped_) return;
  ++p.next_link;
  if (p.next_link < p.node->addresses.size()) {
    Dial(p);  // the next link at once
    return;
  }
  p.next_link = 0;
  ScheduleRetry(p);
}

void Channel::ScheduleRetry(Peer& p) {
  if (stopped_ || p.retry_pending) return;
  p.retry_pending = true;
  p.retry->expires_after(p.backoff);
  p.backoff = std::min(p.backoff * 2, options_.backoff_max);
  std::weak_ptr<int> alive = alive_;
  Peer* peer = &p;  // std::map nodes do not move
  p.retry->async_wait([this, alive, peer](error_code e) {
    if (alive.expired() || e) return;
    peer->retry_pending = false;
    Dial(*peer);
  });
}

void Channel::Reset(uint32_t peer) {
  auto it = peers_.find(peer);
  if (stopped_ || it == peers_.end() || !it->second.session) return;
  Peer& p = it->second;
  EndSession(p);
  if (p.we_dial && !stopped_) ScheduleRetry(p);
}

std::optional<uint64_t> Channel::PeerIncarnation(uint32_t peer) const {
  auto it = peers_.find(peer);
  if (it == peers_.end() || !it->second.session) return std::nullopt;
  return it->second.incarnation;
}

std::vector<tcp::endpoint> Channel::ListenEndpoints() const {
  std::vector<tcp::endpoint> out;
  for (const Listener& l : listeners_) {
    error_code ec;
    tcp::endpoint ep = l.acceptor->local_endpoint(ec);
    if (!ec) out.push_back(ep);
  }
  return out;
}

}  // namespace paceline::membership
