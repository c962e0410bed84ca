#include "core/cpu_features.h"
#include "kernels/f32_gemm/gemm.h"

namespace pixlake {

GemmFn f32_gemm() {
  static const GemmFn chosen = cpu_features().avx512f ? &f32_gemm__avx512 : nullptr;
  return chosen;
}

GemmSourceFn f32_gemm_source() {
  static const GemmSourceFn chosen = cpu_features().avx512f ? &f32_gemm_source__avx512 : nullptr;
  return chosen;
}

GemmPackedFn f32_gemm_packed() {
  static const GemmPackedFn chosen = cpu_features().avx512f ? &f32_gemm_packed__avx512 : nullptr;
  return chosen;
}

int64_t f32_gemm_packed_floats(int64_t k, int64_t n) {
  return (n + kF32GemmPanelCols - 1) / kF32GemmPanelCols * k * kF32GemmPanelCols;
}

void f32_gemm_pack_b(int64_t k, int64_t n, const float* b, int64_t ldb, float* packed) {
  for (int64_t col = 0; col < n; col += kF32GemmPanelCols) {
    float* panel = packed + col / kF32GemmPanelCols * k * kF32GemmPanelCols;
    for (int64_t p = 0; p < k; ++p) {
      for (int64_t j = 0; j < kF32GemmPanelCols; ++j) {
        panel[p * kF32GemmPanelCols + j] = col + j < n ? b[p * ldb + col + j] : 0.0f;
      }
    }
  }
}

// One packed panel of B (k rows of 32 columns), plus room to align it to 64 bytes.
int64_t f32_gemm_scratch_floats(const GemmShape& s) { return s.k * 32 + 16; }

}  // namespace pixlake
