// The depthwise u8s8 convolution (kernels/u8s8_dwconv): the reference against
// sum((x - xz) * (w - wz)) written out, and the AVX-512 VNNI+VBMI 3x3 kernel against the
// reference byte for byte, on awkward planes, strides, paddings and zero points.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/u8s8_dwconv/dwconv.h"

namespace pixlake {
namespace {

struct Case {
  int64_t channels = 3, in_h = 7, in_w = 9, kernel = 3, stride = 1, dilation = 1;
  int64_t pad_top = 1, pad_left = 1, pad_bottom = 1, pad_right = 1;
  uint8_t x_zero = 0;
  bool w_zero = false;
  bool i8_out = false;
  int32_t y_zero = 0;
};

struct Data {
  U8DwConvShape shape;
  std::vector<uint8_t> x;
  std::vector<int8_t> w;
  std::vector<int32_t> bias, row_offset, row_w_zero;
  std::vector<float> row_scale;
  U8S8Requant rq;
};

Data make(const Case& c, uint32_t seed) {
  Data d;
  U8DwConvShape& s = d.shape;
  s.channels = c.channels;
  s.in_h = c.in_h;
  s.in_w = c.in_w;
  s.kernel_h = s.kernel_w = c.kernel;
  s.stride_h = s.stride_w = c.stride;
  s.dilation_h = s.dilation_w = c.dilation;
  s.pad_top = c.pad_top;
  s.pad_left = c.pad_left;
  const int64_t extent = c.dilation * (c.kernel - 1) + 1;
  s.out_h = (c.in_h + c.pad_top + c.pad_bottom - extent) / c.stride + 1;
  s.out_w = (c.in_w + c.pad_left + c.pad_right - extent) / c.stride + 1;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> s8(-128, 127), u8(0, 255), zp(-4, 4);
  d.x.resize(static_cast<size_t>(c.channels * c.in_h * c.in_w));
  for (auto& v : d.x) v = static_cast<uint8_t>(u8(rng));
  const int64_t taps = c.kernel * c.kernel;
  d.w.resize(static_cast<size_t>(c.channels * taps));
  for (auto& v : d.w) v = static_cast<int8_t>(s8(rng));
  for (int64_t ch = 0; ch < c.channels; ++ch) {
    int64_t w_sum = 0;
    for (int64_t t = 0; t < taps; ++t) w_sum += d.w[static_cast<size_t>(ch * taps + t)];
    const int32_t wz = c.w_zero ? zp(rng) : 0;
    const int32_t bias = s8(rng) * 13;
    d.bias.push_back(bias);
    d.row_w_zero.push_back(wz);
    d.row_offset.push_back(
        static_cast<int32_t>(bias - c.x_zero * w_sum + taps * int64_t{c.x_zero} * wz));
    d.row_scale.push_back(0.01f + 0.0013f * static_cast<float>(ch));
  }
  d.rq.row_offset = d.row_offset.data();
  d.rq.row_w_zero = c.w_zero ? d.row_w_zero.data() : nullptr;
  d.rq.row_scale = d.row_scale.data();
  d.rq.y_zero_point = c.y_zero;
  d.rq.y_min = c.i8_out ? -128 : 0;
  d.rq.y_max = c.i8_out ? 127 : 255;
  return d;
}

size_t out_size(const U8DwConvShape& s) {
  return static_cast<size_t>(s.channels * s.out_h * s.out_w);
}

TEST(U8S8DwConv, ReferenceFoldsZeroPointsExactly) {
  for (const Case& c : {Case{.x_zero = 114, .w_zero = true}, Case{.stride = 2, .x_zero = 255},
                        Case{.kernel = 2, .dilation = 2, .pad_top = 0, .x_zero = 7}}) {
    Data d = make(c, 3);
    const U8DwConvShape& s = d.shape;
    std::vector<uint8_t> y(out_size(s));
    u8s8_dwconv__ref(s, d.x.data(), c.x_zero, d.w.data(), d.rq, nullptr, y.data());
    size_t i = 0;
    for (int64_t ch = 0; ch < s.channels; ++ch) {
      const int32_t wz = d.row_w_zero[static_cast<size_t>(ch)];
      for (int64_t oh = 0; oh < s.out_h; ++oh) {
        for (int64_t ow = 0; ow < s.out_w; ++ow, ++i) {
          int64_t acc = d.bias[static_cast<size_t>(ch)];
          for (int64_t kh = 0; kh < c.kernel; ++kh) {
            for (int64_t kw = 0; kw < c.kernel; ++kw) {
              const int64_t ih = oh * c.stride - c.pad_top + kh * c.dilation;
              const int64_t iw = ow * c.stride - c.pad_left + kw * c.dilation;
              if (ih < 0 || ih >= c.in_h || iw < 0 || iw >= c.in_w) continue;  // adds 0
              const int32_t xv = d.x[static_cast<size_t>((ch * c.in_h + ih) * c.in_w + iw)];
              const int32_t wv = d.w[static_cast<size_t>((ch * c.kernel + kh) * c.kernel + kw)];
              acc += (xv - c.x_zero) * (wv - (c.w_zero ? wz : 0));
            }
          }
          const int32_t want = u8s8_requantize(acc, d.row_scale[static_cast<size_t>(ch)], d.rq);
          ASSERT_EQ(y[i], static_cast<uint8_t>(want)) << ch << "," << oh << "," << ow;
        }
      }
    }
  }
}

void check_icl(const Case& c, uint32_t seed) {
  Data d = make(c, seed);
  const U8DwConvShape& s = d.shape;
  ASSERT_TRUE(u8s8_dwconv_3x3_fits(s));
  std::vector<uint8_t> want(out_size(s) + 64, 0xA5);
  std::vector<uint8_t> got = want;
  std::vector<uint8_t> scratch(static_cast<size_t>(u8s8_dwconv_scratch_bytes(s)));
  u8s8_dwconv__ref(s, d.x.data(), c.x_zero, d.w.data(), d.rq, nullptr, want.data());
  u8s8_dwconv_3x3__avx512icl(s, d.x.data(), c.x_zero, d.w.data(), d.rq, scratch.data(), got.data());
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i], want[i]) << c.in_h << "x" << c.in_w << " stride " << c.stride << " at " << i;
  }
}

TEST(U8S8DwConv, Avx512IclMatchesReferenceOnAwkwardShapes) {
  if (!cpu_features().avx512vnni || !cpu_features().avx512vbmi) {
    GTEST_SKIP() << "this CPU has no AVX-512 VNNI + VBMI";
  }
  uint32_t seed = 1;
  for (int64_t stride : {1, 2}) {
    for (int64_t size : {1, 3, 7, 14, 17, 33, 112}) {
      for (int64_t pad : {0, 1}) {
        if (size + 2 * pad < 3) continue;
        const uint8_t xz = std::vector<uint8_t>{0, 128, 255}[seed % 3];
        check_icl({.channels = 3,
                   .in_h = size,
                   .in_w = size + 2,
                   .stride = stride,
                   .pad_top = pad,
                   .pad_left = pad,
                   .pad_bottom = pad,
                   .pad_right = pad,
                   .x_zero = xz,
                   .w_zero = seed % 2 == 0},
                  seed);
        ++seed;
      }
    }
  }
  // Asymmetric padding (SAME_UPPER-like), int8 output, a zero-padded left edge only.
  check_icl({.channels = 5,
             .in_h = 10,
             .in_w = 50,
             .stride = 2,
             .pad_top = 0,
             .pad_left = 0,
             .x_zero = 17,
             .i8_out = true,
             .y_zero = -5},
            100);
  check_icl({.channels = 2,
             .in_h = 9,
             .in_w = 31,
             .pad_top = 2,
             .pad_left = 2,
             .pad_bottom = 0,
             .pad_right = 0,
             .x_zero = 200,
             .w_zero = true,
             .y_zero = 255},
            101);
}

}  // namespace
}  // namespace pixlake
