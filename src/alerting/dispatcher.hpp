#pragma once
// Works the webhook delivery queue: each round takes the due deliveries (the blocking pool reads
// the store), POSTs them concurrently (the I/O thread it runs on), and records each outcome — 2xx
// delivered, anything else tried again later (webhooks.hpp NextAttempt) until a day has passed,
// then failed. A delivery whose webhook was deleted is gone with it; one whose alert is gone (its
// retention passed) is failed.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <memory>

#include "alerting/http_client.hpp"
#include "alerting/webhooks.hpp"

namespace rampart::alerting {

struct RoundOutcome {
  size_t attempted = 0, delivered = 0;
};

class Dispatcher {
 public:
  Dispatcher(store::WebhookStore& store, const crypto::SecretBox& box, const Clock& clock,
             boost::asio::thread_pool& pool, PostPolicy policy)
      : store_(store), box_(box), clock_(clock), pool_(pool), policy_(std::move(policy)) {}
  boost::asio::awaitable<Result<RoundOutcome>> Round(size_t max = 64);

 private:
  boost::asio::awaitable<bool> Deliver(store::DueDelivery d);
  store::WebhookStore& store_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  boost::asio::thread_pool& pool_;
  PostPolicy policy_;
};

}  // namespace rampart::alerting
