// One authenticated, encrypted TCP session of the reliable channel, sans-I/O:
// bytes in, bytes and messages out; no sockets, no clock, no randomness (the
// caller supplies this side's nonce). membership/channel.h is the Asio
// adapter that owns the sockets; docs/membership.md ("Reliable channel")
// describes the protocol and the failures it handles. In short:
//
//   both sides:  hello   (60 bytes, plaintext: cluster id, node id,
//                         incarnation, 32-byte random nonce, role)
//   both sides:  confirm (32 bytes: HMAC-SHA256 of the transcript hash under
//                         a key derived from the cluster key and both hellos)
//   then frames: type (1) | be24 length n <= 64 KiB | AES-256-GCM
//                ciphertext (n) | tag (16); AAD = the 4 header bytes, nonce =
//                a per-direction counter; a message is one or more frames,
//                the last of type "final".
//
// Nothing is accepted before the peer's confirm verified. Every size read
// from the wire is checked before bytes are buffered: the session never
// holds more than one frame (64 KiB + 20 bytes) of unauthenticated input,
// and a message grows only from authenticated frames, up to max_message.
// The first error is final: the session stops and says why (ChannelError).
//
// One Session belongs to one thread.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "membership/datagram.h"

namespace paceline::membership {

inline constexpr size_t kChannelNonceSize = 32;
inline constexpr size_t kHelloSize = 60;
inline constexpr size_t kConfirmSize = 32;
inline constexpr size_t kFrameHeaderSize = 4;
inline constexpr size_t kFrameTagSize = 16;
inline constexpr size_t kMaxFramePayload = 64 * 1024;
inline constexpr size_t kDefaultMaxMessage = 16 * 1024 * 1024;

using ChannelNonce = std::array<uint8_t, kChannelNonceSize>;

// Why a session (or a connection attempt) ended badly. kCount is the number
// of reasons. The first seven come from Session; the rest from the adapter.
enum class ChannelError : uint8_t {
  kMalformed,         // bad magic/version/role/reserved bits or frame type
  kWrongCluster,      // hello from another cluster name
  kUnknownNode,       // node id not in cluster.yaml (or our own id)
  kWrongPeer,         // not the node we dialed, or one that should not dial us
  kAuth,              // confirm MAC or GCM tag mismatch: other key, forged,
                      // corrupted, replayed handshake
  kOversized,         // frame length or message size over the bound
  kTruncated,         // the stream ended inside the handshake or a frame
  kStaleIncarnation,  // an older incarnation than one already seen
  kTimeout,           // connect + handshake did not finish in time
  kOverloaded,        // too many unauthenticated inbound connections
  kCount
};
// "malformed", "wrong_cluster", "unknown_node", "wrong_peer", "auth",
// "oversized", "truncated", "stale_incarnation", "timeout", "overloaded".
std::string_view ChannelErrorName(ChannelError e);

// 32 bytes from RAND_bytes; kIo if the CSPRNG fails.
Result<ChannelNonce> RandomChannelNonce();

enum class SessionRole : uint8_t { kInitiator = 1, kAcceptor = 2 };

struct SessionParams {
  ClusterKeys keys;
  uint32_t self_id = 0;
  uint64_t incarnation = 0;
  SessionRole role = SessionRole::kInitiator;
  ChannelNonce nonce{};
  size_t max_message = kDefaultMaxMessage;
  // Decides whether the node in the peer's hello may talk to us: nullopt to
  // accept, else why not (kUnknownNode, kWrongPeer, kStaleIncarnation).
  // Called before this side sends its confirm. Required.
  std::function<std::optional<ChannelError>(uint32_t peer,
                                            uint64_t incarnation)>
      vet_peer;
};

class Session {
 public:
  enum class State : uint8_t { kHello, kConfirm, kOpen, kFailed };

  // Queues this side's hello in the output at once.
  explicit Session(SessionParams params);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Feeds bytes received from the peer, in order, any chunking. Complete
  // messages are appended to *messages (only once kOpen). Returns false
  // once the session failed (error() says why); later calls do nothing.
  bool Receive(std::span<const uint8_t> bytes,
               std::vector<std::string>* messages);
  // The peer closed its side: kTruncated unless we stood between frames of
  // an open session. Returns false if that is an error.
  bool ReceiveEof();

  // Appends the frames of one message to *out. Precondition: kOpen and
  // message.size() <= max_message (kInvalid otherwise; nothing appended).
  Status Seal(std::string_view message, std::string* out);

  // Bytes to write to the peer (hello, confirm); empties the buffer.
  std::string TakeOutput();
  bool HasOutput() const { return !output_.empty(); }

  State state() const { return state_; }
  bool open() const { return state_ == State::kOpen; }
  bool failed() const { return state_ == State::kFailed; }
  ChannelError error() const { return error_; }
  // Known once the peer's hello was accepted.
  uint32_t peer_id() const { return peer_id_; }
  uint64_t peer_incarnation() const { return peer_incarnation_; }
  // True if a message is partly received (its final frame is missing).
  bool InsideMessage() const { return !message_.empty() || in_message_; }

 private:
  struct CipherDeleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
  };
  using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

  bool Fail(ChannelError e);
  // How many more bytes the unit being read (hello, confirm, frame header,
  // frame body) needs.
  size_t Needed() const;
  bool ProcessUnit(std::vector<std::string>* messages);
  bool OnHello();
  bool OnConfirm();
  bool OnFrameHeader();
  bool OnFrameBody(std::vector<std::string>* messages);
  bool DeriveKeys();

  SessionParams params_;
  State state_ = State::kHello;
  ChannelError error_ = ChannelError::kMalformed;
  std::string output_;
  std::array<uint8_t, kHelloSize> own_hello_{};
  uint32_t peer_id_ = 0;
  uint64_t peer_incarnation_ = 0;
  std::array<uint8_t, 32> expected_confirm_{};
  // The unit being read: at most one frame, never more than this.
  std::vector<uint8_t> unit_;
  size_t body_size_ = 0;  // of the frame whose header was read; 0: none yet
  bool reading_body_ = false;
  uint8_t frame_type_ = 0;
  Cipher seal_;  // our direction's AES-256-GCM key
  Cipher open_;  // the peer's direction
  uint64_t seal_counter_ = 0;
  uint64_t open_counter_ = 0;
  std::string message_;  // being assembled from authenticated frames
  bool in_message_ = false;
};

}  // namespace paceline::membership
