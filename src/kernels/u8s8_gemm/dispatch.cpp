#include "core/cpu_features.h"
#include "kernels/u8s8_gemm/gemm.h"

namespace pixlake {

int64_t u8s8_gemm_scratch_bytes(const U8S8GemmShape& s) {
  // One packed panel of 48 columns over the whole depth, plus 64 bytes to align it.
  return ((s.k + 3) / 4) * 4 * 48 + 64;
}

U8S8GemmFn u8s8_gemm() {
  static const U8S8GemmFn chosen = [] {
    if (cpu_features().avx512vnni) return &u8s8_gemm_8x48__avx512vnni;
    return &u8s8_gemm__ref;
  }();
  return chosen;
}

}  // namespace pixlake
