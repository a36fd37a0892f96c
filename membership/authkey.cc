// authkey: generation (RAND_bytes), the permission-checked load, and
// HKDF-SHA256 through OpenSSL 3's EVP_KDF. The load reads through one file
// descriptor (fstat on it, then read), so the checks and the bytes are about
// the same file.
#include "membership/authkey.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "common/atomic_file.h"

namespace paceline::membership {
namespace {

std::string ModeString(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", unsigned(mode & 07777));
  return buf;
}

struct KdfDeleter {
  void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

}  // namespace

SecretKey::~SecretKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Result<SecretKey> GenerateAuthKey() {
  SecretKey key;
  if (RAND_bytes(key.data(), int(key.size())) != 1) {
    return Status::Io("cannot generate an authkey: RAND_bytes failed");
  }
  return key;
}

Status WriteAuthKey(const std::string& path, const SecretKey& key,
                    bool overwrite) {
  std::string_view bytes(reinterpret_cast<const char*>(key.data()), key.size());
  return WriteFileAtomically(path, bytes,
                             {.mode = 0400, .overwrite = overwrite});
}

Result<SecretKey> LoadAuthKey(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0 && errno == ENOENT) {
    return Status::NotFound("authkey " + path +
                            " not found: create one with `paceline cluster "
                            "setup`");
  }
  if (fd < 0) {
    return Status::Io("authkey " + path +
                      ": cannot open: " + std::strerror(errno));
  }
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return Status::Io("authkey " + path +
                      ": stat failed: " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::Invalid("authkey " + path + " is not a regular file");
  }
  if ((st.st_mode & 0177) != 0) {
    return Status::Invalid(
        "authkey " + path + " is mode " + ModeString(st.st_mode) +
        "; it must be 0400 or 0600 (chmod 0400 " + path + ")");
  }
  if (st.st_size != off_t(kAuthKeySize)) {
    return Status::Invalid("authkey " + path + " is " +
                           std::to_string(st.st_size) + " bytes; expected " +
                           std::to_string(kAuthKeySize) +
                           " (create a new one with `paceline cluster setup "
                           "--force` and copy it to every node)");
  }
  SecretKey key;
  size_t got = 0;
  while (got < key.size()) {
    ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::Io("authkey " + path + ": short read");
    }
    got += size_t(n);
  }
  return key;
}

Result<SecretKey> HkdfSha256(const uint8_t* ikm, size_t ikm_len,
                             std::string_view salt, std::string_view info) {
  std::unique_ptr<EVP_KDF, KdfDeleter> kdf(
      EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) return Status::Invalid("HKDF is not available in this OpenSSL");
  std::unique_ptr<EVP_KDF_CTX, KdfDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return Status::Invalid("HKDF: out of memory");
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                        const_cast<uint8_t*>(ikm), ikm_len),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
      OSSL_PARAM_construct_end()};
  SecretKey out;
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    return Status::Invalid("HKDF-SHA256 derivation failed");
  }
  return out;
}

Result<SecretKey> DeriveClusterKey(const SecretKey& authkey,
                                   std::string_view cluster_name) {
  return HkdfSha256(authkey.data(), authkey.size(), "paceline/v1",
                    "paceline/cluster-key/v1:" + std::string(cluster_name));
}

}  // namespace paceline::membership
