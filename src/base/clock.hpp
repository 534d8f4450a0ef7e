#pragma once
// Time is injected: nothing outside SystemClock reads the wall clock, so tests drive time.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace rampart {

using SysTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SysTime Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  SysTime Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(SysTime start = SysTime{}) : now_(start.time_since_epoch().count()) {}
  SysTime Now() const override { return SysTime(SysTime::duration(now_.load())); }
  void Set(SysTime t) { now_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::nanoseconds d) {
    now_.fetch_add(std::chrono::duration_cast<SysTime::duration>(d).count());
  }

 private:
  std::atomic<SysTime::rep> now_;
};

inline int64_t UnixMillis(SysTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace rampart
