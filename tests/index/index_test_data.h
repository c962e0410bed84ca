// Data and ground truth for the index tests: seeded clustered vectors (like embeddings: dense
// groups, not uniform noise) and exact neighbours by brute force.
#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "pixlake/index.h"

namespace pixlake::testing {

inline std::vector<float> clustered(int64_t n, int dim, int clusters, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> centres(static_cast<size_t>(clusters) * dim);
  for (float& c : centres) c = normal(rng);
  std::vector<float> x(static_cast<size_t>(n) * dim);
  for (int64_t row = 0; row < n; ++row) {
    const int c = static_cast<int>(rng() % static_cast<uint32_t>(clusters));
    for (int d = 0; d < dim; ++d) x[row * dim + d] = centres[c * dim + d] + 0.35f * normal(rng);
  }
  return x;
}

inline void normalise_row(float* v, int dim) {
  double sum = 0;
  for (int d = 0; d < dim; ++d) sum += double(v[d]) * v[d];
  for (int d = 0; d < dim; ++d) v[d] = static_cast<float>(v[d] / std::sqrt(sum));
}

inline float true_distance(const float* a, const float* b, int dim, Metric metric) {
  double dot = 0, l2 = 0, na = 0, nb = 0;
  for (int d = 0; d < dim; ++d) {
    dot += double(a[d]) * b[d];
    l2 += (double(a[d]) - b[d]) * (double(a[d]) - b[d]);
    na += double(a[d]) * a[d];
    nb += double(b[d]) * b[d];
  }
  if (metric == Metric::kL2) return static_cast<float>(l2);
  if (metric == Metric::kInnerProduct) return static_cast<float>(1 - dot);
  return static_cast<float>(1 - dot / std::sqrt(na * nb));
}

// Labels of the k nearest among the rows whose label passes `allowed` (label = row + offset).
template <typename Allowed>
std::vector<int64_t> brute_force(const std::vector<float>& base, int dim, const float* query, int k,
                                 Metric metric, Allowed allowed, int64_t offset = 0) {
  std::vector<std::pair<float, int64_t>> all;
  const int64_t n = static_cast<int64_t>(base.size()) / dim;
  for (int64_t row = 0; row < n; ++row) {
    if (!allowed(row + offset)) continue;
    all.push_back({true_distance(base.data() + row * dim, query, dim, metric), row + offset});
  }
  const size_t keep = std::min(all.size(), static_cast<size_t>(k));
  std::partial_sort(all.begin(), all.begin() + static_cast<long>(keep), all.end());
  std::vector<int64_t> out;
  for (size_t i = 0; i < keep; ++i) out.push_back(all[i].second);
  return out;
}

// |found ∩ truth| / |truth|
inline double recall(const int64_t* found, int k, const std::vector<int64_t>& truth) {
  if (truth.empty()) return 1.0;
  int hits = 0;
  for (int64_t t : truth) hits += std::count(found, found + k, t) > 0 ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(truth.size());
}

inline std::vector<int64_t> iota_labels(int64_t n, int64_t offset = 0) {
  std::vector<int64_t> ids(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) ids[static_cast<size_t>(i)] = i + offset;
  return ids;
}

}  // namespace pixlake::testing
