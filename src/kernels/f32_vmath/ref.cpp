#include <cmath>

#include "kernels/f32_vmath/vmath.h"

namespace pixlake {

void f32_vexp__ref(int64_t n, const float* x, float* y) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::exp(x[i]);
}

void f32_verf__ref(int64_t n, const float* x, float* y) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::erf(x[i]);
}

}  // namespace pixlake
