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

// One packed panel of B (k rows of 32 columns), plus room to align it to 64 bytes.
int64_t f32_gemm_scratch_floats(const GemmShape& s) { return s.k * 32 + 16; }

}  // namespace pixlake
