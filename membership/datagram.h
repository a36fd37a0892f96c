// The membership wire codec, sans-I/O: bytes in, bytes out, no sockets and
// no clock. docs/membership.md describes the format; in short:
//
//   offset size field (big-endian)        all 40 header bytes are AEAD AAD
//     0     4  magic "PCLN"
//     4     1  version (1)
//     5     1  message type (1 = heartbeat)
//     6     2  reserved, must be 0
//     8     8  cluster id (first 8 bytes of SHA-256 of the cluster name)
//    16     4  sender node id
//    20     4  receiver node id
//    24     8  sender incarnation (grows across the sender's restarts)
//    32     8  sequence number (per sender incarnation and receiver)
//    40     n  payload, AES-256-GCM ciphertext
//  40+n    16  GCM tag
//
// Key: per (sender, incarnation), HKDF from the cluster key (authkey.h);
// nonce: receiver id || sequence. A nonce is therefore never reused under a
// key as long as a sender never repeats an incarnation (it must grow on
// every start) and never repeats a sequence number to one receiver.
//
// Open() checks the size against kMaxDatagramSize before it reads a byte,
// allocates nothing whose size comes from the wire (the plaintext goes into
// the caller's fixed buffer), and says why it dropped a datagram. Sealer and
// Opener each belong to one thread (the daemon's io_context thread).
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "membership/authkey.h"

namespace paceline::membership {

inline constexpr size_t kMaxDatagramSize = 1400;  // below a 1500-byte MTU
inline constexpr size_t kHeaderSize = 40;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kMaxPayloadSize =
    kMaxDatagramSize - kHeaderSize - kTagSize;
inline constexpr uint8_t kWireVersion = 1;

enum class MessageType : uint8_t { kHeartbeat = 1 };
inline constexpr uint8_t kMaxMessageType = 1;

// Why a datagram was dropped. kCount is the number of reasons.
enum class DropReason : uint8_t {
  kOversized,     // longer than kMaxDatagramSize
  kMalformed,     // too short, bad magic/version/type/reserved bits
  kWrongCluster,  // cluster id of another cluster name
  kMisdirected,   // addressed to another node id
  kAuth,          // AEAD tag mismatch: forged, corrupted, or another key
  kReplay,        // seen before, too old, or an older incarnation
  kCount
};
// "oversized", "malformed", "wrong_cluster", "misdirected", "auth", "replay".
std::string_view DropReasonName(DropReason reason);

class DropCounters {
 public:
  void Count(DropReason r) { ++counts_[size_t(r)]; }
  uint64_t Get(DropReason r) const { return counts_[size_t(r)]; }
  uint64_t Total() const;

 private:
  std::array<uint64_t, size_t(DropReason::kCount)> counts_{};
};

struct Header {
  MessageType type = MessageType::kHeartbeat;
  uint64_t cluster_id = 0;
  uint32_t sender = 0;
  uint32_t receiver = 0;
  uint64_t incarnation = 0;
  uint64_t sequence = 0;
};

// The keys of one cluster: the cluster key and the cluster id.
struct ClusterKeys {
  SecretKey key;
  uint64_t cluster_id = 0;
};
// DeriveClusterKey() plus the cluster id of the name.
Result<ClusterKeys> MakeClusterKeys(const SecretKey& authkey,
                                    std::string_view cluster_name);
uint64_t ClusterIdOf(std::string_view cluster_name);

// Anti-replay state for one sender: the newest incarnation seen and a
// 64-entry sliding bitmap of the sequence numbers at or below the highest.
// A newer incarnation resets it; an older one is a replay.
class ReplayWindow {
 public:
  static constexpr uint64_t kSize = 64;
  // True if (incarnation, sequence) would be accepted. Does not change state.
  bool Check(uint64_t incarnation, uint64_t sequence) const;
  // Records an accepted (authenticated) datagram. Precondition: Check().
  void Commit(uint64_t incarnation, uint64_t sequence);

 private:
  bool any_ = false;
  uint64_t incarnation_ = 0;
  uint64_t highest_ = 0;
  uint64_t bitmap_ = 0;  // bit i: highest_ - i seen
};

// Seals datagrams from one sender incarnation. Sequence numbers start at 1
// per receiver.
class Sealer {
 public:
  Sealer(const ClusterKeys& keys, uint32_t self_id, uint64_t incarnation);
  // kInvalid if payload exceeds kMaxPayloadSize.
  Result<std::vector<uint8_t>> Seal(uint32_t receiver, MessageType type,
                                    std::span<const uint8_t> payload);
  // Seals with an explicit header (cluster id, sender and incarnation are
  // the header's). For tests and tools; Seal() is the normal path.
  Result<std::vector<uint8_t>> SealWithHeader(const Header& header,
                                              std::span<const uint8_t> payload);

 private:
  Result<std::vector<uint8_t>> SealWith(const SecretKey& key, const Header& h,
                                        std::span<const uint8_t> payload);
  ClusterKeys keys_;
  uint32_t self_id_;
  uint64_t incarnation_;
  bool own_key_ready_ = false;
  SecretKey own_key_;  // the key of (self_id_, incarnation_), derived once
  std::unordered_map<uint32_t, uint64_t> next_sequence_;
};

struct Opened {
  bool ok = false;
  DropReason reason = DropReason::kMalformed;  // meaningful when !ok
  Header header;
  std::span<const uint8_t> payload;  // into the caller's buffer
};

// Opens datagrams addressed to one node and keeps the replay windows of
// every sender that has authenticated (so their number is bounded by the
// honest senders, not by what an attacker sends).
class Opener {
 public:
  using PayloadBuffer = std::array<uint8_t, kMaxPayloadSize>;
  Opener(const ClusterKeys& keys, uint32_t self_id);
  // Never throws, never allocates from wire data; counts every drop.
  Opened Open(std::span<const uint8_t> datagram, PayloadBuffer& buffer);
  const DropCounters& drops() const { return drops_; }

 private:
  Opened Drop(DropReason r);
  struct SenderState {
    ReplayWindow window;
    uint64_t key_incarnation = 0;
    SecretKey key;  // for key_incarnation
  };
  ClusterKeys keys_;
  uint32_t self_id_;
  std::unordered_map<uint32_t, SenderState> senders_;
  DropCounters drops_;
};

}  // namespace paceline::membership
