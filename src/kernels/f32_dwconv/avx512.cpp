// The depthwise kernel for AVX-512 (flags in CMakeLists.txt). 3 x 3 kernels with stride 1 or 2,
// the MobileNet shapes, are written with intrinsics: one 16-lane vector of outputs per step
// along a row, the row's tail masked, so small planes (7 x 7, 14 x 14) waste no scalar loops.
// Other shapes use the compiler-vectorised body shared with the other ISAs.
#include <immintrin.h>

#include "kernels/f32_dwconv/dwconv_impl.h"

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

__mmask16 tail_mask(int64_t remaining) {
  return remaining >= 16 ? static_cast<__mmask16>(0xFFFF)
                         : static_cast<__mmask16>((1u << remaining) - 1u);
}

// One output row of a 3 x 3, stride-1 depthwise layer from three padded input rows.
void row_3x3_s1(const float* const rows[3], const __m512 taps[9], __m512 bias, __m512 lo, __m512 hi,
                int64_t out_w, float* out) {
  for (int64_t ox = 0; ox < out_w; ox += 16) {
    __m512 acc = bias;
    for (int ky = 0; ky < 3; ++ky) {
      const float* src = rows[ky] + ox;
      acc = _mm512_fmadd_ps(taps[ky * 3 + 0], _mm512_loadu_ps(src + 0), acc);
      acc = _mm512_fmadd_ps(taps[ky * 3 + 1], _mm512_loadu_ps(src + 1), acc);
      acc = _mm512_fmadd_ps(taps[ky * 3 + 2], _mm512_loadu_ps(src + 2), acc);
    }
    acc = clamp_ps(acc, lo, hi);
    _mm512_mask_storeu_ps(out + ox, tail_mask(out_w - ox), acc);
  }
}

// Stride 2: output ox reads columns 2ox, 2ox+1, 2ox+2. Two loads of 16 cover 32 columns; the
// even and odd lanes are picked out with a two-source permute.
void row_3x3_s2(const float* const rows[3], const __m512 taps[9], __m512 bias, __m512 lo, __m512 hi,
                int64_t out_w, float* out) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  for (int64_t ox = 0; ox < out_w; ox += 16) {
    __m512 acc = bias;
    for (int ky = 0; ky < 3; ++ky) {
      const float* src = rows[ky] + 2 * ox;
      const __m512 a = _mm512_loadu_ps(src);
      const __m512 b = _mm512_loadu_ps(src + 16);
      const __m512 a2 = _mm512_loadu_ps(src + 2);
      const __m512 b2 = _mm512_loadu_ps(src + 18);
      acc = _mm512_fmadd_ps(taps[ky * 3 + 0], _mm512_permutex2var_ps(a, even, b), acc);
      acc = _mm512_fmadd_ps(taps[ky * 3 + 1], _mm512_permutex2var_ps(a, odd, b), acc);
      acc = _mm512_fmadd_ps(taps[ky * 3 + 2], _mm512_permutex2var_ps(a2, even, b2), acc);
    }
    acc = clamp_ps(acc, lo, hi);
    _mm512_mask_storeu_ps(out + ox, tail_mask(out_w - ox), acc);
  }
}

}  // namespace

void f32_dwconv2d__avx512(const DwConvShape& s, const float* x, const float* w, const float* bias,
                          Clamp clamp, float* scratch, float* y) {
  if (dwconv_fast_kernel(s) != 3) {
    dwconv2d_body(s, x, w, bias, clamp, scratch, y);
    return;
  }
  const int64_t stride = s.stride_h;
  const int64_t rows = (s.out_h - 1) * stride + 3;
  const int64_t cols = (s.out_w - 1) * stride + 3;
  const __m512 lo = _mm512_set1_ps(clamp.lo);
  const __m512 hi = _mm512_set1_ps(clamp.hi);
  for (int64_t c = 0; c < s.channels; ++c) {
    pad_plane(s, rows, cols, x + c * s.in_h * s.in_w, scratch);
    __m512 taps[9];
    for (int i = 0; i < 9; ++i) taps[i] = _mm512_set1_ps(w[c * 9 + i]);
    const __m512 b = _mm512_set1_ps(bias ? bias[c] : 0.0f);
    float* out = y + c * s.out_h * s.out_w;
    for (int64_t oy = 0; oy < s.out_h; ++oy) {
      const float* top = scratch + oy * stride * cols;
      const float* const in_rows[3] = {top, top + cols, top + 2 * cols};
      if (stride == 1) {
        row_3x3_s1(in_rows, taps, b, lo, hi, s.out_w, out + oy * s.out_w);
      } else {
        row_3x3_s2(in_rows, taps, b, lo, hi, s.out_w, out + oy * s.out_w);
      }
    }
  }
}

}  // namespace pixlake
