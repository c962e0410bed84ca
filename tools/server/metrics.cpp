#include "metrics.h"

#include <cstdio>

namespace pixlake::server {

void Metrics::record(const std::string& route, const std::string& method, int status,
                     double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  for (size_t b = 0; b < kBuckets.size(); ++b) {
    if (seconds <= kBuckets[b]) ++h.buckets[b];
  }
  h.sum += seconds;
  ++h.count;
}

std::string Metrics::prometheus(int64_t images) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  char line[256];
  out += "# HELP pixlake_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE pixlake_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    std::snprintf(line, sizeof line,
                  "pixlake_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %lld\n",
                  route.c_str(), method.c_str(), status, static_cast<long long>(n));
    out += line;
  }
  out += "# HELP pixlake_http_request_duration_seconds Time to answer a request, by route.\n";
  out += "# TYPE pixlake_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      std::snprintf(line, sizeof line,
                    "pixlake_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lld\n",
                    route.c_str(), kBuckets[b], static_cast<long long>(h.buckets[b]));
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "pixlake_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lld\n"
                  "pixlake_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "pixlake_http_request_duration_seconds_count{route=\"%s\"} %lld\n",
                  route.c_str(), static_cast<long long>(h.count), route.c_str(), h.sum,
                  route.c_str(), static_cast<long long>(h.count));
    out += line;
  }
  out += "# HELP pixlake_lake_images Images in the lake's catalog.\n";
  out += "# TYPE pixlake_lake_images gauge\n";
  out += "pixlake_lake_images " + std::to_string(images) + "\n";
  return out;
}

}  // namespace pixlake::server
