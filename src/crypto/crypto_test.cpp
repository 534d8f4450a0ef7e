#include "crypto/crypto.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <set>
#include <string>
#include <vector>

namespace rampart::crypto {

TEST(Crypto, Sha256KnownAnswer) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, Base64UrlMatchesRfc4648Vectors) {
  auto enc = [](std::string_view s) {
    return Base64UrlEncode({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
  };
  EXPECT_EQ(enc(""), "");
  EXPECT_EQ(enc("f"), "Zg");
  EXPECT_EQ(enc("fo"), "Zm8");
  EXPECT_EQ(enc("foo"), "Zm9v");
  EXPECT_EQ(enc("foob"), "Zm9vYg");
  EXPECT_EQ(enc("\xfb\xff"), "-_8");
}

// Every length from 0 to 100 (all three remainders, and the 32-byte MACs Hawk encodes) against
// OpenSSL's encoder as the reference.
TEST(Crypto, Base64EncodeAgreesWithOpenSsl) {
  std::string bytes;
  for (size_t n = 0; n <= 100; ++n) {
    std::vector<unsigned char> want(4 * ((n + 2) / 3) + 1);
    const int len = EVP_EncodeBlock(want.data(), reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(n));
    EXPECT_EQ(Base64Encode(bytes), std::string(reinterpret_cast<const char*>(want.data()), static_cast<size_t>(len))) << n;
    bytes += static_cast<char>((n * 37 + 11) & 0xff);
  }
}

TEST(Crypto, Base64StandardAndUrlDecode) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(*Base64UrlDecode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(*Base64UrlDecode("Zm8"), "fo");
  EXPECT_EQ(*Base64UrlDecode("-_8"), "\xfb\xff");
  EXPECT_FALSE(Base64UrlDecode("Zm8="));  // padding is not base64url here
  EXPECT_FALSE(Base64UrlDecode("Zm+v"));
  EXPECT_FALSE(Base64UrlDecode("Z"));
}

TEST(Crypto, HmacRfc4231Case2) {
  std::string mac = Hmac(HashAlg::kSha256, "Jefe", "what do ya want for nothing?");
  EXPECT_EQ(HexEncode({reinterpret_cast<const uint8_t*>(mac.data()), mac.size()}),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  Hasher h(HashAlg::kSha1);
  std::string d = h.Update("a").Update("bc").Final();
  EXPECT_EQ(d, Digest(HashAlg::kSha1, "abc"));
}

// A key longer than the block is hashed first (RFC 4231 case 6); SHA-1 (RFC 2202 case 2); a key
// exactly one block long is used as it is.
TEST(Crypto, HmacKeysOfEveryLengthAndBothAlgorithms) {
  auto hex = [](const std::string& s) { return HexEncode({reinterpret_cast<const uint8_t*>(s.data()), s.size()}); };
  EXPECT_EQ(hex(Hmac(HashAlg::kSha256, std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hex(Hmac(HashAlg::kSha1, "Jefe", "what do ya want for nothing?")), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(hex(Hmac(HashAlg::kSha256, std::string(64, 'k'), "m")),  // Python's hmac module
            "3b7a8d453e76edb519238a515105a57508d0f169f480ebeee120a9e7803289fa");
  EXPECT_NE(hex(Hmac(HashAlg::kSha256, std::string(64, 'k'), "m")), hex(Hmac(HashAlg::kSha256, std::string(65, 'k'), "m")));
  EXPECT_EQ(hex(Hmac(HashAlg::kSha256, "", "")), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// The reference vectors of SipHash-2-4 (Aumasson and Bernstein, appendix A; vectors.h of the
// reference code): key 00..0f, messages 00, 00 01, … of length 0..15, output little-endian.
TEST(Crypto, ShortHashIsSipHash24) {
  ShortHashKey key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  std::string msg;
  for (int i = 0; i < 15; ++i) msg.push_back(static_cast<char>(i));
  EXPECT_EQ(ShortHash(key, ""), 0x726fdb47dd0e0e31ull);
  EXPECT_EQ(ShortHash(key, msg), 0xa129ca6149be45e5ull);
  ShortHashKey other = key;
  other[0] ^= 1;
  EXPECT_NE(ShortHash(other, msg), ShortHash(key, msg));
}

TEST(Crypto, ObjectIdsSortInCreationOrderWithinASecond) {
  std::string prev = NewObjectId(1700000000);
  EXPECT_EQ(prev.size(), 24u);
  EXPECT_EQ(prev.substr(0, 8), "6553f100");
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewObjectId(1700000000);
    ASSERT_GT(id, prev);  // the counter starts below 2^23, so 10,000 ids do not wrap it
    ASSERT_EQ(id.substr(0, 18), prev.substr(0, 18));  // same second, same process part
    prev = id;
  }
  EXPECT_GT(NewObjectId(1700000001), prev);  // a later second sorts after, whatever the counter
}

TEST(Crypto, UuidV4IsWellFormedAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = NewUuidV4();
    ASSERT_TRUE(IsUuid(u)) << u;
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_FALSE(IsUuid("51e8c042-6f0a-4186-8f7c-a8441e2909f"));
  EXPECT_FALSE(IsUuid("51e8c042x6f0a-4186-8f7c-a8441e2909f3"));
}

TEST(Crypto, ConstantTimeEqual) {
  uint8_t a[] = {1, 2, 3}, b[] = {1, 2, 3}, c[] = {1, 2, 4};
  EXPECT_TRUE(ConstantTimeEqual(a, b));
  EXPECT_FALSE(ConstantTimeEqual(a, c));
  EXPECT_FALSE(ConstantTimeEqual(a, std::span<const uint8_t>(b, 2)));
}

}  // namespace rampart::crypto
