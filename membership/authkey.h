// The cluster's shared secret (/etc/paceline/authkey) and the keys derived
// from it.
//
// The authkey is 32 random bytes, raw, mode 0400 (0600 is accepted), owned
// by the daemon's user. LoadAuthKey() refuses a missing file, one that
// group or others may read or write, and one of the wrong size, with a
// message that says how to fix it. Keys are wiped from memory when they go
// out of scope.
//
// Key derivation (HKDF-SHA256, RFC 5869), bound to the cluster name so two
// clusters sharing an authkey by mistake still cannot talk to each other:
//   cluster key = HKDF(ikm = authkey, salt = "paceline/v1",
//                      info = "paceline/cluster-key/v1:" + cluster_name)
// The datagram codec derives per-sender keys from the cluster key
// (membership/datagram.h). Pure functions apart from the file I/O ones.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace paceline::membership {

inline constexpr size_t kAuthKeySize = 32;

// 32 secret bytes, cleansed on destruction.
class SecretKey {
 public:
  SecretKey() { bytes_.fill(0); }
  SecretKey(const SecretKey& other) = default;
  SecretKey& operator=(const SecretKey& other) = default;
  ~SecretKey();
  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  static constexpr size_t size() { return kAuthKeySize; }
  bool operator==(const SecretKey& o) const { return bytes_ == o.bytes_; }

 private:
  std::array<uint8_t, kAuthKeySize> bytes_;
};

// 32 bytes from OpenSSL's CSPRNG (RAND_bytes); kIo if it fails.
Result<SecretKey> GenerateAuthKey();

// Writes the key atomically with mode 0400. Without overwrite an existing
// file is kConflict and left untouched.
Status WriteAuthKey(const std::string& path, const SecretKey& key,
                    bool overwrite);

// kNotFound if missing; kInvalid if group/other bits (or owner execute) are
// set, if it is not a regular file, or if it is not exactly 32 bytes.
Result<SecretKey> LoadAuthKey(const std::string& path);

// The cluster key (see the header comment); kInvalid if HKDF fails.
Result<SecretKey> DeriveClusterKey(const SecretKey& authkey,
                                   std::string_view cluster_name);

// HKDF-SHA256 with explicit salt and info, 32 bytes out: the one primitive
// both derivations use (exposed for the codec and for tests against the
// RFC 5869 vectors' construction).
Result<SecretKey> HkdfSha256(const uint8_t* ikm, size_t ikm_len,
                             std::string_view salt, std::string_view info);

}  // namespace paceline::membership
