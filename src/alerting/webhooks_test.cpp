// The webhook signature and the retry schedule (the HTTP side is tests/api/test_webhooks.py).
#include "alerting/webhooks.hpp"

#include <gtest/gtest.h>

namespace rampart::alerting {
namespace {

TEST(Webhooks, SignatureIsHmacSha256OfTimestampDotBody) {
  // Reference: python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_k",b"1700000000.{}",hashlib.sha256).hexdigest())'
  EXPECT_EQ(Signature("whsec_k", 1700000000, "{}"),
            "t=1700000000,v1=8b20524faff2b12e1089e404a8cf60fbe577e5320e899ebff7329ebbcb9ada22");
}

TEST(Webhooks, RetriesBackOffToAnHourAndStopAfterADay) {
  store::DeliveryRecord d;
  d.created_at_ms = 0;
  d.attempts = 1;
  EXPECT_EQ(*NextAttempt(d, 1000, 0.5), 1000 + 10000);  // 10 s, no jitter at 0.5
  EXPECT_EQ(*NextAttempt(d, 1000, 0.0), 1000 + 8000);   // -20 %
  d.attempts = 3;
  EXPECT_EQ(*NextAttempt(d, 1000, 0.5), 1000 + 40000);
  d.attempts = 30;
  EXPECT_EQ(*NextAttempt(d, 1000, 0.5), 1000 + 3600 * 1000);  // capped at an hour
  EXPECT_EQ(*NextAttempt(d, kRetryForMs - 5000, 0.5), kRetryForMs);  // never past the day
  EXPECT_FALSE(NextAttempt(d, kRetryForMs, 0.5));
}

}  // namespace
}  // namespace rampart::alerting
