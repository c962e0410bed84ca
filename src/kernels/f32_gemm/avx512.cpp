// C = clamp(A B + bias) for AVX-512 (flags in CMakeLists.txt).
//
// B is packed 32 columns at a time into a contiguous panel (rows of two 16-lane vectors,
// zero-padded past n), which then stays in L1/L2 while every block of 8 rows of A runs over
// it: per k, 2 vector loads and 8 broadcasts feed 16 FMAs into 16 accumulator registers.
// Bias is the accumulators' start value and the clamp is applied before the (masked) store.
#include <immintrin.h>

#include <cstdint>

#include "kernels/f32_gemm/gemm.h"

namespace pixlake {
namespace {

// min(max(v, lo), hi) with the bounds as first operands: max/min return their second operand
// when one is NaN, so NaN passes through unclamped, as in the scalar reference. (The _mask_
// forms because GCC 12 flags the plain ones' _mm512_undefined_ps() merge source as
// uninitialised under -Werror.)
inline __m512 clamp_ps(__m512 v, __m512 lo, __m512 hi) {
  const __mmask16 all = 0xFFFF;
  return _mm512_mask_min_ps(hi, all, hi, _mm512_mask_max_ps(lo, all, lo, v));
}

constexpr int kRows = 8;   // rows of A (and C) per micro-kernel call
constexpr int kCols = 32;  // columns of B (and C) per panel: two vectors

__mmask16 lanes(int64_t count) {
  if (count <= 0) return 0;
  return count >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << count) - 1u);
}

// Copies B[0..k, 0..cols) into panel rows of kCols floats, zeros after `cols`.
void pack_panel(int64_t k, const float* b, int64_t ldb, int64_t cols, float* panel) {
  const __mmask16 low = lanes(cols);
  const __mmask16 high = lanes(cols - 16);
  for (int64_t p = 0; p < k; ++p) {
    const float* src = b + p * ldb;
    _mm512_store_ps(panel + p * kCols, _mm512_maskz_loadu_ps(low, src));
    _mm512_store_ps(panel + p * kCols + 16, _mm512_maskz_loadu_ps(high, src + 16));
  }
}

template <int R>
void micro_kernel(int64_t k, const float* a, int64_t lda, const float* panel, const float* bias,
                  __m512 lo, __m512 hi, float* c, int64_t ldc, __mmask16 low, __mmask16 high) {
  __m512 acc0[R];
  __m512 acc1[R];
  for (int r = 0; r < R; ++r) {
    acc0[r] = _mm512_set1_ps(bias ? bias[r] : 0.0f);
    acc1[r] = acc0[r];
  }
  for (int64_t p = 0; p < k; ++p) {
    const __m512 b0 = _mm512_load_ps(panel + p * kCols);
    const __m512 b1 = _mm512_load_ps(panel + p * kCols + 16);
    for (int r = 0; r < R; ++r) {
      const __m512 av = _mm512_set1_ps(a[r * lda + p]);
      acc0[r] = _mm512_fmadd_ps(av, b0, acc0[r]);
      acc1[r] = _mm512_fmadd_ps(av, b1, acc1[r]);
    }
  }
  for (int r = 0; r < R; ++r) {
    const __m512 v0 = clamp_ps(acc0[r], lo, hi);
    const __m512 v1 = clamp_ps(acc1[r], lo, hi);
    _mm512_mask_storeu_ps(c + r * ldc, low, v0);
    _mm512_mask_storeu_ps(c + r * ldc + 16, high, v1);
  }
}

using MicroKernel = void (*)(int64_t, const float*, int64_t, const float*, const float*, __m512,
                             __m512, float*, int64_t, __mmask16, __mmask16);
constexpr MicroKernel kMicroKernels[kRows + 1] = {
    nullptr,          &micro_kernel<1>, &micro_kernel<2>, &micro_kernel<3>, &micro_kernel<4>,
    &micro_kernel<5>, &micro_kernel<6>, &micro_kernel<7>, &micro_kernel<8>};

// The column loop shared by the entry points; `pack(col, cols, panel)` returns the panel of
// columns [col, col + cols): `panel` filled, or B's own when it is packed already.
template <typename Pack>
void gemm_panels(const GemmShape& s, const float* a, Pack&& pack, const float* bias, Clamp clamp,
                 float* scratch, float* c) {
  const __m512 lo = _mm512_set1_ps(clamp.lo);
  const __m512 hi = _mm512_set1_ps(clamp.hi);
  // The panel starts on a cache line (scratch has room for the shift).
  float* panel = reinterpret_cast<float*>((reinterpret_cast<uintptr_t>(scratch) + 63) &
                                          ~static_cast<uintptr_t>(63));
  for (int64_t col = 0; col < s.n; col += kCols) {
    const int64_t cols = s.n - col < kCols ? s.n - col : kCols;
    const float* b_panel = pack(col, cols, panel);
    const __mmask16 low = lanes(cols);
    const __mmask16 high = lanes(cols - 16);
    for (int64_t row = 0; row < s.m; row += kRows) {
      const int64_t rows = s.m - row < kRows ? s.m - row : kRows;
      kMicroKernels[rows](s.k, a + row * s.lda, s.lda, b_panel, bias ? bias + row : nullptr, lo, hi,
                          c + row * s.ldc + col, s.ldc, low, high);
    }
  }
}

}  // namespace

void f32_gemm__avx512(const GemmShape& s, const float* a, const float* b, const float* bias,
                      Clamp clamp, float* scratch, float* c) {
  gemm_panels(
      s, a,
      [&](int64_t col, int64_t cols, float* panel) {
        pack_panel(s.k, b + col, s.ldb, cols, panel);
        return panel;
      },
      bias, clamp, scratch, c);
}

void f32_gemm_source__avx512(const GemmShape& s, const float* a, const PanelSource& b,
                             const float* bias, Clamp clamp, float* scratch, float* c) {
  static_assert(kCols == kF32GemmPanelCols);
  gemm_panels(
      s, a,
      [&](int64_t col, int64_t cols, float* panel) {
        b.pack(b.context, s.k, b.first_col + col, cols, panel);
        return panel;
      },
      bias, clamp, scratch, c);
}

void f32_gemm_packed__avx512(const GemmShape& s, const float* a, const float* packed_b,
                             const float* bias, Clamp clamp, float* c) {
  gemm_panels(
      s, a,
      [&](int64_t col, int64_t, float*) -> const float* {
        return packed_b + (col / kCols) * s.k * kCols;
      },
      bias, clamp, nullptr, c);
}

}  // namespace pixlake
