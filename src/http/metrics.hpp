#pragma once
// Prometheus text-format metrics: request counters by route and status, a request latency
// histogram, store latency by operation, and gauges computed at scrape time. Thread-safe.
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace rampart::http {

class Metrics {
 public:
  using Gauges = std::vector<std::pair<std::string, double>>;  // "name{labels}" -> value

  // `route` and `method` must outlive this object (route names and Beast's method strings are
  // static): they are kept as views so that counting a request allocates nothing.
  void ObserveRequest(std::string_view route, std::string_view method, int status, double seconds);
  void ObserveStore(std::string_view op, double seconds);
  void SetGauges(std::function<Gauges()> fn);
  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
    void Observe(double v);
  };
  static void RenderHistogram(std::string& out, const std::string& name, const std::string& labels,
                              const Histogram& h);

  mutable std::mutex mu_;
  std::map<std::tuple<std::string_view, std::string_view, int>, uint64_t> requests_;  // route, method, status
  std::map<std::string_view, Histogram> latency_;                                      // by route
  std::map<std::string, Histogram> store_;    // op labels -> histogram
  std::function<Gauges()> gauges_;
};

}  // namespace rampart::http
