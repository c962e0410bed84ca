// LinearWeights (the prepared weights of MatMul / Gemm): float32 and bf16 products against a
// double reference on awkward sizes, with and without bias, clamp, transposed W and a thread
// pool (same bits as without).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/cpu_features.h"
#include "ops/linear_weights.h"
#include "ops/random_tensor.h"

namespace pixlake {
namespace {

using testing::random_values;

void check(Precision precision, int64_t m, int64_t k, int64_t n, bool transposed, bool with_bias,
           bool relu) {
  const std::vector<float> w =
      random_values(static_cast<size_t>(k * n), 1);  // [k, n], or [n, k] when transposed
  const Tensor wt = Tensor::from_vector<float>(transposed ? Shape{n, k} : Shape{k, n}, w);
  auto weights = LinearWeights::make(wt, transposed, precision);
  if (weights == nullptr) GTEST_SKIP() << "no kernel for this precision on this CPU";
  ASSERT_EQ(weights->k(), k);
  ASSERT_EQ(weights->n(), n);
  const std::vector<float> x = random_values(static_cast<size_t>(m * k), 2);
  const std::vector<float> bias = random_values(static_cast<size_t>(n), 3);
  const Clamp clamp{relu ? 0.0f : -std::numeric_limits<float>::infinity(),
                    std::numeric_limits<float>::infinity()};
  std::vector<float> y(static_cast<size_t>(m * n), std::nanf(""));
  weights->multiply(x.data(), m, with_bias ? bias.data() : nullptr, clamp, nullptr, y.data());
  ThreadPool pool(3);
  std::vector<float> y_pool(y.size(), std::nanf(""));
  weights->multiply(x.data(), m, with_bias ? bias.data() : nullptr, clamp, &pool, y_pool.data());
  EXPECT_EQ(std::memcmp(y.data(), y_pool.data(), y.size() * sizeof(float)), 0)
      << "the pool changed the result";
  // bf16 rounds x and W to 8 significant bits: errors of ~2^-8 per product, summed over k.
  const double tolerance = precision == Precision::kBf16 ? 0.02 * std::sqrt(double(k)) : 1e-5 * k;
  for (int64_t row = 0; row < m; ++row) {
    for (int64_t col = 0; col < n; ++col) {
      double sum = with_bias ? bias[static_cast<size_t>(col)] : 0.0;
      for (int64_t p = 0; p < k; ++p) {
        const float wv =
            transposed ? w[static_cast<size_t>(col * k + p)] : w[static_cast<size_t>(p * n + col)];
        sum += double(x[static_cast<size_t>(row * k + p)]) * wv;
      }
      if (relu) sum = std::max(sum, 0.0);
      ASSERT_NEAR(y[static_cast<size_t>(row * n + col)], sum, tolerance)
          << "m=" << m << " k=" << k << " n=" << n << " at " << row << "," << col;
    }
  }
}

TEST(LinearWeights, Float32MatchesTheReference) {
  for (int64_t m : {1, 3, 17, 64}) {
    for (int64_t k : {1, 5, 33}) {
      for (int64_t n : {1, 7, 32, 33, 100}) {
        check(Precision::kFp32, m, k, n, false, true, false);
      }
    }
  }
  check(Precision::kFp32, 9, 40, 70, true, true, true);
  check(Precision::kFp32, 9, 40, 70, true, false, true);
  check(Precision::kFp32, 197, 64, 96, false, false, false);
}

TEST(LinearWeights, Bf16MatchesTheReference) {
  if (!cpu_features().avx512bf16) GTEST_SKIP() << "this CPU has no AVX-512 BF16";
  for (int64_t m : {1, 3, 17}) {
    for (int64_t k : {1, 6, 33}) {
      for (int64_t n : {1, 9, 40}) check(Precision::kBf16, m, k, n, false, true, false);
    }
  }
  check(Precision::kBf16, 20, 65, 70, true, true, true);
}

TEST(LinearWeights, RefusesWhatIsNotAFloatMatrix) {
  EXPECT_EQ(LinearWeights::make(Tensor(DType::kF32, {2, 3, 4}), false, Precision::kFp32), nullptr);
  EXPECT_EQ(LinearWeights::make(Tensor(DType::kI64, {2, 3}), false, Precision::kFp32), nullptr);
  EXPECT_EQ(LinearWeights::make(Tensor(DType::kF32, {0, 3}), false, Precision::kFp32), nullptr);
}

}  // namespace
}  // namespace pixlake
