// Prometheus metrics of the server: requests counted by route, method and status, and a latency
// histogram per route. Routes are the templates ("/api/images/{id}"), never raw paths, so the
// number of series stays bounded whatever clients send.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace pixlake::server {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   10};

  // Thread-safe.
  void record(const std::string& route, const std::string& method, int status, double seconds);
  // The text exposition format (version 0.0.4), with `images` as a gauge.
  std::string prometheus(int64_t images) const;

 private:
  struct Histogram {
    std::array<int64_t, kBuckets.size()> buckets{};
    double sum = 0;
    int64_t count = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, int64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace pixlake::server
