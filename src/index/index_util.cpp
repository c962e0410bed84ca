#include "index/index_util.h"

#include <atomic>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace pixlake {

void normalise(float* v, int dim) {
  double sum = 0;
  for (int d = 0; d < dim; ++d) sum += double(v[d]) * v[d];
  if (sum <= 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(sum));
  for (int d = 0; d < dim; ++d) v[d] *= scale;
}

Status check_finite(const float* x, int64_t n, int dim) {
  for (int64_t row = 0; row < n; ++row) {
    for (int d = 0; d < dim; ++d) {
      if (!std::isfinite(x[row * dim + d])) {
        return invalid_argument("index: vector " + std::to_string(row) +
                                " has a non-finite value " + "at dimension " + std::to_string(d));
      }
    }
  }
  return Status::ok();
}

void fill_missing(int k, float* distances, int64_t* labels) {
  for (int i = 0; i < k; ++i) {
    distances[i] = std::numeric_limits<float>::infinity();
    labels[i] = -1;
  }
}

int resolve_threads(int threads) {
  if (threads > 0) return threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

void parallel_for(int64_t n, int threads, const std::function<void(int64_t)>& body) {
  if (threads <= 1 || n <= 1) {
    for (int64_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::atomic<int64_t> next{0};
  auto work = [&] {
    for (int64_t i = next++; i < n; i = next++) body(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace pixlake
