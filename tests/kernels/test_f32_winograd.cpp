// Winograd F(4x4, 3x3) transforms: the AVX-512 builds against the reference loops on awkward
// channel / map counts and output sizes (partial tiles), with bias and clamp; and the whole
// method (transforms + products) against a direct convolution in double, to bound its
// rounding error.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/f32_winograd/winograd.h"
#include "ops/random_tensor.h"

namespace pixlake {
namespace {

using testing::random_values;

WinogradShape shape_for(int64_t channels, int64_t maps, int64_t out_h, int64_t out_w) {
  WinogradShape s;
  s.channels = channels;
  s.cp = (channels + 15) / 16 * 16;
  s.maps = maps;
  s.kp = (maps + 15) / 16 * 16;
  s.out_h = out_h;
  s.out_w = out_w;
  s.tiles_h = (out_h + 3) / 4;
  s.tiles_w = (out_w + 3) / 4;
  return s;
}

struct Case {
  int64_t channels, maps, out_h, out_w;
};
constexpr Case kCases[] = {
    {1, 1, 4, 4}, {3, 5, 13, 13}, {17, 33, 7, 9}, {16, 16, 14, 14}, {40, 17, 5, 21}};

TEST(F32Winograd, Avx512TransformsMatchTheReference) {
  if (!cpu_features().avx512f) GTEST_SKIP() << "this CPU has no AVX-512";
  const Clamp relu{0.0f, std::numeric_limits<float>::infinity()};
  const Clamp none{-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()};
  for (const Case& c : kCases) {
    const WinogradShape s = shape_for(c.channels, c.maps, c.out_h, c.out_w);
    const auto hwc = random_values(static_cast<size_t>(s.padded_h() * s.padded_w() * s.cp), 1);
    const auto v_size = static_cast<size_t>(kWinogradPoints * s.tiles() * s.cp);
    std::vector<float> v_ref(v_size), v_fast(v_size);
    f32_winograd43_input__ref(s, hwc.data(), 0, s.tiles(), v_ref.data());
    f32_winograd43_input__avx512(s, hwc.data(), 0, s.tiles(), v_fast.data());
    for (size_t i = 0; i < v_size; ++i) {
      ASSERT_NEAR(v_fast[i], v_ref[i], 1e-5f * (1 + std::abs(v_ref[i]))) << "input at " << i;
    }
    const auto m = random_values(static_cast<size_t>(kWinogradPoints * s.tiles() * s.kp), 2);
    const auto bias = random_values(static_cast<size_t>(s.maps), 3);
    for (const Clamp& clamp : {none, relu}) {
      for (const float* b : {static_cast<const float*>(nullptr), bias.data()}) {
        const auto y_size = static_cast<size_t>(s.maps * s.out_h * s.out_w);
        // NaN-filled: every output position must be written, and only those.
        std::vector<float> y_ref(y_size + 1, std::nanf("")), y_fast(y_size + 1, std::nanf(""));
        f32_winograd43_output__ref(s, m.data(), b, clamp, 0, s.tiles(), y_ref.data());
        // In two tile ranges, as the thread pool splits it.
        f32_winograd43_output__avx512(s, m.data(), b, clamp, 0, s.tiles() / 2, y_fast.data());
        f32_winograd43_output__avx512(s, m.data(), b, clamp, s.tiles() / 2, s.tiles(),
                                      y_fast.data());
        for (size_t i = 0; i < y_size; ++i) {
          ASSERT_FALSE(std::isnan(y_fast[i])) << "output " << i << " not written";
          ASSERT_NEAR(y_fast[i], y_ref[i], 1e-5f * (1 + std::abs(y_ref[i]))) << "output " << i;
        }
        ASSERT_TRUE(std::isnan(y_fast[y_size])) << "wrote past the output";
      }
    }
  }
}

// Transforms + the 36 products (plain loops here) against the direct convolution: the error
// stays near float rounding relative to the outputs' scale.
TEST(F32Winograd, WholeMethodIsCloseToTheDirectConvolution) {
  const int64_t channels = 24, maps = 7, in_h = 15, in_w = 18;  // pad 1: out = in
  const WinogradShape s = shape_for(channels, maps, in_h, in_w);
  const auto image = random_values(static_cast<size_t>(channels * in_h * in_w), 4);
  const auto weights = random_values(static_cast<size_t>(maps * channels * 9), 5);
  std::vector<float> hwc(static_cast<size_t>(s.padded_h() * s.padded_w() * s.cp), 0.0f);
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t y = 0; y < in_h; ++y) {
      for (int64_t x = 0; x < in_w; ++x) {
        hwc[static_cast<size_t>(((y + 1) * s.padded_w() + x + 1) * s.cp + c)] =
            image[static_cast<size_t>((c * in_h + y) * in_w + x)];
      }
    }
  }
  std::vector<float> v(static_cast<size_t>(kWinogradPoints * s.tiles() * s.cp));
  f32_winograd43_input()(s, hwc.data(), 0, s.tiles(), v.data());
  const std::vector<float> u = f32_winograd43_weights(weights.data(), maps, channels, s.cp);
  std::vector<float> m(static_cast<size_t>(kWinogradPoints * s.tiles() * s.kp), 0.0f);
  for (int64_t xi = 0; xi < kWinogradPoints; ++xi) {
    for (int64_t t = 0; t < s.tiles(); ++t) {
      for (int64_t k = 0; k < maps; ++k) {
        double sum = 0;
        for (int64_t c = 0; c < s.cp; ++c) {
          sum += double(v[static_cast<size_t>((xi * s.tiles() + t) * s.cp + c)]) *
                 u[static_cast<size_t>((xi * s.cp + c) * maps + k)];
        }
        m[static_cast<size_t>((xi * s.tiles() + t) * s.kp + k)] = static_cast<float>(sum);
      }
    }
  }
  const Clamp none{-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()};
  std::vector<float> y(static_cast<size_t>(maps * in_h * in_w));
  f32_winograd43_output()(s, m.data(), nullptr, none, 0, s.tiles(), y.data());
  double worst = 0, scale = 0;
  for (int64_t k = 0; k < maps; ++k) {
    for (int64_t oy = 0; oy < in_h; ++oy) {
      for (int64_t ox = 0; ox < in_w; ++ox) {
        double direct = 0;
        for (int64_t c = 0; c < channels; ++c) {
          for (int64_t ky = 0; ky < 3; ++ky) {
            for (int64_t kx = 0; kx < 3; ++kx) {
              const int64_t iy = oy + ky - 1, ix = ox + kx - 1;
              if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) continue;
              direct += double(image[static_cast<size_t>((c * in_h + iy) * in_w + ix)]) *
                        weights[static_cast<size_t>(((k * channels + c) * 3 + ky) * 3 + kx)];
            }
          }
        }
        const double got = y[static_cast<size_t>((k * in_h + oy) * in_w + ox)];
        worst = std::max(worst, std::abs(got - direct));
        scale = std::max(scale, std::abs(direct));
      }
    }
  }
  EXPECT_LT(worst, 2e-6 * scale) << "worst error " << worst << " for outputs up to " << scale;
}

}  // namespace
}  // namespace pixlake
