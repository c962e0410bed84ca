#include "curate/kmeans.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

#include "curate/cluster_metrics.h"

namespace pixlake {
namespace {

// n_clusters well separated Gaussian blobs in `dim` dimensions, `per` rows each, optionally
// written `stride` floats apart. Returns the rows and fills the planted labels.
std::vector<float> blobs(int n_clusters, int per, int dim, int64_t stride,
                         std::vector<int64_t>& planted, uint64_t seed = 3) {
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::normal_distribution<float> noise(0.0f, 0.3f);
  std::uniform_real_distribution<float> where(-20.0f, 20.0f);
  std::vector<float> centres(static_cast<size_t>(n_clusters * dim));
  for (float& c : centres) c = where(rng);
  std::vector<float> rows(static_cast<size_t>(n_clusters * per) * static_cast<size_t>(stride),
                          -99.0f);
  planted.clear();
  for (int i = 0; i < n_clusters * per; ++i) {
    const int c = i % n_clusters;
    for (int d = 0; d < dim; ++d)
      rows[static_cast<size_t>(i * stride + d)] =
          centres[static_cast<size_t>(c * dim + d)] + noise(rng);
    planted.push_back(c);
  }
  return rows;
}

std::vector<int64_t> widen(const std::vector<int32_t>& labels) {
  return std::vector<int64_t>(labels.begin(), labels.end());
}

TEST(KMeans, RecoversPlantedClusters) {
  std::vector<int64_t> planted;
  auto rows = blobs(6, 50, 8, 8, planted);
  KMeansOptions options;
  options.k = 6;
  auto result = kmeans(rows.data(), 300, 8, 8, options);
  ASSERT_TRUE(result.is_ok()) << result.status().message();
  EXPECT_EQ(result->k, 6);
  EXPECT_NEAR(normalized_mutual_information(planted, widen(result->labels)).value(), 1.0, 1e-9);
  for (int64_t size : result->sizes) EXPECT_EQ(size, 50);
}

TEST(KMeans, HonoursStrideAndSampling) {
  // Padding between rows holds -99: reading it would wreck the clustering.
  std::vector<int64_t> planted;
  auto rows = blobs(5, 200, 3, 16, planted);
  KMeansOptions options;
  options.k = 5;
  options.sample = 100;
  options.threads = 3;
  auto result = kmeans(rows.data(), 1000, 3, 16, options);
  ASSERT_TRUE(result.is_ok()) << result.status().message();
  EXPECT_EQ(result->labels.size(), 1000u);
  EXPECT_NEAR(normalized_mutual_information(planted, widen(result->labels)).value(), 1.0, 1e-9);
}

TEST(KMeans, DeterministicForASeedWhateverTheThreads) {
  std::vector<int64_t> planted;
  auto rows = blobs(7, 120, 5, 5, planted);
  KMeansOptions options;
  options.k = 9;  // more than planted: the split is decided by the seed
  options.seed = 42;
  options.threads = 1;
  auto one = kmeans(rows.data(), 840, 5, 5, options);
  options.threads = 4;
  auto four = kmeans(rows.data(), 840, 5, 5, options);
  ASSERT_TRUE(one.is_ok() && four.is_ok());
  EXPECT_EQ(one->labels, four->labels);
  EXPECT_EQ(one->centroids, four->centroids);
  options.seed = 43;
  auto other = kmeans(rows.data(), 840, 5, 5, options);
  ASSERT_TRUE(other.is_ok());
  EXPECT_NE(one->centroids, other->centroids);
}

TEST(KMeans, RestartsKeepTheLowestInertia) {
  std::vector<int64_t> planted;
  auto rows = blobs(12, 5, 2, 2, planted, 11);
  KMeansOptions options;
  options.k = 12;
  double single_worst = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    options.seed = seed;
    single_worst = std::max(single_worst, kmeans(rows.data(), 60, 2, 2, options).value().inertia);
  }
  options.seed = 1;
  options.restarts = 6;
  auto best = kmeans(rows.data(), 60, 2, 2, options);
  ASSERT_TRUE(best.is_ok());
  EXPECT_LE(best->inertia, single_worst);
  // Twelve tight blobs (noise 0.3): the best of six runs finds all of them.
  EXPECT_NEAR(normalized_mutual_information(planted, widen(best->labels)).value(), 1.0, 1e-9);
}

TEST(KMeans, FewerRowsThanKGivesOneClusterPerRow) {
  std::vector<float> rows = {0, 0, 10, 10, -5, 3};
  KMeansOptions options;
  options.k = 10;
  auto result = kmeans(rows.data(), 3, 2, 2, options);
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(result->k, 3);
  std::set<int32_t> labels(result->labels.begin(), result->labels.end());
  EXPECT_EQ(labels.size(), 3u);
  EXPECT_NEAR(result->inertia, 0.0, 1e-6);
}

TEST(KMeans, OneClusterIsTheMean) {
  std::vector<float> rows = {1, 2, 3, 4, 5, 6};
  KMeansOptions options;
  options.k = 1;
  auto result = kmeans(rows.data(), 3, 2, 2, options);
  ASSERT_TRUE(result.is_ok());
  EXPECT_NEAR(result->centroids[0], 3.0f, 1e-6);
  EXPECT_NEAR(result->centroids[1], 4.0f, 1e-6);
  EXPECT_EQ(result->sizes[0], 3);
}

TEST(KMeans, OneDimension) {
  std::vector<float> rows;
  std::vector<int64_t> planted;
  for (int i = 0; i < 60; ++i) {
    rows.push_back(static_cast<float>(i % 3) * 100.0f + static_cast<float>(i % 7) * 0.1f);
    planted.push_back(i % 3);
  }
  KMeansOptions options;
  options.k = 3;
  auto result = kmeans(rows.data(), 60, 1, 1, options);
  ASSERT_TRUE(result.is_ok());
  EXPECT_NEAR(normalized_mutual_information(planted, widen(result->labels)).value(), 1.0, 1e-9);
}

TEST(KMeans, DuplicatesLeaveClustersEmptyInsteadOfFailing) {
  // Two distinct rows, repeated: only two clusters can hold anything.
  std::vector<float> rows;
  for (int i = 0; i < 20; ++i) {
    rows.push_back(i % 2 ? 1.0f : -1.0f);
    rows.push_back(0.5f);
  }
  KMeansOptions options;
  options.k = 4;
  auto result = kmeans(rows.data(), 20, 2, 2, options);
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(result->k, 4);
  int non_empty = 0;
  for (int64_t size : result->sizes) non_empty += size > 0;
  EXPECT_EQ(non_empty, 2);
  EXPECT_NEAR(result->inertia, 0.0, 1e-6);
  EXPECT_NE(result->labels[0], result->labels[1]);
}

TEST(KMeans, SphericalCentroidsHaveUnitLength) {
  std::vector<int64_t> planted;
  auto rows = blobs(4, 30, 6, 6, planted);
  for (int i = 0; i < 120; ++i) {
    float norm = 0;
    for (int d = 0; d < 6; ++d)
      norm += rows[static_cast<size_t>(i * 6 + d)] * rows[static_cast<size_t>(i * 6 + d)];
    for (int d = 0; d < 6; ++d) rows[static_cast<size_t>(i * 6 + d)] /= std::sqrt(norm);
  }
  KMeansOptions options;
  options.k = 4;
  options.spherical = true;
  auto result = kmeans(rows.data(), 120, 6, 6, options);
  ASSERT_TRUE(result.is_ok());
  for (int c = 0; c < 4; ++c) {
    float norm = 0;
    for (int d = 0; d < 6; ++d)
      norm += result->centroids[static_cast<size_t>(c * 6 + d)] *
              result->centroids[static_cast<size_t>(c * 6 + d)];
    EXPECT_NEAR(norm, 1.0f, 1e-5);
  }
}

TEST(KMeans, RejectsBadArguments) {
  std::vector<float> rows = {1, 2};
  KMeansOptions options;
  EXPECT_FALSE(kmeans(rows.data(), 0, 2, 2, options).is_ok());
  EXPECT_FALSE(kmeans(rows.data(), 1, 2, 1, options).is_ok());
  options.k = 0;
  EXPECT_FALSE(kmeans(rows.data(), 1, 2, 2, options).is_ok());
}

TEST(Silhouette, HighForPlantedClustersLowForRandomLabels) {
  std::vector<int64_t> planted;
  auto rows = blobs(4, 50, 4, 4, planted);
  std::vector<int32_t> good(planted.begin(), planted.end());
  std::vector<int32_t> bad(good.size());
  for (size_t i = 0; i < bad.size(); ++i) bad[i] = static_cast<int32_t>((i * 7 / 3) % 4);
  EXPECT_GT(silhouette(rows.data(), 200, 4, 4, good.data(), 0), 0.9);
  EXPECT_LT(silhouette(rows.data(), 200, 4, 4, bad.data(), 0), 0.1);
  // A sample gives nearly the same answer.
  EXPECT_GT(silhouette(rows.data(), 200, 4, 4, good.data(), 80, 5), 0.9);
}

TEST(Silhouette, MatchesHandComputedValue) {
  // 1-D points {0, 1} in cluster 0 and {5} in cluster 1: a(0) = 1, b(0) = 5 -> 0.8;
  // a(1) = 1, b(1) = 4 -> 0.75; the singleton scores 0. Mean 0.516667.
  std::vector<float> rows = {0, 1, 5};
  std::vector<int32_t> labels = {0, 0, 1};
  EXPECT_NEAR(silhouette(rows.data(), 3, 1, 1, labels.data(), 0), (0.8 + 0.75) / 3, 1e-6);
}

}  // namespace
}  // namespace pixlake
