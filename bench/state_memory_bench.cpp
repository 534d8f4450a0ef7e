// Memory and speed of the two per-request state tables of the v2 API, after N distinct keys:
// the Hawk nonce cache and the per-IP rate limiter. Prints resident-set growth (from
// /proc/self/statm) and ns per operation. Usage: state_memory_bench [N=1000000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "auth/nonce_cache.hpp"
#include "ratelimit/keyed_limiter.hpp"

namespace {

long RssKiB() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, resident = 0;
  in >> pages >> resident;
  return resident * 4;  // 4 KiB pages
}

template <class Fn>
double NsPerOp(size_t n, Fn fn) {
  auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < n; ++i) fn(i);
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / n;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000000;
  rampart::FakeClock clock{rampart::SysTime(std::chrono::seconds(1700000000))};
  const int64_t now = rampart::UnixMillis(clock.Now());

  long before = RssKiB();
  rampart::auth::NonceCache nonces(n + n / 4, 16, n + n / 4);  // one organization may use it all
  double nonce_ns = NsPerOp(n, [&](size_t i) {
    std::string nonce = std::to_string(i);  // (no "n" + …: GCC 12 -O3 warns falsely on that)
    nonces.Insert("org", "5f0c2a9e8b7d6c5b4a392817", nonce, "1700000000", now + 60000, now);
  });
  long after_nonces = RssKiB();
  std::printf("nonce cache: %zu live nonces, RSS +%.1f MiB (%.0f B/nonce; own estimate %.1f MiB), %.0f ns/insert\n",
              nonces.size(), (after_nonces - before) / 1024.0, (after_nonces - before) * 1024.0 / n,
              nonces.ApproxBytes() / 1048576.0, nonce_ns);

  rampart::ratelimit::KeyedLimiter ips({1000, std::chrono::minutes(1), std::chrono::minutes(15)}, clock, n);
  double ip_ns = NsPerOp(n, [&](size_t i) {
    ips.Take(std::to_string(10 + (i >> 24)) + "." + std::to_string((i >> 16) & 255) + "." +
             std::to_string((i >> 8) & 255) + "." + std::to_string(i & 255));
  });
  long after_ips = RssKiB();
  std::printf("ip limiter: %zu tracked IPs, RSS +%.1f MiB (%.0f B/IP), %.0f ns/request\n", ips.size(),
              (after_ips - after_nonces) / 1024.0, (after_ips - after_nonces) * 1024.0 / n, ip_ns);
  double hit_ns = NsPerOp(n, [&](size_t) { ips.Take("10.0.0.1"); });
  std::printf("ip limiter, same key again: %.0f ns/request\n", hit_ns);
  return 0;
}
