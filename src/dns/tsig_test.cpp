// TSIG signing checked against known answers made by an independent implementation (dnspython,
// testdata/make_tsig_vectors.py), not re-derived from this code: a chain of three messages of one
// transfer (RFC 8945 §4.3.1: the first with the full variables over the request MAC, each later
// one with the timers only over the previous MAC) and a signed BADTIME answer (§5.2.3).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dns/tsig.hpp"

namespace rampart::dns {
namespace {

#include "dns/testdata/tsig_vectors.inc"

std::vector<uint8_t> Unhex(std::string_view hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string Str(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

TsigKey Key() { return {kKatKeyName, Str(Unhex(kKatSecretHex))}; }

TEST(TsigKnownAnswers, EveryMessageOfATransferMatchesAnIndependentSigner) {
  std::string prior = Str(Unhex(kKatRequestMacHex));
  bool first = true;
  uint64_t t = kKatTime;
  for (const KatMessage& m : kKatTransfer) {
    std::vector<uint8_t> msg = Unhex(m.unsigned_hex);
    prior = SignMessage(msg, kKatKeyName, Key(), prior, first, t++, kKatId, 0);
    EXPECT_EQ(msg, Unhex(m.signed_hex)) << "message " << (t - kKatTime);
    first = false;
  }
}

TEST(TsigKnownAnswers, BadTimeAnswerIsSignedWithTheRequestTimeAndTheServerTime) {
  std::vector<uint8_t> msg = Unhex(kKatBadTime.unsigned_hex);
  SignMessage(msg, kKatKeyName, Key(), Str(Unhex(kKatRequestMacHex)), true,
              kKatBadTimeRequestTime, kKatId, kBadTime, BadTimeOther(kKatTime));
  EXPECT_EQ(msg, Unhex(kKatBadTime.signed_hex));
}

TEST(TsigKnownAnswers, AVerifiedRequestParsesBackItsFields) {
  std::vector<uint8_t> msg = Unhex(kKatTransfer[0].signed_hex);
  const size_t tsig_at = Unhex(kKatTransfer[0].unsigned_hex).size();
  auto rec = ParseTsig(msg, tsig_at);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->key_name, kKatKeyName);
  EXPECT_EQ(rec->algorithm, "hmac-sha256");
  EXPECT_EQ(rec->time_signed, kKatTime);
  EXPECT_EQ(rec->fudge, kFudge);
  EXPECT_EQ(rec->mac.size(), 32u);
  EXPECT_EQ(rec->original_id, kKatId);
}

}  // namespace
}  // namespace rampart::dns
