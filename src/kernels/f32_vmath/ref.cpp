#include <cmath>

#include "kernels/f32_vmath/vmath.h"

namespace pixlake {

void f32_vexp__ref(int64_t n, const float* x, float* y) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::exp(x[i]);
}

void f32_verf__ref(int64_t n, const float* x, float* y) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::erf(x[i]);
}

void f32_vgelu__ref(int64_t n, const float* x, float* y) {
  constexpr float kInvSqrt2 = 0.7071067811865476f;
  for (int64_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * kInvSqrt2));
}

}  // namespace pixlake
