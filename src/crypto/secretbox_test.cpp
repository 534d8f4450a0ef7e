#include "crypto/secretbox.hpp"
#include "crypto/password.hpp"

#include <gtest/gtest.h>

#include "crypto/crypto.hpp"
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

namespace rampart::crypto {

TEST(SecretBox, SealOpenAndTamperDetection) {
  std::array<uint8_t, 32> key{};
  key[0] = 7;
  SecretBox box(key);
  std::string sealed = box.Seal("hawk key material");
  EXPECT_EQ(sealed.find("hawk"), std::string::npos);
  EXPECT_EQ(*box.Open(sealed), "hawk key material");
  EXPECT_NE(box.Seal("hawk key material"), sealed);  // fresh nonce each time
  std::string raw = *Base64Decode(sealed);
  raw.back() ^= 1;
  EXPECT_FALSE(box.Open(Base64Encode(raw)));
  key[0] = 8;
  EXPECT_FALSE(SecretBox(key).Open(sealed));
  EXPECT_FALSE(box.Open("not base64!"));
}

TEST(SecretBox, KeyFileIsCreatedPrivateAndReloaded) {
  std::string path = ::testing::TempDir() + "/rampart_master_key_test";
  std::remove(path.c_str());
  auto created = SecretBox::FromKeyFile(path, true);
  ASSERT_TRUE(created);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string sealed = created->Seal("x");
  auto again = SecretBox::FromKeyFile(path, false);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again->Open(sealed), "x");
  ::chmod(path.c_str(), 0644);
  EXPECT_FALSE(SecretBox::FromKeyFile(path, false));
  std::remove(path.c_str());
  EXPECT_FALSE(SecretBox::FromKeyFile(path, false));
  EXPECT_FALSE(SecretBox::FromBase64("c2hvcnQ="));
}

}  // namespace rampart::crypto

namespace rampart::crypto {
namespace {

TEST(PasswordTest, HashesVerifyAndRefuse) {
  auto h = HashPassword(Secret("correct horse battery"));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(VerifyPassword(*h, Secret("correct horse battery")));
  EXPECT_FALSE(VerifyPassword(*h, Secret("correct horse batterx")));
  EXPECT_FALSE(VerifyPassword("not a hash", Secret("correct horse battery")));
  EXPECT_FALSE(NeedsRehash(*h));
  EXPECT_NE(*HashPassword(Secret("correct horse battery")), *h);  // salted
  EXPECT_EQ(HashPassword(Secret("short")).error().code, Errc::kInvalid);
}

}  // namespace
}  // namespace rampart::crypto
