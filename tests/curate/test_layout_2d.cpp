#include "curate/layout_2d.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "curate/fuzzy_graph.h"
#include "curate/knn_graph.h"
#include "curate/pca.h"
#include "curate/trustworthiness.h"
#include "curate_test_data.h"

namespace pixlake {
namespace {

TEST(UmapCurve, MatchesUmapLearnForMinDistTenth) {
  // umap.umap_.find_ab_params(spread=1.0, min_dist=0.1) = (1.5769, 0.8951).
  const UmapCurve curve = fit_umap_curve(0.1f, 1.0f);
  EXPECT_NEAR(curve.a, 1.577, 0.01);
  EXPECT_NEAR(curve.b, 0.895, 0.01);
}

TEST(FuzzyGraph, SymmetricUnitNearestWeights) {
  const auto blobs = testing::make_blobs(3, 40, 12, 0.3f, 5);
  const KnnGraph graph = exact_knn_graph(blobs.rows.data(), blobs.n, blobs.dim, blobs.dim, 8, 1);
  const FuzzyEdges edges = fuzzy_edges(graph);
  ASSERT_GT(edges.size(), 0u);
  for (size_t e = 0; e < edges.size(); ++e) {
    EXPECT_LT(edges.head[e], edges.tail[e]);
    EXPECT_GT(edges.weight[e], 0.0f);
    EXPECT_LE(edges.weight[e], 1.0f);
    if (e > 0) {
      EXPECT_TRUE(edges.head[e - 1] < edges.head[e] ||
                  (edges.head[e - 1] == edges.head[e] && edges.tail[e - 1] < edges.tail[e]));
    }
  }
  // Each node's nearest neighbour has membership 1 (d = rho).
  for (int64_t node = 0; node < blobs.n; ++node) {
    const int32_t a = static_cast<int32_t>(node), b = graph.neighbours_of(node)[0];
    bool found = false;
    for (size_t e = 0; e < edges.size(); ++e) {
      if (edges.head[e] == std::min(a, b) && edges.tail[e] == std::max(a, b)) {
        EXPECT_FLOAT_EQ(edges.weight[e], 1.0f);
        found = true;
      }
    }
    EXPECT_TRUE(found) << node;
  }
}

struct LaidOut {
  testing::Blobs blobs;
  std::vector<float> xy;
};

LaidOut lay_out_blobs(uint64_t seed) {
  LaidOut out{testing::make_blobs(5, 60, 32, 0.5f, 9), {}};
  const auto& b = out.blobs;
  const KnnGraph graph = exact_knn_graph(b.rows.data(), b.n, b.dim, b.dim, 10, 1);
  auto pca = fit_pca(b.rows.data(), b.n, b.dim, b.dim, 2, 1);
  std::vector<float> start(b.n * 2);
  pca_project(*pca, b.rows.data(), b.n, b.dim, start.data());
  auto xy = layout_2d(fuzzy_edges(graph), start, {.n_epochs = 200, .seed = seed});
  EXPECT_TRUE(xy.is_ok());
  out.xy = std::move(*xy);
  return out;
}

TEST(Layout2d, KeepsNeighboursAndSeparatesBlobs) {
  const LaidOut laid = lay_out_blobs(42);
  const auto& b = laid.blobs;
  auto t = trustworthiness(b.rows.data(), b.n, b.dim, b.dim, laid.xy.data(), {.k = 10});
  ASSERT_TRUE(t.is_ok());
  // Within a blob the neighbours are isotropic noise in 32-d, which no 2-d picture keeps
  // exactly; the blobs themselves must stay whole.
  EXPECT_GT(*t, 0.9);
  double same = 0, other = 0;
  int64_t n_same = 0, n_other = 0;
  for (int64_t i = 0; i < b.n; ++i) {
    for (int64_t j = i + 1; j < b.n; ++j) {
      const double d =
          std::hypot(laid.xy[i * 2] - laid.xy[j * 2], laid.xy[i * 2 + 1] - laid.xy[j * 2 + 1]);
      (b.label[i] == b.label[j] ? same : other) += d;
      ++(b.label[i] == b.label[j] ? n_same : n_other);
    }
  }
  EXPECT_LT(same / n_same, 0.5 * other / n_other);
}

TEST(Layout2d, SeededAndDeterministic) {
  const LaidOut first = lay_out_blobs(7), second = lay_out_blobs(7), third = lay_out_blobs(8);
  EXPECT_EQ(first.xy, second.xy);
  EXPECT_NE(first.xy, third.xy);
}

TEST(Layout2d, RejectsAStartOfTheWrongSize) {
  FuzzyEdges edges;
  edges.n = 3;
  auto result = layout_2d(edges, std::vector<float>(4, 0.0f));
  ASSERT_FALSE(result.is_ok());
  EXPECT_NE(result.status().message().find("start layout"), std::string::npos);
}

}  // namespace
}  // namespace pixlake
