// authkey: generation and atomic 0400 write, the permission and size checks
// of the load (with the fix in the message), and HKDF key derivation.
#include "membership/authkey.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/atomic_file.h"

namespace paceline::membership {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class AuthKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("paceline-authkey-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "authkey").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  void WriteRaw(const std::string& bytes, mode_t mode) {
    std::ofstream(path_, std::ios::binary) << bytes;
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
  }
  fs::path dir_;
  std::string path_;
};

TEST_F(AuthKeyTest, GeneratedKeysDifferAndAreWritten0400) {
  Result<SecretKey> a = GenerateAuthKey();
  Result<SecretKey> b = GenerateAuthKey();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(*a == *b);
  ASSERT_TRUE(WriteAuthKey(path_, *a, false).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0400u);
  EXPECT_EQ(st.st_size, 32);
  Result<SecretKey> loaded = LoadAuthKey(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(*loaded == *a);
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);
}

TEST_F(AuthKeyTest, WriteRefusesToOverwriteUnlessAsked) {
  SecretKey a = *GenerateAuthKey();
  SecretKey b = *GenerateAuthKey();
  ASSERT_TRUE(WriteAuthKey(path_, a, false).ok());
  Status st = WriteAuthKey(path_, b, false);
  EXPECT_EQ(st.code(), StatusCode::kConflict);
  EXPECT_TRUE(*LoadAuthKey(path_) == a);
  ASSERT_TRUE(WriteAuthKey(path_, b, true).ok());
  EXPECT_TRUE(*LoadAuthKey(path_) == b);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);
}

TEST_F(AuthKeyTest, MissingKeySaysHowToCreateOne) {
  Result<SecretKey> k = LoadAuthKey(path_);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(k.status().message(), "authkey " + path_ +
                                      " not found: create one with `paceline "
                                      "cluster setup`");
}

TEST_F(AuthKeyTest, Mode0644IsRefusedWithTheFix) {
  WriteRaw(std::string(32, 'k'), 0644);
  Result<SecretKey> k = LoadAuthKey(path_);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().message(),
            "authkey " + path_ +
                " is mode 0644; it must be 0400 or 0600 (chmod 0400 " + path_ +
                ")");
}

TEST_F(AuthKeyTest, EveryGroupOrOtherBitIsRefused) {
  for (mode_t mode : {0440, 0420, 0410, 0404, 0402, 0401, 0500, 0700}) {
    WriteRaw(std::string(32, 'k'), mode);
    EXPECT_FALSE(LoadAuthKey(path_).ok()) << std::oct << mode;
  }
}

TEST_F(AuthKeyTest, Modes0400And0600AreAccepted) {
  for (mode_t mode : {0400, 0600}) {
    WriteRaw(std::string(32, 'k'), mode);
    Result<SecretKey> k = LoadAuthKey(path_);
    EXPECT_TRUE(k.ok()) << k.status().message();
    ::chmod(path_.c_str(), 0600);
  }
}

TEST_F(AuthKeyTest, WrongSizesAreRefused) {
  for (size_t size : {0, 1, 31, 33, 4096}) {
    ::chmod(path_.c_str(), 0600);
    WriteRaw(std::string(size, 'k'), 0400);
    Result<SecretKey> k = LoadAuthKey(path_);
    ASSERT_FALSE(k.ok()) << size;
    EXPECT_THAT(k.status().message(), HasSubstr("is " + std::to_string(size) +
                                                " bytes; expected 32"));
  }
}

TEST_F(AuthKeyTest, DirectoryIsRefused) {
  fs::create_directory(path_);
  ::chmod(path_.c_str(), 0700);
  EXPECT_FALSE(LoadAuthKey(path_).ok());
}

TEST(KeyDerivationTest, BoundToClusterNameAndKey) {
  SecretKey a = *GenerateAuthKey();
  SecretKey b = *GenerateAuthKey();
  SecretKey a1 = *DeriveClusterKey(a, "hapg");
  EXPECT_TRUE(*DeriveClusterKey(a, "hapg") == a1);  // deterministic
  EXPECT_FALSE(*DeriveClusterKey(a, "hapg2") == a1);
  EXPECT_FALSE(*DeriveClusterKey(b, "hapg") == a1);
  EXPECT_FALSE(a1 == a);
}

TEST(KeyDerivationTest, MatchesRfc5869TestCase1Prefix) {
  // RFC 5869 A.1: IKM = 22 x 0x0b, salt 0x00..0x0c, info 0xf0..0xf9.
  uint8_t ikm[22];
  std::fill(std::begin(ikm), std::end(ikm), 0x0b);
  std::string salt, info;
  for (int i = 0; i <= 0x0c; ++i) salt += char(i);
  for (int i = 0xf0; i <= 0xf9; ++i) info += char(i);
  Result<SecretKey> okm = HkdfSha256(ikm, sizeof ikm, salt, info);
  ASSERT_TRUE(okm.ok());
  const uint8_t expected[32] = {0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a,
                                0x90, 0x43, 0x4f, 0x64, 0xd0, 0x36, 0x2f, 0x2a,
                                0x2d, 0x2d, 0x0a, 0x90, 0xcf, 0x1a, 0x5a, 0x4c,
                                0x5d, 0xb0, 0x2d, 0x56, 0xec, 0xc4, 0xc5, 0xbf};
  EXPECT_EQ(std::memcmp(okm->data(), expected, 32), 0);
}

}  // namespace
}  // namespace paceline::membership
