#include "http/rounds.hpp"

#include <thread>

#include "base/blocking.hpp"

namespace rampart::http {

RoundTiming SystemRoundTiming() {
  return {[] { return std::chrono::steady_clock::now(); }, [](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); }};
}

void RunInRounds(boost::asio::io_context& io, std::chrono::nanoseconds window, const RoundTiming& timing) {
  while (io.run_one() > 0) {  // sleeps in the reactor until something is ready
    const auto started = timing.now();
    io.poll();
    if (io.stopped()) return;
    const auto left = window - (timing.now() - started);
    if (left > std::chrono::nanoseconds::zero() && BlockingInFlightOnThisThread() == 0) timing.sleep(left);
  }
}

}  // namespace rampart::http
