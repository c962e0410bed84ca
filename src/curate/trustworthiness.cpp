#include "curate/trustworthiness.h"

#include <cblas.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "core/blas_threads.h"
#include "index/index_util.h"

namespace pixlake {
namespace {

constexpr int64_t kQueryBlock = 64;  // queries per distance product: 64 x n floats

// splitmix64 for the sample: the same draw on every platform.
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The points the sum runs over, ascending: all, or `sample` of them by a seeded partial shuffle.
std::vector<int64_t> query_points(int64_t n, int64_t sample, uint64_t seed) {
  std::vector<int64_t> all(static_cast<size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  if (sample <= 0 || sample >= n) return all;
  for (int64_t i = 0; i < sample; ++i) {
    const int64_t j = i + static_cast<int64_t>(splitmix64(seed) % static_cast<uint64_t>(n - i));
    std::swap(all[i], all[j]);
  }
  all.resize(static_cast<size_t>(sample));
  std::sort(all.begin(), all.end());
  return all;
}

// `a` is nearer to the query than `b`: smaller distance, then smaller index.
bool nearer(float da, int64_t a, float db, int64_t b) { return da != db ? da < db : a < b; }

}  // namespace

Result<double> trustworthiness(const float* high, int64_t n, int dim, int64_t stride,
                               const float* layout, const TrustworthinessOptions& options) {
  const int k = options.k;
  // sklearn's condition: beyond n / 2 the normaliser no longer bounds the sum by 1.
  if (k < 1 || 2 * static_cast<int64_t>(k) >= n) {
    return invalid_argument("trustworthiness: k = " + std::to_string(k) + " needs more than " +
                            std::to_string(2 * k) + " points, got " + std::to_string(n));
  }
  const std::vector<int64_t> queries = query_points(n, options.sample, options.seed);
  const int threads = resolve_threads(options.threads);
  ScopedBlasThreads blas(threads);
  // Squared Euclidean distance ||x||^2 + ||y||^2 - 2 x.y, the dot products by BLAS.
  std::vector<float> norms(static_cast<size_t>(n));
  for (int64_t r = 0; r < n; ++r) {
    double s = 0;
    for (int d = 0; d < dim; ++d)
      s += static_cast<double>(high[r * stride + d]) * high[r * stride + d];
    norms[r] = static_cast<float>(s);
  }
  std::vector<float> block_rows(static_cast<size_t>(kQueryBlock) * dim);
  std::vector<float> dots(static_cast<size_t>(kQueryBlock) * n);
  double penalty = 0;
  for (size_t first = 0; first < queries.size(); first += kQueryBlock) {
    const int64_t count =
        std::min<int64_t>(kQueryBlock, static_cast<int64_t>(queries.size() - first));
    for (int64_t q = 0; q < count; ++q)
      std::copy_n(high + queries[first + q] * stride, dim, block_rows.data() + q * dim);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(count),
                static_cast<int>(n), dim, 1.0f, block_rows.data(), dim, high,
                static_cast<int>(stride), 0.0f, dots.data(), static_cast<int>(n));
    std::vector<double> per_query(static_cast<size_t>(count), 0.0);
    parallel_for(count, threads, [&](int64_t q) {
      const int64_t self = queries[first + q];
      const float* dot = dots.data() + q * n;
      std::vector<float> high_dist(static_cast<size_t>(n));
      for (int64_t j = 0; j < n; ++j) high_dist[j] = norms[self] + norms[j] - 2 * dot[j];
      // The k nearest in the layout, self excluded.
      const float x = layout[self * 2], y = layout[self * 2 + 1];
      std::vector<std::pair<float, int64_t>> low;
      low.reserve(static_cast<size_t>(n));
      for (int64_t j = 0; j < n; ++j) {
        if (j == self) continue;
        const float dx = layout[j * 2] - x, dy = layout[j * 2 + 1] - y;
        low.emplace_back(dx * dx + dy * dy, j);
      }
      auto by_distance = [](const auto& u, const auto& v) {
        return nearer(u.first, u.second, v.first, v.second);
      };
      std::nth_element(low.begin(), low.begin() + (k - 1), low.end(), by_distance);
      double sum = 0;
      for (int t = 0; t < k; ++t) {
        const int64_t j = low[t].second;
        // Rank of j among self's original neighbours: 1 + the points strictly nearer.
        int64_t rank = 1;
        for (int64_t l = 0; l < n; ++l) {
          if (l != self && l != j && nearer(high_dist[l], l, high_dist[j], j)) ++rank;
        }
        if (rank > k) sum += static_cast<double>(rank - k);
      }
      per_query[q] = sum;
    });
    for (double s : per_query) penalty += s;
  }
  const double m = static_cast<double>(queries.size());
  const double scale = 2.0 / (m * k * (2.0 * static_cast<double>(n) - 3.0 * k - 1.0));
  return 1.0 - scale * penalty;
}

}  // namespace pixlake
