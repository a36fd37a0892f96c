// UdpNode: the thin Boost.Asio adapter around the Membership state machine.
// It binds one UDP socket per local link address, seals and sends what the
// state machine asks for, opens incoming datagrams (dropping and counting
// what fails), feeds the state machine with the steady and wall clocks at
// each event, and ticks it on a timer. Everything runs on the caller's
// io_context thread; the observer is called on that thread.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "membership/datagram.h"
#include "membership/membership.h"

namespace paceline::membership {

struct UdpNodeStats {
  uint64_t sent = 0;
  uint64_t send_errors = 0;
  uint64_t received = 0;
  uint64_t bad_payload = 0;  // authenticated, but not a valid heartbeat
  uint64_t unknown_sender = 0;
  uint64_t sent_bytes = 0;
};

class UdpNode {
 public:
  using ViewObserver = std::function<void(const View&)>;

  // Derives the cluster keys, binds the sockets. kInvalid/kUnavailable with
  // a one-line reason naming the address that could not be bound.
  static Result<std::unique_ptr<UdpNode>> Create(boost::asio::io_context& io,
                                                 const ClusterConfig& config,
                                                 uint32_t self_id,
                                                 const SecretKey& authkey,
                                                 uint64_t incarnation);

  // on_tilt: this node entered TILT (its loop stalled or its clock jumped).
  void Start(ViewObserver on_view, std::function<void()> on_tilt = {});
  void Stop();
  void SetConfigEpoch(ConfigEpoch e) { membership_.SetConfigEpoch(e); }
  // Lets the state machine notice a stall now (see Membership::Poll).
  void Poll();

  const Membership& membership() const { return membership_; }
  const DropCounters& drops() const { return opener_.drops(); }
  const UdpNodeStats& stats() const { return stats_; }
  // The local links: their addresses as written and whether bound.
  std::vector<LinkState> LocalLinks() const;

 private:
  UdpNode(boost::asio::io_context& io, const ClusterConfig& config,
          uint32_t self_id, const ClusterKeys& keys, uint64_t incarnation);
  struct Socket {
    boost::asio::ip::udp::socket socket;
    boost::asio::ip::udp::endpoint from;
    std::array<uint8_t, kMaxDatagramSize + 1> buffer;
    size_t link = 0;
  };

  void Receive(Socket& s);
  void Drain();
  void OnDatagram(Socket& s, size_t size);
  void ScheduleTick();
  void AfterEvent();
  void SendOutgoing();

  boost::asio::io_context& io_;
  Membership membership_;
  Sealer sealer_;
  Opener opener_;
  std::vector<std::unique_ptr<Socket>> sockets_;
  boost::asio::steady_timer timer_;
  ViewObserver on_view_;
  std::function<void()> on_tilt_;
  uint64_t tilts_seen_ = 0;
  UdpNodeStats stats_;
  bool stopped_ = false;
  bool armed_ = false;
  std::chrono::steady_clock::time_point armed_for_{};
};

}  // namespace paceline::membership
