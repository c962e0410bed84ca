#include "core/cpu_features.h"
#include "kernels/f32_dwconv/dwconv.h"

namespace pixlake {

int dwconv_fast_kernel(const DwConvShape& s) {
  const bool square = s.kernel_h == s.kernel_w && s.stride_h == s.stride_w;
  const bool plain = s.dilation_h == 1 && s.dilation_w == 1 && (s.stride_h == 1 || s.stride_h == 2);
  if (!square || !plain || s.out_h < 1 || s.out_w < 1) return 0;
  return s.kernel_h == 3 || s.kernel_h == 5 ? static_cast<int>(s.kernel_h) : 0;
}

int64_t f32_dwconv2d_scratch_floats(const DwConvShape& s) {
  const int64_t k = dwconv_fast_kernel(s);
  if (k == 0) return 0;
  const int64_t rows = (s.out_h - 1) * s.stride_h + k;
  const int64_t cols = (s.out_w - 1) * s.stride_w + k;
  // The AVX-512 kernel reads whole vectors past the last column (masked off on output).
  constexpr int64_t kVectorSlack = 64;
  return rows * cols + s.out_h * cols + kVectorSlack;
}

DwConvFn f32_dwconv2d() {
  static const DwConvFn chosen = [] {
    const CpuFeatures& cpu = cpu_features();
    if (cpu.avx512f) return &f32_dwconv2d__avx512;
    if (cpu.avx2 && cpu.fma) return &f32_dwconv2d__avx2;
    return &f32_dwconv2d__generic;
  }();
  return chosen;
}

}  // namespace pixlake
