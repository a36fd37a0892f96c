// The reliable channel: one authenticated, encrypted TCP connection per pair
// of cluster members, carrying ordered messages of up to 16 MiB (CIB sync,
// action requests and results). The Boost.Asio adapter around Session
// (membership/channel_session.h, the protocol); docs/membership.md
// ("Reliable channel") has the design and the failure cases.
//
// Who connects: the node with the lower id dials the higher one, on the
// cluster port over TCP (the UDP port's number), trying the peer's links in
// order, from our own address of the same link; the higher id only accepts.
// So there is never a simultaneous dial to break ties on. Peers are
// authenticated by the cluster key, not by address.
//
// Delivery: per peer, messages arrive in the order Send() accepted them, each
// at most once, for as long as one session lives. Send() succeeds only while
// the peer is up (between OnPeerUp and OnPeerDown) and its unsent queue has
// room. When the session ends (EOF, error, Reset(), a newer session from the
// same peer), OnPeerDown reports it and the messages still queued are
// dropped, their number passed along; messages already handed to TCP may or
// may not have arrived. The dialing side reconnects with exponential backoff
// (50 ms doubling to 1 s by default) for as long as the channel runs; a new
// session is a new OnPeerUp, with the peer's incarnation (new if it
// restarted). A peer whose incarnation is older than one already seen is
// refused (kStaleIncarnation).
//
// Threading: every method and every callback runs on the one thread that runs
// the io_context; no locks, no threads of its own. Callbacks may call Send(),
// Reset() and Stop(), but must not destroy the Channel. Destroy the Channel
// before its io_context. Stop() is final and calls no callbacks.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "membership/channel_session.h"
#include "membership/cluster_config.h"

namespace paceline::membership {

struct ChannelOptions {
  size_t max_message = kDefaultMaxMessage;    // per message, both ways
  size_t max_queue_bytes = 64 * 1024 * 1024;  // unsent bytes per peer
  Millis backoff_initial{50};
  Millis backoff_max{1000};
  Millis handshake_timeout{2000};   // TCP connect + hello + confirm
  size_t max_pending_inbound = 16;  // unauthenticated inbound connections
};

// The upper layer (membership, the controller). Called on the io_context
// thread; see the header comment for what may be called back.
class ChannelHandler {
 public:
  virtual ~ChannelHandler() = default;
  virtual void OnPeerUp(uint32_t peer, uint64_t incarnation) = 0;
  // unsent_dropped: messages Send() accepted that were never handed to TCP.
  virtual void OnPeerDown(uint32_t peer, uint64_t incarnation,
                          size_t unsent_dropped) = 0;
  // bytes is valid only during the call.
  virtual void OnMessage(uint32_t peer, uint64_t incarnation,
                         std::string_view bytes) = 0;
};

struct ChannelStats {
  // Connections closed by reason; the names are ChannelErrorName().
  std::array<uint64_t, size_t(ChannelError::kCount)> errors{};
  uint64_t Error(ChannelError e) const { return errors[size_t(e)]; }
  uint64_t dials = 0;    // outgoing connection attempts
  uint64_t accepts = 0;  // inbound TCP connections
  uint64_t sessions_up = 0;
  uint64_t sessions_down = 0;
  uint64_t messages_sent = 0;  // sealed and handed to TCP
  uint64_t messages_received = 0;
  uint64_t bytes_sent = 0;  // message bytes, before framing
  uint64_t bytes_received = 0;
  uint64_t unsent_dropped = 0;  // queued messages dropped at OnPeerDown
  uint64_t send_refused = 0;    // Send() returned false
};

class Channel {
 public:
  // The config and keys are copied. self_id must be a node of config.
  Channel(boost::asio::io_context& io, const ClusterConfig& config,
          uint32_t self_id, uint64_t incarnation, const ClusterKeys& keys,
          ChannelHandler& handler, ChannelOptions options = {});
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Listens on each of our own links (TCP, the link's port) and starts
  // dialing the peers with higher ids. kNotFound if self_id is not in the
  // config, kIo naming the address if a listener cannot be bound; nothing
  // is left running on failure.
  Status Start();

  // Queues one message for peer. False (and nothing queued) if the peer is
  // not up, unknown, the message exceeds max_message, or the queue is full.
  bool Send(uint32_t peer, std::string_view bytes);

  // Ends the peer's session now (membership declared it dead): OnPeerDown is
  // called before Reset returns if it was up. The dialing side reconnects
  // after backoff_initial; the other side waits for the peer to dial.
  void Reset(uint32_t peer);

  // Closes everything; no callbacks, no reconnects. Final.
  void Stop();
  // Nothing queued or being written to any peer (a graceful exit waits for
  // this, bounded, so its last messages are not lost).
  bool Idle() const;

  // The peer's incarnation while it is up.
  std::optional<uint64_t> PeerIncarnation(uint32_t peer) const;
  // The local TCP endpoints being listened on (after Start()).
  std::vector<boost::asio::ip::tcp::endpoint> ListenEndpoints() const;
  const ChannelStats& stats() const { return stats_; }

 private:
  struct Connection;
  using ConnPtr = std::shared_ptr<Connection>;
  struct Peer {
    const NodeConfig* node = nullptr;
    bool we_dial = false;
    ConnPtr session;                // established
    ConnPtr dialing;                // connect or handshake in progress
    uint64_t incarnation = 0;       // of session
    uint64_t last_incarnation = 0;  // newest ever seen
    std::deque<std::string> queue;
    size_t queued_bytes = 0;
    std::unique_ptr<boost::asio::steady_timer> retry;
    bool retry_pending = false;
    Millis backoff{0};
    size_t next_link = 0;
  };
  struct Listener {
    std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;
    std::unique_ptr<boost::asio::steady_timer> rearm;  // after accept errors
  };

  Status Listen(const LinkAddress& link);
  void Accept(size_t index);
  void OnAccepted(boost::asio::ip::tcp::socket socket);
  void Dial(Peer& peer);
  void BindSource(boost::asio::ip::tcp::socket& socket, size_t link_index,
                  const boost::asio::ip::address& remote);
  void StartSession(const ConnPtr& conn);
  void Read(const ConnPtr& conn);
  void OnRead(const ConnPtr& conn, size_t n);
  bool OnEstablished(const ConnPtr& conn);
  void Deliver(const ConnPtr& conn, std::vector<std::string>& messages);
  void Write(const ConnPtr& conn);
  // Closes conn and updates its peer; error is counted if set.
  void Lost(const ConnPtr& conn, std::optional<ChannelError> error);
  void EndSession(Peer& peer);
  void DialFailed(Peer& peer);
  void ScheduleRetry(Peer& peer);
  std::optional<ChannelError> VetPeer(std::optional<uint32_t> expected,
                                      uint32_t peer,
                                      uint64_t incarnation) const;

  boost::asio::io_context& io_;
  ClusterConfig config_;
  const NodeConfig* self_ = nullptr;
  uint32_t self_id_;
  uint64_t incarnation_;
  ClusterKeys keys_;
  ChannelHandler& handler_;
  ChannelOptions options_;
  bool started_ = false;
  bool stopped_ = false;
  // Handlers hold a weak_ptr to this: after Stop() they touch nothing.
  std::shared_ptr<int> alive_;
  std::vector<Listener> listeners_;
  std::map<uint32_t, Peer> peers_;
  std::set<ConnPtr> pending_;  // inbound, not yet authenticated
  ChannelStats stats_;
};

}  // namespace paceline::membership
