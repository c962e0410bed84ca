// The u8 elementwise kernels of the quantised operators (kernels/qu8_elementwise): the reference
// against quant::quantize_value on the operators' formulas, and the AVX-512 build against the
// reference byte for byte (tails of every length, ties, saturation, NaN and infinities).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/qu8_elementwise/elementwise.h"
#include "ops/quant_util.h"

namespace pixlake {
namespace {

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(0, 255);
  std::vector<uint8_t> v(n);
  for (auto& x : v) x = static_cast<uint8_t>(dist(rng));
  return v;
}

TEST(Qu8Elementwise, AddMatchesTheOperatorFormula) {
  const auto a = random_bytes(1000, 1), b = random_bytes(1000, 2);
  // 0.5 ratios make many exact .5 ties.
  for (const QU8AddParams& p :
       {QU8AddParams{117, 3, 0.7133f, 1.2917f, 128}, QU8AddParams{0, 255, 0.5f, 0.5f, 0}}) {
    std::vector<uint8_t> y(a.size());
    qu8_vadd__ref(static_cast<int64_t>(a.size()), a.data(), b.data(), p, y.data());
    for (size_t i = 0; i < a.size(); ++i) {
      const float sum = p.a_ratio * static_cast<float>(a[i] - p.a_zero_point) +
                        p.b_ratio * static_cast<float>(b[i] - p.b_zero_point);
      ASSERT_EQ(y[i], quant::quantize_value(sum, p.y_zero_point, DType::kU8)) << i;
    }
  }
}

TEST(Qu8Elementwise, Avx512AddMatchesReference) {
  if (!cpu_features().avx512f) GTEST_SKIP() << "this CPU has no AVX-512";
  const auto a = random_bytes(1100, 3), b = random_bytes(1100, 4);
  for (int64_t n : {1, 3, 15, 16, 17, 127, 1000}) {
    for (const QU8AddParams& p :
         {QU8AddParams{117, 3, 0.7133f, 1.2917f, 128}, QU8AddParams{0, 255, 0.5f, 0.5f, 0},
          QU8AddParams{9, 200, 3.1f, 0.01f, 255}}) {
      std::vector<uint8_t> want(static_cast<size_t>(n) + 16, 0xA5), got = want;
      qu8_vadd__ref(n, a.data(), b.data(), p, want.data());
      qu8_vadd__avx512(n, a.data(), b.data(), p, got.data());
      ASSERT_EQ(got, want) << "n = " << n;
    }
  }
}

TEST(Qu8Elementwise, Avx512QuantizeMatchesReference) {
  if (!cpu_features().avx512f) GTEST_SKIP() << "this CPU has no AVX-512";
  std::mt19937 rng(5);
  std::normal_distribution<float> dist(0.0f, 3.0f);
  std::vector<float> x(1100);
  for (float& v : x) v = dist(rng);
  // Ties at scale 1/64: k + 0.5 for several k, and values far outside the range.
  const float specials[] = {0.5f / 64,
                            1.5f / 64,
                            2.5f / 64,
                            -0.5f / 64,
                            -1.5f / 64,
                            1e30f,
                            -1e30f,
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN(),
                            -0.0f};
  for (size_t i = 0; i < std::size(specials); ++i) x[i * 7] = specials[i];
  for (int64_t n : {1, 3, 17, 127, 1000}) {
    for (int32_t zero_point : {0, 114, 255}) {
      std::vector<uint8_t> want(static_cast<size_t>(n) + 16, 0xA5), got = want;
      f32_qu8_vcvt__ref(n, x.data(), 1.0f / 64, zero_point, want.data());
      f32_qu8_vcvt__avx512(n, x.data(), 1.0f / 64, zero_point, got.data());
      ASSERT_EQ(got, want) << "n = " << n << ", zero point " << zero_point;
      for (int64_t i = 0; i < n; ++i) {
        ASSERT_EQ(
            want[static_cast<size_t>(i)],
            quant::quantize_value(x[static_cast<size_t>(i)] / (1.0f / 64), zero_point, DType::kU8))
            << i;
      }
    }
  }
}

}  // namespace
}  // namespace pixlake
