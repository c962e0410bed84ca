// The bf16 GEMM (kernels/bf16_gemm): rounding, packing of A, and the AVX-512 BF16 build
// against the reference with the same rounding, on awkward sizes (odd k included).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/bf16_gemm/gemm.h"
#include "ops/random_tensor.h"

namespace pixlake {
namespace {

using testing::random_values;

TEST(Bf16, RoundsToNearestEven) {
  EXPECT_EQ(to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(to_bf16(-2.0f), 0xC000);
  // 1 + 2^-8 lies halfway between bf16 1.0 and 1 + 2^-7: ties go to the even one, 1.0.
  EXPECT_EQ(to_bf16(1.0f + std::ldexp(1.0f, -8)), 0x3F80);
  // Just above halfway rounds up.
  EXPECT_EQ(to_bf16(1.0f + std::ldexp(1.0f, -8) + std::ldexp(1.0f, -20)), 0x3F81);
  EXPECT_TRUE(std::isnan(from_bf16(to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_EQ(from_bf16(to_bf16(std::numeric_limits<float>::infinity())),
            std::numeric_limits<float>::infinity());
  EXPECT_EQ(from_bf16(to_bf16(0.15625f)), 0.15625f);  // exactly representable
}

TEST(Bf16, PacksPairsAlongKWithZeroPadding) {
  const std::vector<float> a = {1.0f, 2.0f, 3.0f, -1.0f, -2.0f, -3.0f};  // 2 rows, k = 3
  const std::vector<uint32_t> packed = pack_bf16_pairs(a.data(), 2, 3, 3);
  ASSERT_EQ(packed.size(), 4u);
  EXPECT_EQ(packed[0], 0x40003F80u);  // (1, 2): low half first
  EXPECT_EQ(packed[1], 0x00004040u);  // (3, 0)
  EXPECT_EQ(packed[2], 0xC000BF80u);
  EXPECT_EQ(packed[3], 0x0000C040u);
}

void check(int64_t m, int64_t n, int64_t k, bool with_bias, Clamp clamp) {
  GemmShape s{m, n, k, k, n + 3, n + 5};
  const auto a = random_values(static_cast<size_t>(m * k), 1);
  const auto b = random_values(static_cast<size_t>(k * s.ldb), 2);
  const auto bias = random_values(static_cast<size_t>(m), 3);
  const std::vector<uint32_t> pairs = pack_bf16_pairs(a.data(), m, k, k);
  std::vector<float> want(static_cast<size_t>(m * s.ldc), -9.0f);
  std::vector<float> got = want;
  bf16_gemm__ref(s, pairs.data(), b.data(), with_bias ? bias.data() : nullptr, clamp, nullptr,
                 want.data());
  std::vector<float> scratch(static_cast<size_t>(bf16_gemm_scratch_floats(s)));
  bf16_gemm__avx512bf16(s, pairs.data(), b.data(), with_bias ? bias.data() : nullptr, clamp,
                        scratch.data(), got.data());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], 1e-4f * (1.0f + std::abs(want[i])))
        << m << "x" << n << "x" << k << " at " << i;
  }
  // The panel-source entry (a convolution's gathered im2col) packs the same values: same bits.
  struct Dense {
    const float* b;
    int64_t ldb;
  };
  const Dense dense{b.data(), s.ldb};
  const PanelSource source{
      [](const void* context, int64_t depth, int64_t col, int64_t cols, float* panel) {
        const auto& d = *static_cast<const Dense*>(context);
        for (int64_t p = 0; p < depth; ++p) {
          for (int64_t j = 0; j < kF32GemmPanelCols; ++j) {
            panel[p * kF32GemmPanelCols + j] = j < cols ? d.b[p * d.ldb + col + j] : 0.0f;
          }
        }
      },
      &dense, 0};
  std::vector<float> from_source(got.size(), -9.0f);
  bf16_gemm_source__avx512bf16(s, pairs.data(), source, with_bias ? bias.data() : nullptr, clamp,
                               scratch.data(), from_source.data());
  ASSERT_EQ(from_source, got) << m << "x" << n << "x" << k;
}

TEST(Bf16Gemm, Avx512Bf16MatchesReferenceOnAwkwardSizes) {
  if (!cpu_features().avx512bf16) GTEST_SKIP() << "this CPU has no AVX-512 BF16";
  for (int64_t m : {1, 5, 8, 13}) {
    for (int64_t n : {1, 16, 17, 49, 100}) {
      for (int64_t k : {1, 2, 3, 27, 96}) check(m, n, k, (m + k) % 2 == 1, Clamp{});
    }
  }
  check(24, 40, 33, true, Clamp{0.0f, 6.0f});
}

// Prepacked weights on the right (MatMul's W), activations converted to pairs per call: the
// conversion gives pack_bf16_pairs' bits and the product the reference's values.
TEST(Bf16Gemm, PackedWeightsOnTheRightMatchTheReference) {
  if (!cpu_features().avx512bf16) GTEST_SKIP() << "this CPU has no AVX-512 BF16";
  for (int64_t m : {1, 7, 9}) {
    for (int64_t k : {1, 2, 31, 33, 70}) {
      for (int64_t n : {1, 32, 45}) {
        const auto x = random_values(static_cast<size_t>(m * (k + 2)), 6);  // row stride k + 2
        const auto w = random_values(static_cast<size_t>(k * n), 7);
        std::vector<uint32_t> rows(static_cast<size_t>(m * bf16_pairs(k)), 0xdeadbeef);
        bf16_pack_rows__avx512bf16(x.data(), m, k, k + 2, rows.data());
        ASSERT_EQ(rows, pack_bf16_pairs(x.data(), m, k, k + 2)) << m << "x" << k;
        const std::vector<uint32_t> panels = pack_bf16_panels(w.data(), k, n, n);
        std::vector<float> got(static_cast<size_t>(m * n), -9.0f);
        const GemmShape s{m, n, k, k, n, n};
        bf16_gemm_packed__avx512bf16(s, rows.data(), panels.data(), Clamp{}, got.data());
        for (int64_t row = 0; row < m; ++row) {
          for (int64_t col = 0; col < n; ++col) {
            float want = 0.0f;  // the same bf16 values, summed in float
            for (int64_t p = 0; p < k; ++p) {
              want += from_bf16(to_bf16(x[static_cast<size_t>(row * (k + 2) + p)])) *
                      from_bf16(to_bf16(w[static_cast<size_t>(p * n + col)]));
            }
            ASSERT_NEAR(got[static_cast<size_t>(row * n + col)], want,
                        1e-4f * (1.0f + std::abs(want)))
                << m << "x" << n << "x" << k << " at " << row << "," << col;
          }
        }
      }
    }
  }
}

TEST(Bf16Gemm, StaysCloseToFloat32) {
  // What the rounding costs on a 96-deep product: each output within a few bf16 steps.
  if (!cpu_features().avx512bf16) GTEST_SKIP() << "this CPU has no AVX-512 BF16";
  GemmShape s{16, 64, 96, 96, 64, 64};
  const auto a = random_values(16 * 96, 4);
  const auto b = random_values(96 * 64, 5);
  std::vector<float> exact(16 * 64), got(16 * 64), scratch(8192);
  for (int64_t row = 0; row < 16; ++row) {
    for (int64_t col = 0; col < 64; ++col) {
      double acc = 0;
      for (int64_t p = 0; p < 96; ++p) acc += double(a[row * 96 + p]) * b[p * 64 + col];
      exact[static_cast<size_t>(row * 64 + col)] = static_cast<float>(acc);
    }
  }
  const auto pairs = pack_bf16_pairs(a.data(), 16, 96, 96);
  bf16_gemm__avx512bf16(s, pairs.data(), b.data(), nullptr, Clamp{}, scratch.data(), got.data());
  double dot = 0, ne = 0, ng = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], exact[i], 0.05) << i;  // |sum| ~ 5: bf16 keeps 8 bits
    dot += double(got[i]) * exact[i];
    ne += double(exact[i]) * exact[i];
    ng += double(got[i]) * got[i];
  }
  EXPECT_GT(dot / std::sqrt(ne * ng), 0.9999);
}

}  // namespace
}  // namespace pixlake
