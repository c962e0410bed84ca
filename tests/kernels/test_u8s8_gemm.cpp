// The u8s8 GEMM (kernels/u8s8_gemm): packing, the reference against an exact integer sum with the
// zero-point algebra written out, and the AVX-512 VNNI build against the reference, byte for
// byte, on awkward sizes, zero points and output ranges.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/u8s8_gemm/gemm.h"

namespace pixlake {
namespace {

struct Problem {
  int64_t m = 1, n = 1, k = 1;
  int32_t x_zero = 0;   // activation zero point (u8)
  bool w_zero = false;  // per-row weight zero points
  bool i8_out = false;
  int32_t y_zero = 0;
  float scale_step = 0.0f;  // 0: scales spread the outputs; 0.5: every odd sum is a tie
};

struct Data {
  U8S8GemmShape shape;
  std::vector<int8_t> w, packed;
  std::vector<uint8_t> b;
  std::vector<int32_t> row_offset, row_w_zero, bias;
  std::vector<float> row_scale;
  U8S8Requant rq;
};

Data make(const Problem& p, uint32_t seed) {
  Data d;
  d.shape = {p.m, p.n, p.k, p.n + 3, p.n + 5};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> s8(-128, 127), u8(0, 255), zp(-5, 5);
  d.w.resize(static_cast<size_t>(p.m * p.k));
  for (auto& v : d.w) v = static_cast<int8_t>(s8(rng));
  d.b.resize(static_cast<size_t>(p.k * d.shape.ldb));
  for (auto& v : d.b) v = static_cast<uint8_t>(u8(rng));
  d.packed.resize(static_cast<size_t>(u8s8_gemm_packed_bytes(p.m, p.k)), 99);
  std::vector<int32_t> row_sums(static_cast<size_t>(p.m));
  u8s8_gemm_pack_weights(d.w.data(), p.m, p.k, p.k, d.packed.data(), row_sums.data());
  const float spread = 60.0f / (std::sqrt(static_cast<float>(p.k)) * 128.0f * 74.0f);
  for (int64_t row = 0; row < p.m; ++row) {
    const int32_t wz = p.w_zero ? zp(rng) : 0;
    const int32_t bias = s8(rng) * 37;
    d.bias.push_back(bias);
    d.row_w_zero.push_back(wz);
    // bias - xz * sum(w) + K * xz * wz, as QLinearConv computes it.
    d.row_offset.push_back(static_cast<int32_t>(bias - int64_t{p.x_zero} * row_sums[row] +
                                                p.k * int64_t{p.x_zero} * wz));
    d.row_scale.push_back(p.scale_step != 0.0f ? p.scale_step
                                               : spread * (0.5f + 0.01f * static_cast<float>(row)));
  }
  d.rq.row_offset = d.row_offset.data();
  d.rq.row_w_zero = p.w_zero ? d.row_w_zero.data() : nullptr;
  d.rq.row_scale = d.row_scale.data();
  d.rq.y_zero_point = p.y_zero;
  d.rq.y_min = p.i8_out ? -128 : 0;
  d.rq.y_max = p.i8_out ? 127 : 255;
  return d;
}

TEST(U8S8Gemm, PacksGroupsOfFourKInTilesOfEightRows) {
  // 2 rows, k = 5: row r holds 10r + k.
  std::vector<int8_t> w = {0, 1, 2, 3, 4, 10, 11, 12, 13, 14};
  std::vector<int8_t> packed(static_cast<size_t>(u8s8_gemm_packed_bytes(2, 5)), 99);
  ASSERT_EQ(packed.size(), 8u * 8u);  // one tile of 8 rows x 2 groups of 4
  std::vector<int32_t> sums(2);
  u8s8_gemm_pack_weights(w.data(), 2, 5, 5, packed.data(), sums.data());
  EXPECT_EQ(std::vector<int8_t>(packed.begin(), packed.begin() + 8),
            (std::vector<int8_t>{0, 1, 2, 3, 10, 11, 12, 13}));
  EXPECT_EQ(std::vector<int8_t>(packed.begin() + 32, packed.begin() + 40),
            (std::vector<int8_t>{4, 0, 0, 0, 14, 0, 0, 0}));
  for (size_t i = 8; i < 32; ++i) EXPECT_EQ(packed[i], 0) << i;  // padding rows
  EXPECT_EQ(sums, (std::vector<int32_t>{10, 60}));
}

TEST(U8S8Gemm, RequantizesLikeOnnxRuntime) {
  U8S8Requant rq;
  rq.y_zero_point = 10;
  EXPECT_EQ(u8s8_requantize(5, 0.5f, rq), 12);    // 2.5 -> 2 (half to even)
  EXPECT_EQ(u8s8_requantize(7, 0.5f, rq), 14);    // 3.5 -> 4
  EXPECT_EQ(u8s8_requantize(-7, 0.5f, rq), 6);    // -3.5 -> -4
  EXPECT_EQ(u8s8_requantize(-100, 1.0f, rq), 0);  // saturates
  EXPECT_EQ(u8s8_requantize(1000, 1.0f, rq), 255);
  EXPECT_EQ(u8s8_requantize(1, std::numeric_limits<float>::quiet_NaN(), rq), 10);
  rq.y_min = -128;
  rq.y_max = 127;
  rq.y_zero_point = -3;
  EXPECT_EQ(u8s8_requantize(-1000, 1.0f, rq), -128);
  EXPECT_EQ(u8s8_requantize(1000, 1.0f, rq), 127);
}

// The reference against sum((x - xz) * (w - wz)) + bias written out in int64.
TEST(U8S8Gemm, ReferenceFoldsZeroPointsExactly) {
  for (const Problem& p : {Problem{.m = 9, .n = 5, .k = 7, .x_zero = 128, .w_zero = true},
                           Problem{.m = 3, .n = 17, .k = 33, .x_zero = 255, .w_zero = true},
                           Problem{.m = 17, .n = 3, .k = 4, .x_zero = 0, .y_zero = 128}}) {
    Data d = make(p, 7);
    std::vector<uint8_t> y(static_cast<size_t>(p.m * d.shape.ldy), 0);
    u8s8_gemm__ref(d.shape, d.packed.data(), d.b.data(), d.rq, nullptr, y.data());
    for (int64_t row = 0; row < p.m; ++row) {
      for (int64_t col = 0; col < p.n; ++col) {
        int64_t acc = d.bias[static_cast<size_t>(row)];
        for (int64_t k = 0; k < p.k; ++k) {
          acc += (int64_t{d.b[static_cast<size_t>(k * d.shape.ldb + col)]} - p.x_zero) *
                 (d.w[static_cast<size_t>(row * p.k + k)] -
                  (p.w_zero ? d.row_w_zero[static_cast<size_t>(row)] : 0));
        }
        const int32_t want = u8s8_requantize(acc, d.row_scale[static_cast<size_t>(row)], d.rq);
        ASSERT_EQ(y[static_cast<size_t>(row * d.shape.ldy + col)], static_cast<uint8_t>(want))
            << row << "," << col;
      }
    }
  }
}

void check_vnni(const Problem& p, uint32_t seed) {
  Data d = make(p, seed);
  std::vector<uint8_t> want(static_cast<size_t>(p.m * d.shape.ldy), 0xA5);
  std::vector<uint8_t> got = want;
  std::vector<uint8_t> scratch(static_cast<size_t>(u8s8_gemm_scratch_bytes(d.shape)));
  u8s8_gemm__ref(d.shape, d.packed.data(), d.b.data(), d.rq, nullptr, want.data());
  u8s8_gemm_8x48__avx512vnni(d.shape, d.packed.data(), d.b.data(), d.rq, scratch.data(),
                             got.data());
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i], want[i]) << p.m << "x" << p.n << "x" << p.k << " xz " << p.x_zero
                               << " at row " << i / static_cast<size_t>(d.shape.ldy) << " col "
                               << i % static_cast<size_t>(d.shape.ldy);
  }
}

TEST(U8S8Gemm, Avx512VnniMatchesReferenceOnAwkwardSizes) {
  if (!cpu_features().avx512vnni) GTEST_SKIP() << "this CPU has no AVX-512 VNNI";
  uint32_t seed = 1;
  for (int64_t m : {1, 3, 8, 17, 127}) {
    for (int64_t n : {1, 3, 16, 17, 47, 48, 49, 127}) {
      for (int64_t k : {1, 3, 4, 17, 127}) {
        const int32_t xz = std::vector<int32_t>{0, 128, 255}[seed % 3];
        check_vnni({.m = m, .n = n, .k = k, .x_zero = xz, .w_zero = seed % 2 == 0}, seed);
        ++seed;
      }
    }
  }
}

TEST(U8S8Gemm, Avx512VnniMatchesReferenceOnOutputRangesAndTies) {
  if (!cpu_features().avx512vnni) GTEST_SKIP() << "this CPU has no AVX-512 VNNI";
  check_vnni({.m = 24, .n = 100, .k = 27, .x_zero = 114, .i8_out = true, .y_zero = -7}, 1);
  check_vnni({.m = 24, .n = 100, .k = 27, .x_zero = 3, .y_zero = 255}, 2);
  check_vnni({.m = 9, .n = 50, .k = 960, .x_zero = 119, .w_zero = true, .y_zero = 128}, 3);
  // Every odd accumulator times 0.5 is a .5 tie: rounding must go to even.
  check_vnni({.m = 16, .n = 64, .k = 2, .x_zero = 0, .y_zero = 100, .scale_step = 0.5f}, 4);
  // Deep enough that the partial sums of x * w leave int16 (and, with zero points, wrap int32
  // in the intermediate terms), while the exact result stays within int32.
  check_vnni({.m = 8, .n = 33, .k = 4000, .x_zero = 255, .w_zero = true, .y_zero = 128}, 5);
}

}  // namespace
}  // namespace pixlake
