// The index distance kernels against their plain loops, on lengths around every SIMD edge.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/vec_distance/distance.h"
#include "pixlake/tensor.h"

namespace pixlake {
namespace {

std::vector<float> random_floats(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

const int64_t kLengths[] = {1, 3, 15, 16, 17, 31, 33, 64, 127, 784, 1000};

TEST(VecDistance, Avx512FloatKernelsMatchTheReference) {
  if (!cpu_features().avx512f) GTEST_SKIP() << "this CPU has no AVX-512";
  for (int64_t n : kLengths) {
    const auto a = random_floats(n, 1), b = random_floats(n, 2);
    std::vector<uint16_t> b16(b.size()), bb16(b.size());
    for (size_t i = 0; i < b.size(); ++i) {
      b16[i] = f32_to_f16(b[i]);
      bb16[i] = f32_to_bf16(b[i]);
    }

    const float tol = 1e-5f * static_cast<float>(n) + 1e-5f;
    EXPECT_NEAR(bf16_l2sq__avx512(a.data(), bb16.data(), n),
                bf16_l2sq__ref(a.data(), bb16.data(), n), tol * 4)
        << n;
    EXPECT_NEAR(bf16_dot__avx512(a.data(), bb16.data(), n), bf16_dot__ref(a.data(), bb16.data(), n),
                tol)
        << n;
    EXPECT_NEAR(f32_l2sq__avx512(a.data(), b.data(), n), f32_l2sq__ref(a.data(), b.data(), n),
                tol * 4)
        << n;
    EXPECT_NEAR(f32_dot__avx512(a.data(), b.data(), n), f32_dot__ref(a.data(), b.data(), n), tol)
        << n;
    EXPECT_NEAR(f16_l2sq__avx512(a.data(), b16.data(), n), f16_l2sq__ref(a.data(), b16.data(), n),
                tol * 4)
        << n;
    EXPECT_NEAR(f16_dot__avx512(a.data(), b16.data(), n), f16_dot__ref(a.data(), b16.data(), n),
                tol)
        << n;
  }
}

TEST(VecDistance, IntegerDotKernelsAreExactAtTheExtremes) {
  // 255 x -128 at every position is where int16 intermediates would saturate.
  for (int64_t n : {64, 128, 192, 832}) {
    std::vector<uint8_t> q(static_cast<size_t>(n), 255);
    std::vector<int8_t> c(static_cast<size_t>(n), -128);
    std::mt19937 rng(static_cast<uint32_t>(n));
    for (int64_t i = 0; i < n / 2; ++i) {
      q[static_cast<size_t>(i)] = static_cast<uint8_t>(rng());
      c[static_cast<size_t>(i)] = static_cast<int8_t>(rng());
    }
    const int32_t expected = u8s8_dot__ref(q.data(), c.data(), n);
    if (cpu_features().avx512f) {
      EXPECT_EQ(u8s8_dot__avx512(q.data(), c.data(), n), expected) << n;
    }
    if (cpu_features().avx512vnni) {
      EXPECT_EQ(u8s8_dot__avx512vnni(q.data(), c.data(), n), expected) << n;
    }
    EXPECT_EQ(distance_kernels().u8s8_dot(q.data(), c.data(), n), expected) << n;
  }
}

}  // namespace
}  // namespace pixlake
