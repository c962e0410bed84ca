#include "curate/pca.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace pixlake {
namespace {

// A rotation of R^3: the product of rotations about z and x by known angles.
std::vector<double> rotation() {
  const double a = 0.7, b = -0.4;
  const double rz[9] = {std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a), 0, 0, 0, 1};
  const double rx[9] = {1, 0, 0, 0, std::cos(b), -std::sin(b), 0, std::sin(b), std::cos(b)};
  std::vector<double> r(9, 0.0);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int t = 0; t < 3; ++t) r[i * 3 + j] += rz[i * 3 + t] * rx[t * 3 + j];
  return r;
}

// Points with standard deviations 3, 2, 1 along the columns of the rotation, around a mean
// (5, -1, 2), stored `stride` floats apart.
std::vector<float> rotated_gaussian(int64_t n, int64_t stride) {
  const auto r = rotation();
  std::mt19937 rng(7);
  std::normal_distribution<double> normal;
  const double sd[3] = {3, 2, 1}, mean[3] = {5, -1, 2};
  std::vector<float> rows(static_cast<size_t>(n * stride), -99.0f);
  for (int64_t i = 0; i < n; ++i) {
    double z[3];
    for (double& v : z) v = normal(rng);
    for (int d = 0; d < 3; ++d) {
      double v = mean[d];
      for (int c = 0; c < 3; ++c) v += r[d * 3 + c] * sd[c] * z[c];
      rows[i * stride + d] = static_cast<float>(v);
    }
  }
  return rows;
}

TEST(Pca, RecoversAKnownRotation) {
  const int64_t n = 20000, stride = 5;  // padding between rows must be ignored
  const auto rows = rotated_gaussian(n, stride);
  auto pca = fit_pca(rows.data(), n, 3, stride, 2);
  ASSERT_TRUE(pca.is_ok()) << pca.status().message();
  const auto r = rotation();
  const double expected_variance[2] = {9, 4};
  for (int c = 0; c < 2; ++c) {
    // |axis . column c of R| ~ 1, whichever sign the rule chose.
    double dot = 0;
    for (int d = 0; d < 3; ++d) dot += pca->axes[c * 3 + d] * r[d * 3 + c];
    EXPECT_NEAR(std::abs(dot), 1.0, 1e-3) << "component " << c;
    EXPECT_NEAR(pca->variance[c] / expected_variance[c], 1.0, 0.05) << "component " << c;
  }
  EXPECT_NEAR(pca->mean[0], 5.0, 0.1);
  EXPECT_NEAR(pca->mean[1], -1.0, 0.1);
}

TEST(Pca, SignRuleMakesLargestEntryPositiveAndIsDeterministic) {
  const auto rows = rotated_gaussian(3000, 3);
  auto first = fit_pca(rows.data(), 3000, 3, 3, 3);
  auto second = fit_pca(rows.data(), 3000, 3, 3, 3, 1);
  ASSERT_TRUE(first.is_ok() && second.is_ok());
  EXPECT_EQ(first->axes, second->axes);
  for (int c = 0; c < 3; ++c) {
    int argmax = 0;
    for (int d = 1; d < 3; ++d)
      if (std::abs(first->axes[c * 3 + d]) > std::abs(first->axes[c * 3 + argmax])) argmax = d;
    EXPECT_GT(first->axes[c * 3 + argmax], 0.0f);
  }
  // Orthonormal axes.
  for (int c = 0; c < 3; ++c) {
    for (int e = 0; e < 3; ++e) {
      double dot = 0;
      for (int d = 0; d < 3; ++d) dot += first->axes[c * 3 + d] * first->axes[e * 3 + d];
      EXPECT_NEAR(dot, c == e ? 1.0 : 0.0, 1e-5);
    }
  }
}

TEST(Pca, ProjectionIsCentredAndCarriesTheVariance) {
  const int64_t n = 5000;
  const auto rows = rotated_gaussian(n, 4);
  auto pca = fit_pca(rows.data(), n, 3, 4, 2);
  ASSERT_TRUE(pca.is_ok());
  std::vector<float> out(n * 2);
  pca_project(*pca, rows.data(), n, 4, out.data());
  for (int c = 0; c < 2; ++c) {
    double sum = 0, sq = 0;
    for (int64_t i = 0; i < n; ++i) sum += out[i * 2 + c];
    for (int64_t i = 0; i < n; ++i) sq += (out[i * 2 + c] - sum / n) * (out[i * 2 + c] - sum / n);
    EXPECT_NEAR(sum / n, 0.0, 1e-3);
    EXPECT_NEAR(sq / (n - 1), pca->variance[c], 1e-3 * pca->variance[c]);
  }
}

TEST(Pca, ManyDimensionsLowRank) {
  // 200-d rows that live on a 2-d plane plus tiny noise: two clear axes.
  const int dim = 200;
  const int64_t n = 1000;
  std::mt19937 rng(3);
  std::normal_distribution<float> normal;
  std::vector<float> u(dim), v(dim), rows(n * dim);
  for (int d = 0; d < dim; ++d) {
    u[d] = d == 3 ? 1.0f : 0.0f;
    v[d] = d == 150 ? 1.0f : 0.0f;
  }
  for (int64_t i = 0; i < n; ++i) {
    const float s = 4 * normal(rng), t = normal(rng);
    for (int d = 0; d < dim; ++d) rows[i * dim + d] = s * u[d] + t * v[d] + 1e-3f * normal(rng);
  }
  auto pca = fit_pca(rows.data(), n, dim, dim, 2);
  ASSERT_TRUE(pca.is_ok());
  EXPECT_NEAR(pca->axes[3], 1.0f, 1e-4);
  EXPECT_NEAR(pca->axes[dim + 150], 1.0f, 1e-4);
}

TEST(Pca, RejectsBadShapes) {
  std::vector<float> rows(6, 1.0f);
  EXPECT_FALSE(fit_pca(rows.data(), 0, 3, 3, 1).is_ok());
  EXPECT_FALSE(fit_pca(rows.data(), 2, 3, 2, 1).is_ok());
  auto too_many = fit_pca(rows.data(), 2, 3, 3, 4);
  ASSERT_FALSE(too_many.is_ok());
  EXPECT_NE(too_many.status().message().find("components"), std::string::npos);
  // A constant matrix has zero variance but still gives orthonormal axes.
  auto constant = fit_pca(rows.data(), 2, 3, 3, 2);
  ASSERT_TRUE(constant.is_ok());
  EXPECT_EQ(constant->variance[0], 0.0);
}

}  // namespace
}  // namespace pixlake
