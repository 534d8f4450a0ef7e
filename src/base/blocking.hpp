#pragma once
// The one way request code leaves an I/O thread: run `fn` on the blocking pool (store calls,
// hashing large bodies) and resume the caller on its own executor with the result. Capture by
// reference (the caller's frame outlives the call): with GCC 12 a lambda that owns a std::string
// is destroyed twice on the way through here (a double free, seen in the webhook dispatcher).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <type_traits>

namespace rampart {

namespace detail {
inline thread_local std::atomic<int> blocking_in_flight{0};
}  // namespace detail

// How many RunBlocking calls made from this thread are still waiting for the pool's answer. A
// thread that runs in rounds (http/rounds.hpp) does not sleep while one is: the answer is on its
// way and would otherwise wait out the round.
inline int BlockingInFlightOnThisThread() { return detail::blocking_in_flight.load(std::memory_order_relaxed); }

template <class Fn>
boost::asio::awaitable<std::invoke_result_t<Fn&>> RunBlocking(boost::asio::thread_pool& pool, Fn fn) {
  using R = std::invoke_result_t<Fn&>;
  struct InFlight {  // counted on the calling thread, also if the caller resumes elsewhere
    std::atomic<int>* n = &detail::blocking_in_flight;
    InFlight() { n->fetch_add(1, std::memory_order_relaxed); }
    ~InFlight() { n->fetch_sub(1, std::memory_order_relaxed); }
  } in_flight;
  co_return co_await boost::asio::co_spawn(
      pool, [fn = std::move(fn)]() mutable -> boost::asio::awaitable<R> { co_return fn(); },
      boost::asio::use_awaitable);
}

}  // namespace rampart
