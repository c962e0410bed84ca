#include "curate/cluster_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace pixlake {
namespace {

double nmi(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  auto r = normalized_mutual_information(a, b);
  EXPECT_TRUE(r.is_ok()) << r.status().message();
  return r.is_ok() ? r.value() : -1;
}

TEST(ClusterMetrics, IdenticalPartitionsUpToRenamingScoreOne) {
  EXPECT_NEAR(nmi({0, 0, 1, 1, 2}, {7, 7, 3, 3, 9}), 1.0, 1e-12);
}

TEST(ClusterMetrics, IndependentPartitionsScoreZero) {
  EXPECT_NEAR(nmi({0, 0, 1, 1}, {0, 1, 0, 1}), 0.0, 1e-12);
}

TEST(ClusterMetrics, HandComputedSplit) {
  // I = (2/3) ln 2, H(classes) = ln 2, H(clusters) = ln 3: NMI = (4/3) ln 2 / ln 6 = 0.515804
  // (scikit-learn's normalized_mutual_info_score gives the same).
  EXPECT_NEAR(nmi({0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 2, 2}),
              4.0 / 3.0 * std::log(2.0) / std::log(6.0), 1e-12);
  EXPECT_NEAR(nmi({0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 2, 2}), 0.515804, 1e-6);
}

TEST(ClusterMetrics, SymmetricInItsArguments) {
  std::vector<int64_t> a = {0, 1, 1, 2, 2, 2, 0, 1}, b = {1, 1, 0, 0, 2, 2, 1, 0};
  EXPECT_NEAR(nmi(a, b), nmi(b, a), 1e-12);
}

TEST(ClusterMetrics, SingleBlockAgainstSplitScoresZero) {
  EXPECT_NEAR(nmi({0, 0, 0, 0}, {0, 0, 1, 1}), 0.0, 1e-12);
  EXPECT_NEAR(nmi({5, 5, 5}, {1, 1, 1}), 1.0, 1e-12);
}

TEST(ClusterMetrics, RejectsMismatchedOrEmptyInput) {
  EXPECT_FALSE(normalized_mutual_information({0, 1}, {0}).is_ok());
  EXPECT_FALSE(normalized_mutual_information({}, {}).is_ok());
}

}  // namespace
}  // namespace pixlake
