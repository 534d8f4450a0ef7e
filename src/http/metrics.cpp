#include "http/metrics.hpp"

#include <cstdio>

namespace rampart::http {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::Histogram::Observe(double v) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (v <= kBuckets[i]) ++counts[i];
  }
  ++count;
  sum += v;
}

void Metrics::ObserveRequest(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  latency_[route].Observe(seconds);
}

void Metrics::ObserveStore(std::string_view op, double seconds) {
  std::string labels = "op=\"" + std::string(op) + "\"";
  std::lock_guard lock(mu_);
  store_[labels].Observe(seconds);
}

void Metrics::SetGauges(std::function<Gauges()> fn) {
  std::lock_guard lock(mu_);
  gauges_ = std::move(fn);
}

void Metrics::RenderHistogram(std::string& out, const std::string& name, const std::string& labels,
                              const Histogram& h) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    out += name + "_bucket{" + labels + ",le=\"" + Num(kBuckets[i]) + "\"} " + std::to_string(h.counts[i]) + "\n";
  }
  out += name + "_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
  out += name + "_sum{" + labels + "} " + Num(h.sum) + "\n";
  out += name + "_count{" + labels + "} " + std::to_string(h.count) + "\n";
}

std::string Metrics::Render() const {
  std::function<Gauges()> gauges;
  std::string out;
  {
    std::lock_guard lock(mu_);
    gauges = gauges_;
    out += "# HELP rampart_http_requests_total HTTP requests by route, method and status.\n";
    out += "# TYPE rampart_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [route, method, status] = key;
      out += "rampart_http_requests_total{route=\"" + std::string(route) + "\",method=\"" + std::string(method) +
             "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
    }
    out += "# HELP rampart_http_request_duration_seconds Time from request parsed to response ready.\n";
    out += "# TYPE rampart_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      RenderHistogram(out, "rampart_http_request_duration_seconds", "route=\"" + std::string(route) + "\"", h);
    }
    out += "# HELP rampart_store_duration_seconds Store call latency by operation.\n";
    out += "# TYPE rampart_store_duration_seconds histogram\n";
    for (const auto& [labels, h] : store_) RenderHistogram(out, "rampart_store_duration_seconds", labels, h);
  }
  if (gauges) {
    for (const auto& [name, v] : gauges()) {
      std::string base = name.substr(0, name.find('{'));
      out += "# TYPE " + base + " gauge\n" + name + " " + Num(v) + "\n";
    }
  }
  return out;
}

}  // namespace rampart::http
