// The Asio adapter of the membership state machine (see udp_node.h).
#include "membership/udp_node.h"

#include <boost/asio/ip/address.hpp>
#include <chrono>

namespace paceline::membership {
namespace asio = boost::asio;
using asio::ip::udp;

Result<std::unique_ptr<UdpNode>> UdpNode::Create(asio::io_context& io,
                                                 const ClusterConfig& config,
                                                 uint32_t self_id,
                                                 const SecretKey& authkey,
                                                 uint64_t incarnation) {
  const NodeConfig* self = config.FindNodeById(self_id);
  if (self == nullptr) {
    return Status::Invalid("node id " + std::to_string(self_id) +
                           " is not in the cluster configuration");
  }
  PL_ASSIGN_OR_RETURN(ClusterKeys keys,
                      MakeClusterKeys(authkey, config.cluster_name));
  std::unique_ptr<UdpNode> node(
      new UdpNode(io, config, self_id, keys, incarnation));
  for (size_t i = 0; i < self->addresses.size(); ++i) {
    const LinkAddress& a = self->addresses[i];
    udp::endpoint ep(a.ip, config.PortOf(a));
    auto s = std::make_unique<Socket>(Socket{udp::socket(io), {}, {}, i});
    boost::system::error_code ec;
    s->socket.open(ep.protocol(), ec);
    if (!ec) s->socket.bind(ep, ec);
    if (!ec) s->socket.non_blocking(true, ec);
    if (ec) {
      return Status::Unavailable("cannot bind UDP " + a.ip.to_string() + ":" +
                                 std::to_string(ep.port()) + " (link " +
                                 std::to_string(i) + " of " + self->name +
                                 "): " + ec.message());
    }
    node->sockets_.push_back(std::move(s));
  }
  return node;
}

UdpNode::UdpNode(asio::io_context& io, const ClusterConfig& config,
                 uint32_t self_id, const ClusterKeys& keys,
                 uint64_t incarnation)
    : io_(io),
      membership_(config, self_id, incarnation,
                  std::chrono::steady_clock::now(),
                  std::chrono::system_clock::now()),
      sealer_(keys, self_id, incarnation),
      opener_(keys, self_id),
      timer_(io) {}

void UdpNode::Start(ViewObserver on_view, std::function<void()> on_tilt) {
  on_view_ = std::move(on_view);
  on_tilt_ = std::move(on_tilt);
  tilts_seen_ = membership_.tilt_count();
  for (auto& s : sockets_) Receive(*s);
  ScheduleTick();
}

void UdpNode::Stop() {
  stopped_ = true;
  timer_.cancel();
  for (auto& s : sockets_) {
    boost::system::error_code ec;
    s->socket.close(ec);
  }
}

void UdpNode::Receive(Socket& s) {
  s.socket.async_receive_from(
      asio::buffer(s.buffer), s.from,
      [this, &s](const boost::system::error_code& ec, size_t n) {
        if (stopped_ || ec == asio::error::operation_aborted) return;
        if (!ec) OnDatagram(s, n);
        Drain();
        Receive(s);
      });
}

// Reads every datagram already queued on every socket (non-blocking), so a
// timer that fired late — after a stall — never judges silence before the
// heartbeats that arrived meanwhile were seen.
void UdpNode::Drain() {
  for (auto& s : sockets_) {
    for (int i = 0; i < 4096 && !stopped_; ++i) {
      boost::system::error_code ec;
      size_t n =
          s->socket.receive_from(asio::buffer(s->buffer), s->from, 0, ec);
      if (ec) break;  // would block, or an error the async read will see
      OnDatagram(*s, n);
    }
  }
}

void UdpNode::Poll() {
  membership_.Poll(std::chrono::steady_clock::now(),
                   std::chrono::system_clock::now());
  AfterEvent();
}

void UdpNode::OnDatagram(Socket& s, size_t size) {
  ++stats_.received;
  Opener::PayloadBuffer plain;
  // A datagram that filled the buffer past kMaxDatagramSize is oversized;
  // Open() counts it without reading it.
  Opened o =
      opener_.Open(std::span<const uint8_t>(s.buffer.data(), size), plain);
  if (!o.ok) return;
  Result<Heartbeat> hb = DecodeHeartbeat(o.payload);
  if (!hb.ok()) {
    ++stats_.bad_payload;
    return;
  }
  if (membership_.config().FindNodeById(o.header.sender) == nullptr) {
    ++stats_.unknown_sender;
    return;
  }
  membership_.OnHeartbeat(o.header.sender, s.link, *hb,
                          std::chrono::steady_clock::now(),
                          std::chrono::system_clock::now());
  AfterEvent();
}

// Arms the timer for the state machine's deadline, unless it already is.
void UdpNode::ScheduleTick() {
  if (armed_ && armed_for_ == membership_.deadline()) return;
  armed_for_ = membership_.deadline();
  armed_ = true;
  timer_.expires_at(armed_for_);  // cancels a pending wait, if any
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (stopped_ || ec) return;  // stopped, or re-armed for another time
    armed_ = false;
    Drain();
    membership_.OnTick(std::chrono::steady_clock::now(),
                       std::chrono::system_clock::now());
    AfterEvent();
  });
}

void UdpNode::AfterEvent() {
  SendOutgoing();
  ScheduleTick();
  if (membership_.tilt_count() != tilts_seen_) {
    tilts_seen_ = membership_.tilt_count();
    if (on_tilt_) on_tilt_();
  }
  if (auto v = membership_.TakeViewChange()) {
    if (on_view_) on_view_(*v);
  }
}

void UdpNode::SendOutgoing() {
  const ClusterConfig& config = membership_.config();
  for (const Outgoing& o : membership_.TakeOutgoing()) {
    const NodeConfig* peer = config.FindNodeById(o.to);
    if (peer == nullptr || o.link >= peer->addresses.size()) continue;
    Result<std::vector<uint8_t>> d = sealer_.Seal(o.to, MessageType::kHeartbeat,
                                                  EncodeHeartbeat(o.heartbeat));
    if (!d.ok()) {
      ++stats_.send_errors;
      continue;
    }
    const LinkAddress& a = peer->addresses[o.link];
    Socket& s = *sockets_[std::min(o.link, sockets_.size() - 1)];
    boost::system::error_code ec;
    // Non-blocking best effort: a full socket buffer loses a heartbeat,
    // which the detector tolerates like any other loss.
    s.socket.send_to(asio::buffer(*d), udp::endpoint(a.ip, config.PortOf(a)), 0,
                     ec);
    if (ec) {
      ++stats_.send_errors;
    } else {
      ++stats_.sent;
      stats_.sent_bytes += d->size();
    }
  }
}

std::vector<LinkState> UdpNode::LocalLinks() const {
  std::vector<LinkState> out;
  const NodeConfig* self =
      membership_.config().FindNodeById(membership_.self_id());
  for (size_t i = 0; self && i < self->addresses.size(); ++i) {
    out.push_back(
        LinkState{self->addresses[i].ToString(),
                  i < sockets_.size() && sockets_[i]->socket.is_open()});
  }
  return out;
}

}  // namespace paceline::membership
