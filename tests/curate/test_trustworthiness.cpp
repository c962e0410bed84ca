#include "curate/trustworthiness.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "curate_test_data.h"

namespace pixlake {
namespace {

TEST(Trustworthiness, HandCheckedSwap) {
  // Six points on a line at 0, 1, 3, 6, 10, 15 (gaps all different, so no ties); the layout
  // swaps the two ends. With k = 1 the layout's nearest neighbour is an original non-neighbour
  // for point 0 (shown next to 4: original rank 4, cost 3), point 1 (next to 5: rank 5,
  // cost 4) and point 5 (next to 1: rank 4, cost 3); the others keep their nearest.
  // T = 1 - 2 / (6 * 1 * (12 - 3 - 1)) * 10 = 1 - 10 / 24.
  const std::vector<float> high = {0, 1, 3, 6, 10, 15};
  const std::vector<float> layout = {15, 0, 1, 0, 3, 0, 6, 0, 10, 0, 0, 0};
  auto t = trustworthiness(high.data(), 6, 1, 1, layout.data(), {.k = 1});
  ASSERT_TRUE(t.is_ok()) << t.status().message();
  EXPECT_NEAR(*t, 1.0 - 10.0 / 24.0, 1e-12);
  // The faithful layout scores 1.
  const std::vector<float> same = {0, 0, 1, 0, 3, 0, 6, 0, 10, 0, 15, 0};
  auto faithful = trustworthiness(high.data(), 6, 1, 1, same.data(), {.k = 1});
  ASSERT_TRUE(faithful.is_ok());
  EXPECT_NEAR(*faithful, 1.0, 1e-12);
}

TEST(Trustworthiness, IdentityHighRandomLow) {
  // 2-d points embedded in 16-d by padding with zeros: their own 2-d coordinates are a
  // perfect layout; a random layout is not.
  const int64_t n = 400;
  const int dim = 16;
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  std::vector<float> high(n * dim, 0.0f), layout(n * 2), random_layout(n * 2);
  for (int64_t i = 0; i < n; ++i) {
    high[i * dim] = layout[i * 2] = normal(rng);
    high[i * dim + 1] = layout[i * 2 + 1] = normal(rng);
    random_layout[i * 2] = normal(rng);
    random_layout[i * 2 + 1] = normal(rng);
  }
  auto good = trustworthiness(high.data(), n, dim, dim, layout.data(), {.k = 10});
  auto bad = trustworthiness(high.data(), n, dim, dim, random_layout.data(), {.k = 10});
  ASSERT_TRUE(good.is_ok() && bad.is_ok());
  EXPECT_NEAR(*good, 1.0, 1e-9);
  EXPECT_LT(*bad, 0.6);
  EXPECT_GT(*bad, 0.4);
  // A sample of the points estimates the same figure.
  auto sampled = trustworthiness(high.data(), n, dim, dim, random_layout.data(),
                                 {.k = 10, .sample = 200, .seed = 3});
  ASSERT_TRUE(sampled.is_ok());
  EXPECT_NEAR(*sampled, *bad, 0.05);
}

TEST(Trustworthiness, RejectsTooFewPoints) {
  const std::vector<float> high = {0, 1, 2}, layout = {0, 0, 1, 0, 2, 0};
  auto t = trustworthiness(high.data(), 3, 1, 1, layout.data(), {.k = 5});
  ASSERT_FALSE(t.is_ok());
  EXPECT_NE(t.status().message().find("k = 5"), std::string::npos);
}

}  // namespace
}  // namespace pixlake
