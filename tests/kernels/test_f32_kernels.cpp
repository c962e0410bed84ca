// Every build of the f32 kernels (src/kernels/) against its plain reference loop, on awkward
// sizes: planes and rows shorter than a vector, one lane past it, odd paddings, both strides,
// with and without bias and clamp. Builds the CPU lacks are skipped (and said so).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/f32_dwconv/dwconv.h"
#include "kernels/f32_gemm/gemm.h"
#include "ops/random_tensor.h"

namespace pixlake {
namespace {

using testing::random_values;

void expect_close(const std::vector<float>& got, const std::vector<float>& want,
                  const std::string& what) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    // Sums of up to a few hundred products of values in [-1, 1): a fused multiply-add
    // order changes the last bits only.
    ASSERT_NEAR(got[i], want[i], 1e-4f * (1.0f + std::abs(want[i]))) << what << " at " << i;
  }
}

struct DwBuild {
  const char* name;
  DwConvFn fn;
  bool available;
};

std::vector<DwBuild> dw_builds() {
  const CpuFeatures& cpu = cpu_features();
  return {{"generic", &f32_dwconv2d__generic, true},
          {"avx2", &f32_dwconv2d__avx2, cpu.avx2 && cpu.fma},
          {"avx512", &f32_dwconv2d__avx512, cpu.avx512f},
          {"dispatched", f32_dwconv2d(), true}};
}

DwConvShape dw_shape(int64_t channels, int64_t h, int64_t w, int64_t k, int64_t stride, int64_t pad,
                     int64_t dilation = 1, int64_t pad_end = -1) {
  if (pad_end < 0) pad_end = pad;
  DwConvShape s;
  s.channels = channels;
  s.in_h = h;
  s.in_w = w;
  s.kernel_h = s.kernel_w = k;
  s.stride_h = s.stride_w = stride;
  s.dilation_h = s.dilation_w = dilation;
  s.pad_top = s.pad_left = pad;
  const int64_t extent = (k - 1) * dilation + 1;
  s.out_h = (h + pad + pad_end - extent) / stride + 1;
  s.out_w = (w + pad + pad_end - extent) / stride + 1;
  return s;
}

void check_dwconv(const DwConvShape& s, bool with_bias, Clamp clamp) {
  const auto x = random_values(static_cast<size_t>(s.channels * s.in_h * s.in_w), 1);
  const auto w = random_values(static_cast<size_t>(s.channels * s.kernel_h * s.kernel_w), 2);
  const auto b = random_values(static_cast<size_t>(s.channels), 3);
  const size_t out = static_cast<size_t>(s.channels * s.out_h * s.out_w);
  std::vector<float> want(out);
  f32_dwconv2d__ref(s, x.data(), w.data(), with_bias ? b.data() : nullptr, clamp, nullptr,
                    want.data());
  for (const DwBuild& build : dw_builds()) {
    if (!build.available) continue;
    std::vector<float> scratch(static_cast<size_t>(f32_dwconv2d_scratch_floats(s)));
    std::vector<float> got(out, std::numeric_limits<float>::quiet_NaN());
    build.fn(s, x.data(), w.data(), with_bias ? b.data() : nullptr, clamp, scratch.data(),
             got.data());
    expect_close(got, want,
                 std::string(build.name) + " " + std::to_string(s.in_h) + "x" +
                     std::to_string(s.in_w) + " k" + std::to_string(s.kernel_h) + " s" +
                     std::to_string(s.stride_h) + " p" + std::to_string(s.pad_top));
  }
}

TEST(F32DepthwiseConv, MatchesReferenceOnAwkwardPlanes) {
  for (int64_t size : {1, 3, 7, 14, 16, 17, 33}) {
    for (int64_t k : {3, 5}) {
      for (int64_t stride : {1, 2}) {
        for (int64_t pad : {0, 1, 2}) {
          if (size + 2 * pad < k) continue;
          check_dwconv(dw_shape(3, size, size + 2, k, stride, pad), true, Clamp{});
        }
      }
    }
  }
}

TEST(F32DepthwiseConv, ClampsAndRunsWithoutBias) {
  check_dwconv(dw_shape(5, 14, 14, 3, 1, 1), false, Clamp{0.0f, 0.5f});
  check_dwconv(dw_shape(5, 29, 31, 3, 2, 1), true, Clamp{-0.25f, 0.25f});
}

TEST(F32DepthwiseConv, AsymmetricPaddingAndDilationFallBack) {
  check_dwconv(dw_shape(2, 9, 12, 3, 2, 0, 1, 1), true, Clamp{});  // SAME_UPPER-like
  check_dwconv(dw_shape(2, 11, 11, 3, 1, 2, 2), true, Clamp{});    // dilation 2
  check_dwconv(dw_shape(2, 10, 10, 4, 1, 1), true, Clamp{});       // even kernel
  check_dwconv(dw_shape(2, 12, 12, 3, 3, 1), true, Clamp{});       // stride 3
}

TEST(F32DepthwiseConv, NanPassesThroughTheClamp) {
  DwConvShape s = dw_shape(1, 4, 4, 3, 1, 1);
  std::vector<float> x(16, 1.0f), w(9, 1.0f), y(16), scratch(1024);
  x[5] = std::numeric_limits<float>::quiet_NaN();
  for (const DwBuild& build : dw_builds()) {
    if (!build.available) continue;
    build.fn(s, x.data(), w.data(), nullptr, Clamp{0.0f, 6.0f}, scratch.data(), y.data());
    EXPECT_TRUE(std::isnan(y[0])) << build.name;    // reads x[5]
    EXPECT_FALSE(std::isnan(y[15])) << build.name;  // does not
    EXPECT_EQ(y[15], 4.0f) << build.name;
  }
}

void check_gemm(int64_t m, int64_t n, int64_t k, bool with_bias, Clamp clamp) {
  // Leading dimensions wider than the matrices, as for a sub-block of a larger one.
  GemmShape s{m, n, k, k + 3, n + 5, n + 7};
  const auto a = random_values(static_cast<size_t>(m * s.lda), 4);
  const auto b = random_values(static_cast<size_t>(k * s.ldb), 5);
  const auto bias = random_values(static_cast<size_t>(m), 6);
  std::vector<float> want(static_cast<size_t>(m * s.ldc), -7.0f);
  std::vector<float> got = want;
  f32_gemm__ref(s, a.data(), b.data(), with_bias ? bias.data() : nullptr, clamp, nullptr,
                want.data());
  std::vector<float> scratch(static_cast<size_t>(f32_gemm_scratch_floats(s)));
  f32_gemm__avx512(s, a.data(), b.data(), with_bias ? bias.data() : nullptr, clamp, scratch.data(),
                   got.data());
  // Includes the padding columns of C, which must keep their -7.
  expect_close(got, want,
               "gemm " + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k));
}

TEST(F32Gemm, Avx512MatchesReferenceOnAwkwardSizes) {
  if (!cpu_features().avx512f) GTEST_SKIP() << "this CPU has no AVX-512";
  for (int64_t m : {1, 3, 8, 9, 17}) {
    for (int64_t n : {1, 15, 16, 17, 33, 127}) {
      for (int64_t k : {1, 3, 27, 100}) check_gemm(m, n, k, (m + n) % 2 == 0, Clamp{});
    }
  }
}

TEST(F32Gemm, Avx512ClampsLikeTheReference) {
  if (!cpu_features().avx512f) GTEST_SKIP() << "this CPU has no AVX-512";
  check_gemm(20, 49, 64, true, Clamp{0.0f, 6.0f});
  check_gemm(7, 40, 5, false, Clamp{-0.5f, 0.5f});
}

TEST(F32Gemm, EmptyDepthGivesTheBias) {
  if (!cpu_features().avx512f) GTEST_SKIP() << "this CPU has no AVX-512";
  check_gemm(5, 20, 0, true, Clamp{});
}

}  // namespace
}  // namespace pixlake
