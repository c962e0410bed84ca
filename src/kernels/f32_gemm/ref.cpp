#include "kernels/f32_gemm/gemm.h"

namespace pixlake {

void f32_gemm__ref(const GemmShape& s, const float* a, const float* b, const float* bias,
                   Clamp clamp, float* scratch, float* c) {
  (void)scratch;
  for (int64_t row = 0; row < s.m; ++row) {
    for (int64_t col = 0; col < s.n; ++col) {
      float acc = bias ? bias[row] : 0.0f;
      for (int64_t p = 0; p < s.k; ++p) acc += a[row * s.lda + p] * b[p * s.ldb + col];
      acc = acc < clamp.lo ? clamp.lo : acc;
      c[row * s.ldc + col] = acc > clamp.hi ? clamp.hi : acc;
    }
  }
}

}  // namespace pixlake
