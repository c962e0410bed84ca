// The layout well past the map command's default sample (20000): 50k points, as `pixlake map`
// builds them (PCA to 50 dimensions, exact 15-NN graph, fuzzy edges, layout). Slow: prints the
// time of each step (100k points, measured once: graph 39 s on 2 shared cores, layout 39 s).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "curate/fuzzy_graph.h"
#include "curate/knn_graph.h"
#include "curate/layout_2d.h"
#include "curate/pca.h"
#include "curate/trustworthiness.h"
#include "curate_test_data.h"

namespace pixlake {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(SlowLayout2d, FiftyThousandPoints) {
  const auto blobs = testing::make_blobs(100, 500, 64, 0.6f, 21);
  const int64_t n = blobs.n;
  auto start = std::chrono::steady_clock::now();
  auto pca = fit_pca(blobs.rows.data(), n, blobs.dim, blobs.dim, 50);
  ASSERT_TRUE(pca.is_ok());
  std::vector<float> reduced(n * 50);
  pca_project(*pca, blobs.rows.data(), n, blobs.dim, reduced.data());
  std::vector<float> xy(n * 2);
  for (int64_t i = 0; i < n; ++i) {
    xy[i * 2] = reduced[i * 50];
    xy[i * 2 + 1] = reduced[i * 50 + 1];
    double norm = 0;
    for (int d = 0; d < 50; ++d) norm += reduced[i * 50 + d] * reduced[i * 50 + d];
    for (int d = 0; d < 50; ++d) reduced[i * 50 + d] /= static_cast<float>(std::sqrt(norm));
  }
  const double pca_s = seconds_since(start);
  start = std::chrono::steady_clock::now();
  const KnnGraph graph = exact_knn_graph(reduced.data(), n, 50, 50, 15);
  const double knn_s = seconds_since(start);
  start = std::chrono::steady_clock::now();
  const FuzzyEdges edges = fuzzy_edges(graph);
  auto layout = layout_2d(edges, xy);
  ASSERT_TRUE(layout.is_ok());
  const double layout_s = seconds_since(start);
  auto trust = trustworthiness(blobs.rows.data(), n, blobs.dim, blobs.dim, layout->data(),
                               {.k = 10, .sample = 500});
  ASSERT_TRUE(trust.is_ok());
  std::printf(
      "%lld points: pca %.1fs, 15-NN graph %.1fs, fuzzy edges + layout %.1fs (%zu edges); "
      "trustworthiness(k=10, 500 sampled) %.4f\n",
      static_cast<long long>(n), pca_s, knn_s, layout_s, edges.size(), *trust);
  EXPECT_GT(*trust, 0.85);
}

}  // namespace
}  // namespace pixlake
