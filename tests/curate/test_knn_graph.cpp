#include "curate/knn_graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace pixlake {
namespace {

std::vector<float> random_unit_rows(int64_t n, int dim, int64_t stride, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> rows(static_cast<size_t>(n * stride), 0.0f);
  for (int64_t r = 0; r < n; ++r) {
    float norm = 0;
    for (int d = 0; d < dim; ++d) {
      rows[r * stride + d] = normal(rng);
      norm += rows[r * stride + d] * rows[r * stride + d];
    }
    for (int d = 0; d < dim; ++d) rows[r * stride + d] /= std::sqrt(norm);
  }
  return rows;
}

TEST(KnnGraph, MatchesBruteForceOnAwkwardSizes) {
  for (int64_t n : {1, 2, 3, 17, 127, 300}) {
    for (int k : {1, 5}) {
      const int dim = 13;
      const int64_t stride = 16;
      auto rows = random_unit_rows(n, dim, stride, static_cast<uint32_t>(n * 31 + k));
      KnnGraph graph = exact_knn_graph(rows.data(), n, dim, stride, k, 2);
      ASSERT_EQ(graph.neighbours.size(), static_cast<size_t>(n * k));
      for (int64_t i = 0; i < n; ++i) {
        std::vector<std::pair<float, int32_t>> all;
        for (int64_t j = 0; j < n; ++j) {
          if (j == i) continue;
          float dot = 0;
          for (int d = 0; d < dim; ++d) dot += rows[i * stride + d] * rows[j * stride + d];
          all.push_back({dot, static_cast<int32_t>(j)});
        }
        std::sort(all.begin(), all.end(), [](auto a, auto b) { return a.first > b.first; });
        for (int slot = 0; slot < k; ++slot) {
          if (slot < static_cast<int>(all.size())) {
            EXPECT_NEAR(graph.scores_of(i)[slot], all[slot].first, 1e-5) << n << " " << i;
            EXPECT_NE(graph.neighbours_of(i)[slot], i);
          } else {
            EXPECT_EQ(graph.neighbours_of(i)[slot], -1);
          }
        }
      }
    }
  }
}

TEST(KnnGraph, FindsAPlantedTwin) {
  const int dim = 8;
  auto rows = random_unit_rows(50, dim, dim, 7);
  std::copy(rows.begin() + 3 * dim, rows.begin() + 4 * dim, rows.begin() + 40 * dim);
  KnnGraph graph = exact_knn_graph(rows.data(), 50, dim, dim, 3);
  EXPECT_EQ(graph.neighbours_of(3)[0], 40);
  EXPECT_EQ(graph.neighbours_of(40)[0], 3);
  EXPECT_NEAR(graph.scores_of(3)[0], 1.0f, 1e-5);
}

}  // namespace
}  // namespace pixlake
