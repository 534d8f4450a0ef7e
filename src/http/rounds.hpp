#pragma once
// Runs an io_context in rounds. A round starts when something is ready (the thread sleeps in the
// reactor until then), runs everything that is, and then waits out the rest of `window` before
// looking again, so that what arrives meanwhile is handled by the next round, together.
//
// Why: 10,000 agents heartbeating every 30 s are one small request every 3 ms. Run the plain
// way, every request wakes an idle thread and finds the caches cold (docs/benchmarks.md: on this
// machine that was most of a heartbeat's cost). In rounds, a wake-up serves every request that
// arrived within the window, and the caches are warm for all but the first. The price is
// latency: a request waits up to `window` before its round starts. A round that takes the whole
// window goes straight on, so under load this is the plain loop. Nor does a round wait while a
// request of this thread awaits the blocking pool (base/blocking.hpp): its answer is on its way,
// and an event batch would otherwise pay a second round for it.
//
// A round's window is timed from the end of its first handler (the reactor's wake-up cannot be
// told apart from the handler it runs). Everything on `io` runs in rounds: its timers and posted
// work too. Returns when `io` is stopped or runs out of work; a stop from another thread waits at
// most the rest of a window.
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>

namespace rampart::http {

struct RoundTiming {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::nanoseconds)> sleep;
};
RoundTiming SystemRoundTiming();

void RunInRounds(boost::asio::io_context& io, std::chrono::nanoseconds window,
                 const RoundTiming& timing = SystemRoundTiming());

}  // namespace rampart::http
