// The datagram codec. Open() runs its checks cheapest first and touches no
// key material until the datagram is plausibly ours: size, then the fixed
// header (magic, version, type, reserved), cluster id, receiver, the replay
// window (state only authenticated datagrams have built), and only then
// AES-256-GCM. The replay window is committed only after the tag verified.
#include "membership/datagram.h"

#include <openssl/sha.h>

#include <cstring>
#include <string>

#include "membership/wire.h"

namespace paceline::membership {
namespace {

constexpr uint8_t kMagic[4] = {'P', 'C', 'L', 'N'};
constexpr size_t kNonceSize = 12;

void EncodeHeader(const Header& h, uint8_t* out) {
  std::memcpy(out, kMagic, 4);
  out[4] = kWireVersion;
  out[5] = uint8_t(h.type);
  out[6] = out[7] = 0;
  PutBe(out + 8, h.cluster_id, 8);
  PutBe(out + 16, h.sender, 4);
  PutBe(out + 20, h.receiver, 4);
  PutBe(out + 24, h.incarnation, 8);
  PutBe(out + 32, h.sequence, 8);
}

// False if the fixed fields are not ours (magic, version, type, reserved).
bool DecodeHeader(const uint8_t* in, Header* h) {
  if (std::memcmp(in, kMagic, 4) != 0 || in[4] != kWireVersion) return false;
  if (in[5] == 0 || in[5] > kMaxMessageType || in[6] != 0 || in[7] != 0) {
    return false;
  }
  h->type = MessageType(in[5]);
  h->cluster_id = GetBe(in + 8, 8);
  h->sender = uint32_t(GetBe(in + 16, 4));
  h->receiver = uint32_t(GetBe(in + 20, 4));
  h->incarnation = GetBe(in + 24, 8);
  h->sequence = GetBe(in + 32, 8);
  return true;
}

std::array<uint8_t, kNonceSize> NonceOf(const Header& h) {
  std::array<uint8_t, kNonceSize> nonce{};
  PutBe(nonce.data(), h.receiver, 4);
  PutBe(nonce.data() + 4, h.sequence, 8);
  return nonce;
}

Result<SecretKey> SenderKey(const SecretKey& cluster_key, uint32_t sender,
                            uint64_t incarnation) {
  std::string info = "paceline/sender-key/v1:";
  uint8_t ids[12];
  PutBe(ids, sender, 4);
  PutBe(ids + 4, incarnation, 8);
  info.append(reinterpret_cast<const char*>(ids), sizeof ids);
  return HkdfSha256(cluster_key.data(), cluster_key.size(), "paceline/v1",
                    info);
}

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

// AES-256-GCM over `in` into `out` (same length); aad is the header.
bool Encrypt(const SecretKey& key, const Header& h, const uint8_t* aad,
             std::span<const uint8_t> in, uint8_t* out, uint8_t* tag) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  auto nonce = NonceOf(h);
  int len = 0;
  return ctx &&
         EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                            nonce.data()) == 1 &&
         EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad, int(kHeaderSize)) ==
             1 &&
         (in.empty() || EVP_EncryptUpdate(ctx.get(), out, &len, in.data(),
                                          int(in.size())) == 1) &&
         EVP_EncryptFinal_ex(ctx.get(), out + in.size(), &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, int(kTagSize),
                             tag) == 1;
}

bool Decrypt(const SecretKey& key, const Header& h, const uint8_t* aad,
             std::span<const uint8_t> in, const uint8_t* tag, uint8_t* out) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  auto nonce = NonceOf(h);
  uint8_t tag_copy[kTagSize];
  std::memcpy(tag_copy, tag, kTagSize);
  int len = 0;
  return ctx &&
         EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                            nonce.data()) == 1 &&
         EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad, int(kHeaderSize)) ==
             1 &&
         (in.empty() || EVP_DecryptUpdate(ctx.get(), out, &len, in.data(),
                                          int(in.size())) == 1) &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, int(kTagSize),
                             tag_copy) == 1 &&
         EVP_DecryptFinal_ex(ctx.get(), out + in.size(), &len) > 0;
}

}  // namespace

std::string_view DropReasonName(DropReason reason) {
  switch (reason) {
    case DropReason::kOversized:
      return "oversized";
    case DropReason::kMalformed:
      return "malformed";
    case DropReason::kWrongCluster:
      return "wrong_cluster";
    case DropReason::kMisdirected:
      return "misdirected";
    case DropReason::kAuth:
      return "auth";
    case DropReason::kReplay:
      return "replay";
    case DropReason::kCount:
      break;
  }
  return "unknown";
}

uint64_t DropCounters::Total() const {
  uint64_t total = 0;
  for (uint64_t c : counts_) total += c;
  return total;
}

uint64_t ClusterIdOf(std::string_view cluster_name) {
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(cluster_name.data()),
         cluster_name.size(), digest);
  return GetBe(digest, 8);
}

Result<ClusterKeys> MakeClusterKeys(const SecretKey& authkey,
                                    std::string_view cluster_name) {
  PL_ASSIGN_OR_RETURN(SecretKey key, DeriveClusterKey(authkey, cluster_name));
  return ClusterKeys{key, ClusterIdOf(cluster_name)};
}

bool ReplayWindow::Check(uint64_t incarnation, uint64_t sequence) const {
  if (!any_ || incarnation > incarnation_) return true;
  if (incarnation < incarnation_) return false;
  if (sequence > highest_) return true;
  uint64_t age = highest_ - sequence;
  if (age >= kSize) return false;
  return (bitmap_ & (uint64_t{1} << age)) == 0;
}

void ReplayWindow::Commit(uint64_t incarnation, uint64_t sequence) {
  if (!any_ || incarnation > incarnation_) {
    any_ = true;
    incarnation_ = incarnation;
    highest_ = sequence;
    bitmap_ = 1;
    return;
  }
  if (sequence > highest_) {
    uint64_t shift = sequence - highest_;
    bitmap_ = shift >= kSize ? 0 : bitmap_ << shift;
    bitmap_ |= 1;
    highest_ = sequence;
    return;
  }
  bitmap_ |= uint64_t{1} << (highest_ - sequence);
}

Sealer::Sealer(const ClusterKeys& keys, uint32_t self_id, uint64_t incarnation)
    : keys_(keys), self_id_(self_id), incarnation_(incarnation) {}

Result<std::vector<uint8_t>> Sealer::Seal(uint32_t receiver, MessageType type,
                                          std::span<const uint8_t> payload) {
  uint64_t& next = next_sequence_[receiver];
  Header h{type, keys_.cluster_id, self_id_, receiver, incarnation_, ++next};
  return SealWithHeader(h, payload);
}

Result<std::vector<uint8_t>> Sealer::SealWithHeader(
    const Header& h, std::span<const uint8_t> payload) {
  if (payload.size() > kMaxPayloadSize) {
    return Status::Invalid("payload of " + std::to_string(payload.size()) +
                           " bytes exceeds the maximum of " +
                           std::to_string(kMaxPayloadSize));
  }
  bool own = h.sender == self_id_ && h.incarnation == incarnation_;
  if (!own || !own_key_ready_) {
    PL_ASSIGN_OR_RETURN(SecretKey derived,
                        SenderKey(keys_.key, h.sender, h.incarnation));
    if (!own) return SealWith(derived, h, payload);
    own_key_ = derived;
    own_key_ready_ = true;
  }
  return SealWith(own_key_, h, payload);
}

Result<std::vector<uint8_t>> Sealer::SealWith(
    const SecretKey& key, const Header& h, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out(kHeaderSize + payload.size() + kTagSize);
  EncodeHeader(h, out.data());
  if (!Encrypt(key, h, out.data(), payload, out.data() + kHeaderSize,
               out.data() + kHeaderSize + payload.size())) {
    return Status::Invalid("AES-256-GCM encryption failed");
  }
  return out;
}

Opener::Opener(const ClusterKeys& keys, uint32_t self_id)
    : keys_(keys), self_id_(self_id) {}

Opened Opener::Drop(DropReason r) {
  drops_.Count(r);
  Opened o;
  o.reason = r;
  return o;
}

Opened Opener::Open(std::span<const uint8_t> datagram, PayloadBuffer& buffer) {
  if (datagram.size() > kMaxDatagramSize) return Drop(DropReason::kOversized);
  if (datagram.size() < kHeaderSize + kTagSize) {
    return Drop(DropReason::kMalformed);
  }
  Header h;
  if (!DecodeHeader(datagram.data(), &h)) return Drop(DropReason::kMalformed);
  if (h.cluster_id != keys_.cluster_id) return Drop(DropReason::kWrongCluster);
  if (h.receiver != self_id_) return Drop(DropReason::kMisdirected);
  auto known = senders_.find(h.sender);
  if (known != senders_.end() &&
      !known->second.window.Check(h.incarnation, h.sequence)) {
    return Drop(DropReason::kReplay);
  }
  std::span<const uint8_t> ciphertext =
      datagram.subspan(kHeaderSize, datagram.size() - kHeaderSize - kTagSize);
  const uint8_t* tag = datagram.data() + datagram.size() - kTagSize;
  SecretKey key;
  if (known != senders_.end() &&
      known->second.key_incarnation == h.incarnation) {
    key = known->second.key;
  } else {
    Result<SecretKey> derived = SenderKey(keys_.key, h.sender, h.incarnation);
    if (!derived.ok()) return Drop(DropReason::kAuth);
    key = *derived;
  }
  if (!Decrypt(key, h, datagram.data(), ciphertext, tag, buffer.data())) {
    return Drop(DropReason::kAuth);
  }
  SenderState& s = senders_[h.sender];
  s.window.Commit(h.incarnation, h.sequence);
  s.key_incarnation = h.incarnation;
  s.key = key;
  Opened o;
  o.ok = true;
  o.header = h;
  o.payload = std::span<const uint8_t>(buffer.data(), ciphertext.size());
  return o;
}

}  // namespace paceline::membership
