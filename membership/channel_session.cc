// The channel session. Reading is one "unit" at a time (hello, confirm, frame
// header, frame body) into a buffer sized by what the unit needs, so the
// length in a frame header is checked against kMaxFramePayload and the
// message bound before a byte of the body is buffered.
#include "membership/channel_session.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

#include "membership/wire.h"

namespace paceline::membership {
namespace {

constexpr uint8_t kHelloMagic[4] = {'P', 'C', 'L', 'T'};
constexpr uint8_t kChannelVersion = 1;
constexpr uint8_t kFrameMore = 1;   // a fragment; more of the message follows
constexpr uint8_t kFrameFinal = 2;  // the last (or only) fragment
constexpr size_t kGcmNonceSize = 12;

std::array<uint8_t, kGcmNonceSize> CounterNonce(uint64_t counter) {
  std::array<uint8_t, kGcmNonceSize> nonce{};
  PutBe(nonce.data() + 4, counter, 8);
  return nonce;
}

Result<SecretKey> DeriveSessionKey(const SecretKey& cluster_key,
                                   std::string_view label,
                                   const std::array<uint8_t, 32>& transcript) {
  std::string info(label);
  info.append(reinterpret_cast<const char*>(transcript.data()),
              transcript.size());
  return HkdfSha256(cluster_key.data(), cluster_key.size(), "paceline/v1",
                    info);
}

bool HmacSha256(const SecretKey& key, const std::array<uint8_t, 32>& data,
                std::array<uint8_t, 32>* out) {
  unsigned int len = 0;
  return HMAC(EVP_sha256(), key.data(), int(key.size()), data.data(),
              data.size(), out->data(), &len) != nullptr &&
         len == out->size();
}

}  // namespace

std::string_view ChannelErrorName(ChannelError e) {
  switch (e) {
    case ChannelError::kMalformed:
      return "malformed";
    case ChannelError::kWrongCluster:
      return "wrong_cluster";
    case ChannelError::kUnknownNode:
      return "unknown_node";
    case ChannelError::kWrongPeer:
      return "wrong_peer";
    case ChannelError::kAuth:
      return "auth";
    case ChannelError::kOversized:
      return "oversized";
    case ChannelError::kTruncated:
      return "truncated";
    case ChannelError::kStaleIncarnation:
      return "stale_incarnation";
    case ChannelError::kTimeout:
      return "timeout";
    case ChannelError::kOverloaded:
      return "overloaded";
    case ChannelError::kCount:
      break;
  }
  return "unknown";
}

Result<ChannelNonce> RandomChannelNonce() {
  ChannelNonce nonce;
  if (RAND_bytes(nonce.data(), int(nonce.size())) != 1) {
    return Status::Io("cannot generate a channel nonce: RAND_bytes failed");
  }
  return nonce;
}

Session::Session(SessionParams params) : params_(std::move(params)) {
  uint8_t* h = own_hello_.data();
  std::memcpy(h, kHelloMagic, 4);
  h[4] = kChannelVersion;
  h[5] = uint8_t(params_.role);
  h[6] = h[7] = 0;
  PutBe(h + 8, params_.keys.cluster_id, 8);
  PutBe(h + 16, params_.self_id, 4);
  PutBe(h + 20, params_.incarnation, 8);
  std::memcpy(h + 28, params_.nonce.data(), kChannelNonceSize);
  output_.assign(reinterpret_cast<const char*>(h), kHelloSize);
  unit_.reserve(kHelloSize);
}

Session::~Session() {
  OPENSSL_cleanse(expected_confirm_.data(), expected_confirm_.size());
}

bool Session::Fail(ChannelError e) {
  if (state_ != State::kFailed) {
    state_ = State::kFailed;
    error_ = e;
    seal_.reset();
    open_.reset();
    message_.clear();
    message_.shrink_to_fit();
    unit_.clear();
  }
  return false;
}

size_t Session::Needed() const {
  switch (state_) {
    case State::kHello:
      return kHelloSize - unit_.size();
    case State::kConfirm:
      return kConfirmSize - unit_.size();
    case State::kOpen:
      if (!reading_body_) return kFrameHeaderSize - unit_.size();
      return kFrameHeaderSize + body_size_ + kFrameTagSize - unit_.size();
    case State::kFailed:
      break;
  }
  return 0;
}

bool Session::Receive(std::span<const uint8_t> bytes,
                      std::vector<std::string>* messages) {
  while (!bytes.empty() && state_ != State::kFailed) {
    size_t take = std::min(Needed(), bytes.size());
    unit_.insert(unit_.end(), bytes.begin(), bytes.begin() + take);
    bytes = bytes.subspan(take);
    if (Needed() == 0 && !ProcessUnit(messages)) return false;
  }
  return state_ != State::kFailed;
}

bool Session::ReceiveEof() {
  if (state_ == State::kFailed) return false;
  if (state_ != State::kOpen || !unit_.empty() || InsideMessage()) {
    return Fail(ChannelError::kTruncated);
  }
  return true;
}

bool Session::ProcessUnit(std::vector<std::string>* messages) {
  switch (state_) {
    case State::kHello:
      return OnHello();
    case State::kConfirm:
      return OnConfirm();
    case State::kOpen:
      return reading_body_ ? OnFrameBody(messages) : OnFrameHeader();
    case State::kFailed:
      break;
  }
  return false;
}

bool Session::OnHello() {
  const uint8_t* h = unit_.data();
  SessionRole peer_role = params_.role == SessionRole::kInitiator
                              ? SessionRole::kAcceptor
                              : SessionRole::kInitiator;
  if (std::memcmp(h, kHelloMagic, 4) != 0 || h[4] != kChannelVersion ||
      h[5] != uint8_t(peer_role) || h[6] != 0 || h[7] != 0) {
    return Fail(ChannelError::kMalformed);
  }
  if (GetBe(h + 8, 8) != params_.keys.cluster_id) {
    return Fail(ChannelError::kWrongCluster);
  }
  uint32_t peer = uint32_t(GetBe(h + 16, 4));
  if (peer == params_.self_id) return Fail(ChannelError::kWrongPeer);
  uint64_t incarnation = GetBe(h + 20, 8);
  if (std::optional<ChannelError> refused =
          params_.vet_peer(peer, incarnation)) {
    return Fail(*refused);
  }
  peer_id_ = peer;
  peer_incarnation_ = incarnation;
  if (!DeriveKeys()) return Fail(ChannelError::kAuth);
  unit_.clear();
  state_ = State::kConfirm;
  return true;
}

// transcript = SHA-256("paceline/channel/v1" || initiator hello || acceptor
// hello); one encryption key and one confirm key per direction from it.
bool Session::DeriveKeys() {
  bool initiator = params_.role == SessionRole::kInitiator;
  const uint8_t* hello_i = initiator ? own_hello_.data() : unit_.data();
  const uint8_t* hello_a = initiator ? unit_.data() : own_hello_.data();
  static constexpr std::string_view kLabel = "paceline/channel/v1";
  std::array<uint8_t, kLabel.size() + 2 * kHelloSize> input{};
  std::memcpy(input.data(), kLabel.data(), kLabel.size());
  std::memcpy(input.data() + kLabel.size(), hello_i, kHelloSize);
  std::memcpy(input.data() + kLabel.size() + kHelloSize, hello_a, kHelloSize);
  std::array<uint8_t, 32> transcript{};
  SHA256(input.data(), input.size(), transcript.data());
  const SecretKey& ck = params_.keys.key;
  Result<SecretKey> k_i2a =
      DeriveSessionKey(ck, "paceline/channel-key/v1:i2a", transcript);
  Result<SecretKey> k_a2i =
      DeriveSessionKey(ck, "paceline/channel-key/v1:a2i", transcript);
  Result<SecretKey> m_i2a =
      DeriveSessionKey(ck, "paceline/channel-confirm/v1:i2a", transcript);
  Result<SecretKey> m_a2i =
      DeriveSessionKey(ck, "paceline/channel-confirm/v1:a2i", transcript);
  if (!k_i2a.ok() || !k_a2i.ok() || !m_i2a.ok() || !m_a2i.ok()) return false;
  std::array<uint8_t, 32> own_confirm{};
  if (!HmacSha256(initiator ? *m_i2a : *m_a2i, transcript, &own_confirm) ||
      !HmacSha256(initiator ? *m_a2i : *m_i2a, transcript,
                  &expected_confirm_)) {
    return false;
  }
  seal_.reset(EVP_CIPHER_CTX_new());
  open_.reset(EVP_CIPHER_CTX_new());
  const SecretKey& seal_key = initiator ? *k_i2a : *k_a2i;
  const SecretKey& open_key = initiator ? *k_a2i : *k_i2a;
  if (!seal_ || !open_ ||
      EVP_EncryptInit_ex(seal_.get(), EVP_aes_256_gcm(), nullptr,
                         seal_key.data(), nullptr) != 1 ||
      EVP_DecryptInit_ex(open_.get(), EVP_aes_256_gcm(), nullptr,
                         open_key.data(), nullptr) != 1) {
    return false;
  }
  output_.append(reinterpret_cast<const char*>(own_confirm.data()),
                 own_confirm.size());
  return true;
}

bool Session::OnConfirm() {
  if (CRYPTO_memcmp(unit_.data(), expected_confirm_.data(), kConfirmSize) !=
      0) {
    return Fail(ChannelError::kAuth);
  }
  unit_.clear();
  unit_.reserve(kFrameHeaderSize + kMaxFramePayload + kFrameTagSize);
  state_ = State::kOpen;
  return true;
}

bool Session::OnFrameHeader() {
  frame_type_ = unit_[0];
  size_t n = size_t(GetBe(unit_.data() + 1, 3));
  if (frame_type_ != kFrameMore && frame_type_ != kFrameFinal) {
    return Fail(ChannelError::kMalformed);
  }
  if (frame_type_ == kFrameMore && n == 0) {
    return Fail(ChannelError::kMalformed);
  }
  if (n > kMaxFramePayload || message_.size() + n > params_.max_message) {
    return Fail(ChannelError::kOversized);
  }
  body_size_ = n;
  reading_body_ = true;
  return true;
}

bool Session::OnFrameBody(std::vector<std::string>* messages) {
  auto nonce = CounterNonce(open_counter_++);
  const uint8_t* ciphertext = unit_.data() + kFrameHeaderSize;
  uint8_t tag[kFrameTagSize];
  std::memcpy(tag, ciphertext + body_size_, kFrameTagSize);
  size_t old = message_.size();
  message_.resize(old + body_size_);
  auto* out = reinterpret_cast<uint8_t*>(message_.data() + old);
  int len = 0;
  EVP_CIPHER_CTX* c = open_.get();
  bool ok =
      EVP_DecryptInit_ex(c, nullptr, nullptr, nullptr, nonce.data()) == 1 &&
      EVP_DecryptUpdate(c, nullptr, &len, unit_.data(),
                        int(kFrameHeaderSize)) == 1 &&
      (body_size_ == 0 ||
       EVP_DecryptUpdate(c, out, &len, ciphertext, int(body_size_)) == 1) &&
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, int(kFrameTagSize), tag) ==
          1 &&
      EVP_DecryptFinal_ex(c, out + body_size_, &len) > 0;
  if (!ok) return Fail(ChannelError::kAuth);
  unit_.clear();
  reading_body_ = false;
  in_message_ = frame_type_ == kFrameMore;
  if (frame_type_ == kFrameFinal) {
    messages->push_back(std::move(message_));
    message_ = std::string();
  }
  return true;
}

Status Session::Seal(std::string_view message, std::string* out) {
  if (state_ != State::kOpen) {
    return Status::Invalid("channel session is not open");
  }
  if (message.size() > params_.max_message) {
    return Status::Invalid("message of " + std::to_string(message.size()) +
                           " bytes exceeds the channel maximum of " +
                           std::to_string(params_.max_message));
  }
  size_t start = out->size();
  size_t offset = 0;
  do {
    size_t n = std::min(kMaxFramePayload, message.size() - offset);
    bool last = offset + n == message.size();
    size_t at = out->size();
    out->resize(at + kFrameHeaderSize + n + kFrameTagSize);
    auto* f = reinterpret_cast<uint8_t*>(out->data() + at);
    f[0] = last ? kFrameFinal : kFrameMore;
    PutBe(f + 1, n, 3);
    auto nonce = CounterNonce(seal_counter_++);
    const auto* in = reinterpret_cast<const uint8_t*>(message.data() + offset);
    int len = 0;
    EVP_CIPHER_CTX* c = seal_.get();
    bool ok =
        EVP_EncryptInit_ex(c, nullptr, nullptr, nullptr, nonce.data()) == 1 &&
        EVP_EncryptUpdate(c, nullptr, &len, f, int(kFrameHeaderSize)) == 1 &&
        (n == 0 ||
         EVP_EncryptUpdate(c, f + kFrameHeaderSize, &len, in, int(n)) == 1) &&
        EVP_EncryptFinal_ex(c, f + kFrameHeaderSize + n, &len) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, int(kFrameTagSize),
                            f + kFrameHeaderSize + n) == 1;
    if (!ok) {
      // The counter moved on: the stream cannot continue in step.
      out->resize(start);
      Fail(ChannelError::kAuth);
      return Status::Invalid("AES-256-GCM encryption failed");
    }
    offset += n;
  } while (offset < message.size());
  return Status::Ok();
}

std::string Session::TakeOutput() {
  std::string out;
  out.swap(output_);
  return out;
}

}  // namespace paceline::membership
