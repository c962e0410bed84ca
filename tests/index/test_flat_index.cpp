// FlatIndex is the ground truth for everything else: it must agree with a double-precision
// brute force exactly (same neighbours), for every metric, with filters and removals.
#include <gtest/gtest.h>

#include "index_test_data.h"

namespace pixlake::testing {
namespace {

class FlatIndexTest : public ::testing::TestWithParam<Metric> {};

TEST_P(FlatIndexTest, FindsTheBruteForceNeighbours) {
  const int dim = 37, k = 7;
  const Metric metric = GetParam();
  const auto base = clustered(800, dim, 10, 1);
  const auto queries = clustered(20, dim, 10, 2);
  auto index = make_index("Flat", dim, metric);
  ASSERT_TRUE(index.is_ok()) << index.status().message();
  const auto ids = iota_labels(800, 100);
  ASSERT_TRUE((*index)->add(800, base.data(), ids.data()).is_ok());
  std::vector<float> d(20 * k);
  std::vector<int64_t> l(20 * k);
  ASSERT_TRUE((*index)->search(20, queries.data(), k, d.data(), l.data()).is_ok());
  for (int q = 0; q < 20; ++q) {
    const auto truth = brute_force(
        base, dim, queries.data() + q * dim, k, metric, [](int64_t) { return true; }, 100);
    EXPECT_EQ(recall(l.data() + q * k, k, truth), 1.0) << "query " << q;
    for (int i = 1; i < k; ++i) EXPECT_LE(d[q * k + i - 1], d[q * k + i]);
    const float expect =
        true_distance(base.data() + (l[q * k] - 100) * dim, queries.data() + q * dim, dim, metric);
    EXPECT_NEAR(d[q * k], expect, 1e-3f * std::max(1.0f, std::abs(expect)));
  }
}

TEST_P(FlatIndexTest, RemoveAndUpdate) {
  const int dim = 8;
  const auto base = clustered(50, dim, 3, 3);
  auto index = make_index("Flat", dim, GetParam());
  ASSERT_TRUE(index.is_ok());
  const auto ids = iota_labels(50);
  ASSERT_TRUE((*index)->add(50, base.data(), ids.data()).is_ok());
  const int64_t gone[] = {0, 7, 49, 1234};
  EXPECT_EQ((*index)->remove(4, gone), 3);
  EXPECT_EQ((*index)->size(), 47);
  // Each remaining vector finds itself first (inner product has no such property); removed
  // labels never come back.
  for (int64_t row = 1; row < 49; ++row) {
    if (row == 7) continue;
    float d[50];
    int64_t l[50];
    ASSERT_TRUE((*index)->search(1, base.data() + row * dim, 50, d, l).is_ok());
    if (GetParam() != Metric::kInnerProduct) {
      EXPECT_EQ(l[0], row);
    }
    for (int64_t label : l) EXPECT_TRUE(label != 0 && label != 7 && label != 49) << label;
  }
  // Updating label 5 with vector 20's values makes a search for vector 20 tie between them.
  ASSERT_TRUE((*index)->add(1, base.data() + 20 * dim, &ids[5]).is_ok());
  EXPECT_EQ((*index)->size(), 47);
  float d[2];
  int64_t l[2];
  ASSERT_TRUE((*index)->search(1, base.data() + 20 * dim, 2, d, l).is_ok());
  if (GetParam() != Metric::kInnerProduct) {
    EXPECT_EQ(d[0], d[1]);  // the same vector under two labels
    EXPECT_EQ(std::min(l[0], l[1]), 5);
    EXPECT_EQ(std::max(l[0], l[1]), 20);
  }
}

INSTANTIATE_TEST_SUITE_P(Metrics, FlatIndexTest,
                         ::testing::Values(Metric::kL2, Metric::kInnerProduct, Metric::kCosine));

TEST(FlatIndex, FewerVectorsThanKPadsWithMinusOne) {
  auto index = make_index("Flat", 2, Metric::kL2);
  ASSERT_TRUE(index.is_ok());
  const float x[] = {1, 2};
  const int64_t id = 9;
  ASSERT_TRUE((*index)->add(1, x, &id).is_ok());
  float d[3];
  int64_t l[3];
  ASSERT_TRUE((*index)->search(1, x, 3, d, l).is_ok());
  EXPECT_EQ(l[0], 9);
  EXPECT_EQ(l[1], -1);
  EXPECT_EQ(l[2], -1);
  EXPECT_TRUE(std::isinf(d[2]));
}

TEST(FlatIndex, RefusesNonFiniteVectorsNamingTheRow) {
  auto index = make_index("Flat", 2, Metric::kL2);
  ASSERT_TRUE(index.is_ok());
  const float x[] = {1, 2, 3, NAN};
  const int64_t ids[] = {1, 2};
  Status s = (*index)->add(2, x, ids);
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("vector 1"), std::string::npos) << s.message();
  EXPECT_EQ((*index)->size(), 0);
}

TEST(IndexFactory, RejectsUnknownStrings) {
  for (const char* bad : {"", "HNSW", "HNSW1", "HNSW999", "HNSWx", "IVF100", "HNSW16,PQ8",
                          "Flat,SQ8", "HNSW16,SQ8,SQ8", "HNSW16,F32", "HNSW16,BF16,F16"}) {
    auto index = make_index(bad, 8, Metric::kL2);
    EXPECT_FALSE(index.is_ok()) << bad;
  }
  EXPECT_FALSE(make_index("Flat", 0, Metric::kL2).is_ok());
  auto ok = make_index("HNSW32,SQ8", 8, Metric::kCosine);
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ((*ok)->description(), "HNSW32,SQ8");
  for (const char* good : {"HNSW8,F16", "HNSW8,BF16", "HNSW8", "Flat"}) {
    auto made = make_index(good, 8, Metric::kL2);
    ASSERT_TRUE(made.is_ok()) << good;
    EXPECT_EQ((*made)->description(), good);
  }
}

}  // namespace
}  // namespace pixlake::testing
