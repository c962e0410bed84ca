#include <cmath>

#include "kernels/qu8_elementwise/elementwise.h"

namespace pixlake {
namespace {

// saturate(round_half_even(value) + zero_point) to [0, 255]; NaN gives the zero point.
uint8_t quantize(float value, int32_t zero_point) {
  if (std::isnan(value)) return static_cast<uint8_t>(zero_point);
  const auto lo = static_cast<float>(-zero_point);
  const auto hi = static_cast<float>(255 - zero_point);
  value = value < lo ? lo : (value > hi ? hi : value);
  return static_cast<uint8_t>(static_cast<int32_t>(std::nearbyint(value)) + zero_point);
}

}  // namespace

void qu8_vadd__ref(int64_t n, const uint8_t* a, const uint8_t* b, const QU8AddParams& p,
                   uint8_t* y) {
  for (int64_t i = 0; i < n; ++i) {
    const float a_part = p.a_ratio * static_cast<float>(a[i] - p.a_zero_point);
    const float b_part = p.b_ratio * static_cast<float>(b[i] - p.b_zero_point);
    y[i] = quantize(a_part + b_part, p.y_zero_point);
  }
}

void f32_qu8_vcvt__ref(int64_t n, const float* x, float scale, int32_t zero_point, uint8_t* y) {
  for (int64_t i = 0; i < n; ++i) y[i] = quantize(x[i] / scale, zero_point);
}

}  // namespace pixlake
