#pragma once
// The one way request code leaves an I/O thread: run `fn` on the blocking pool (store calls,
// hashing large bodies) and resume the caller on its own executor with the result. Capture by
// reference (the caller's frame outlives the call): with GCC 12 a lambda that owns a std::string
// is destroyed twice on the way through here (a double free, seen in the webhook dispatcher).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace rampart {

template <class Fn>
boost::asio::awaitable<std::invoke_result_t<Fn&>> RunBlocking(boost::asio::thread_pool& pool, Fn fn) {
  using R = std::invoke_result_t<Fn&>;
  co_return co_await boost::asio::co_spawn(
      pool, [fn = std::move(fn)]() mutable -> boost::asio::awaitable<R> { co_return fn(); },
      boost::asio::use_awaitable);
}

}  // namespace rampart
