#include "alerting/dispatcher.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <random>

#include "base/blocking.hpp"

namespace rampart::alerting {
namespace asio = boost::asio;

asio::awaitable<bool> Dispatcher::Deliver(store::DueDelivery d) {
  store::DeliveryRecord rec = d.delivery;
  const int64_t now = UnixMillis(clock_.Now());
  auto secret = box_.Open(d.webhook.sealed_secret);
  PostOutcome out;
  if (d.alert_doc.empty()) {
    out.error = "the alert is gone (past its retention)";
  } else if (!secret) {
    out.error = "the webhook's secret does not open under this master key";
  } else {
    const std::string body = AlertBody(d);
    const std::string signature = Signature(*secret, now / 1000, body);
    std::vector<std::pair<std::string, std::string>> headers;
    headers.emplace_back("X-Rampart-Signature", signature);
    headers.emplace_back("X-Rampart-Event", std::string("alert.created"));
    headers.emplace_back("X-Rampart-Delivery", std::to_string(rec.id));
    out = co_await PostJson(d.webhook.url, body, std::move(headers), policy_);
  }
  ++rec.attempts;
  rec.last_status = out.status ? std::optional<int64_t>(out.status) : std::nullopt;
  rec.last_error = out.error.substr(0, 300);
  const bool ok = out.status >= 200 && out.status < 300;
  thread_local std::mt19937 rng{std::random_device{}()};
  const auto next = ok || d.alert_doc.empty() ? std::nullopt
                                               : NextAttempt(rec, now, std::uniform_real_distribution<double>(0, 1)(rng));
  if (ok) {
    rec.status = "delivered";
    rec.done_at_ms = now;
  } else if (!next) {
    rec.status = "failed";
    rec.done_at_ms = now;
  } else {
    rec.next_at_ms = *next;
  }
  // By reference, as every RunBlocking caller: a lambda that owns strings is destroyed twice by
  // GCC 12's coroutine lowering of RunBlocking's init-capture (seen here as a double free).
  auto stored = co_await RunBlocking(pool_, [&] { return store_.UpdateDelivery(rec); });
  (void)stored;  // a failed write leaves the delivery due: it is tried again (at least once)
  co_return ok;
}

asio::awaitable<Result<RoundOutcome>> Dispatcher::Round(size_t max) {
  const int64_t now = UnixMillis(clock_.Now());
  auto due = co_await RunBlocking(pool_, [&] { return store_.DueDeliveries(now, static_cast<int64_t>(max)); });
  if (!due) co_return due.error();
  auto state = std::make_shared<std::pair<size_t, size_t>>(due->size(), 0);  // (running, delivered)
  auto ex = co_await asio::this_coro::executor;
  for (auto& d : *due) {
    asio::co_spawn(ex, Deliver(std::move(d)), [state](std::exception_ptr, bool ok) {
      --state->first;
      state->second += ok ? 1 : 0;
    });
  }
  asio::steady_timer timer(ex);
  while (state->first > 0) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return RoundOutcome{due->size(), state->second};
}

}  // namespace rampart::alerting
