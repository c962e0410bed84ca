// C = clamp(A B + bias) in bf16 x bf16 -> f32 for AVX-512 BF16 (flags in CMakeLists.txt).
//
// The shape of kernels/f32_gemm/avx512.cpp with k taken two at a time: B is packed 32 columns
// at a time into rows of 32 (k, k + 1) pairs, each pair one 32-bit lane, so that one vdpbf16ps
// against a broadcast pair of A adds two products to each of 16 float accumulators.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "kernels/bf16_gemm/gemm.h"

namespace pixlake {
namespace {

constexpr int kRows = 8;
constexpr int kCols = 32;

// See kernels/f32_gemm/avx512.cpp: bounds first so that NaN passes.
inline __m512 clamp_ps(__m512 v, __m512 lo, __m512 hi) {
  const __mmask16 all = 0xFFFF;
  return _mm512_mask_min_ps(hi, all, hi, _mm512_mask_max_ps(lo, all, lo, v));
}

__mmask16 lanes(int64_t count) {
  if (count <= 0) return 0;
  return count >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << count) - 1u);
}

// Packs B rows 2p and 2p + 1 (the second zero past k) as bf16 pairs, 32 columns per row.
void pack_panel(int64_t k, const float* b, int64_t ldb, int64_t cols, uint32_t* panel) {
  const __mmask16 low = lanes(cols);
  const __mmask16 high = lanes(cols - 16);
  // cvtne2ps gives [second's 16 values, first's 16]; this interleaves them as (even, odd) pairs.
  const __m512i interleave =
      _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7, 22, 6,
                       21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
  for (int64_t p = 0; p < k; p += 2) {
    const float* even = b + p * ldb;
    const float* odd = even + ldb;
    const bool has_odd = p + 1 < k;
    for (int half = 0; half < 2; ++half) {
      const __mmask16 mask = half == 0 ? low : high;
      const __m512 e = _mm512_maskz_loadu_ps(mask, even + 16 * half);
      const __m512 o = has_odd ? _mm512_maskz_loadu_ps(mask, odd + 16 * half) : _mm512_setzero_ps();
      const __m512i both = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(o, e));
      _mm512_store_si512(panel + (p / 2) * kCols + 16 * half,
                         _mm512_permutexvar_epi16(interleave, both));
    }
  }
}

template <int R>
void micro_kernel(int64_t pairs, const uint32_t* a, int64_t lda, const uint32_t* panel,
                  const float* bias, __m512 lo, __m512 hi, float* c, int64_t ldc, __mmask16 low,
                  __mmask16 high) {
  __m512 acc0[R];
  __m512 acc1[R];
  for (int r = 0; r < R; ++r) {
    acc0[r] = _mm512_set1_ps(bias ? bias[r] : 0.0f);
    acc1[r] = acc0[r];
  }
  for (int64_t p = 0; p < pairs; ++p) {
    // (loadu: prepacked weight panels are not 64-byte aligned; same speed when they are)
    const __m512bh b0 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(panel + p * kCols));
    const __m512bh b1 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(panel + p * kCols + 16));
    for (int r = 0; r < R; ++r) {
      const __m512bh av =
          reinterpret_cast<__m512bh>(_mm512_set1_epi32(static_cast<int>(a[r * lda + p])));
      acc0[r] = _mm512_dpbf16_ps(acc0[r], av, b0);
      acc1[r] = _mm512_dpbf16_ps(acc1[r], av, b1);
    }
  }
  for (int r = 0; r < R; ++r) {
    _mm512_mask_storeu_ps(c + r * ldc, low, clamp_ps(acc0[r], lo, hi));
    _mm512_mask_storeu_ps(c + r * ldc + 16, high, clamp_ps(acc1[r], lo, hi));
  }
}

using MicroKernel = void (*)(int64_t, const uint32_t*, int64_t, const uint32_t*, const float*,
                             __m512, __m512, float*, int64_t, __mmask16, __mmask16);
constexpr MicroKernel kMicroKernels[kRows + 1] = {
    nullptr,          &micro_kernel<1>, &micro_kernel<2>, &micro_kernel<3>, &micro_kernel<4>,
    &micro_kernel<5>, &micro_kernel<6>, &micro_kernel<7>, &micro_kernel<8>};

// The column loop of both entry points; pack(col, cols, panel) fills one bf16 panel.
template <typename Pack>
void gemm_panels(const GemmShape& s, const uint32_t* a_pairs, Pack&& pack, const float* bias,
                 Clamp clamp, uint32_t* panel, float* c) {
  const __m512 lo = _mm512_set1_ps(clamp.lo);
  const __m512 hi = _mm512_set1_ps(clamp.hi);
  const int64_t pairs = bf16_pairs(s.k);
  for (int64_t col = 0; col < s.n; col += kCols) {
    const int64_t cols = s.n - col < kCols ? s.n - col : kCols;
    pack(col, cols, panel);
    const __mmask16 low = lanes(cols);
    const __mmask16 high = lanes(cols - 16);
    for (int64_t row = 0; row < s.m; row += kRows) {
      const int64_t rows = s.m - row < kRows ? s.m - row : kRows;
      kMicroKernels[rows](pairs, a_pairs + row * pairs, pairs, panel, bias ? bias + row : nullptr,
                          lo, hi, c + row * s.ldc + col, s.ldc, low, high);
    }
  }
}

uint32_t* aligned_panel(float* scratch) {
  return reinterpret_cast<uint32_t*>((reinterpret_cast<uintptr_t>(scratch) + 63) &
                                     ~static_cast<uintptr_t>(63));
}

}  // namespace

void bf16_gemm__avx512bf16(const GemmShape& s, const uint32_t* a_pairs, const float* b,
                           const float* bias, Clamp clamp, float* scratch, float* c) {
  gemm_panels(
      s, a_pairs,
      [&](int64_t col, int64_t cols, uint32_t* panel) {
        pack_panel(s.k, b + col, s.ldb, cols, panel);
      },
      bias, clamp, aligned_panel(scratch), c);
}

void bf16_pack_rows__avx512bf16(const float* a, int64_t rows, int64_t k, int64_t lda,
                                uint32_t* pairs) {
  // (even, odd) neighbours of a row are already adjacent: 32 floats converted in order are
  // 16 pairs as the kernels want them.
  const int64_t n_pairs = bf16_pairs(k);
  for (int64_t row = 0; row < rows; ++row) {
    const float* src = a + row * lda;
    uint32_t* dst = pairs + row * n_pairs;
    for (int64_t p = 0; p < k; p += 32) {
      const __mmask16 low = lanes(k - p);
      const __mmask16 high = lanes(k - p - 16);
      const __m512 first = _mm512_maskz_loadu_ps(low, src + p);
      const __m512 second = _mm512_maskz_loadu_ps(high, src + p + 16);
      // cvtne2ps_pbh(second, first): first's 16 values in the low half, second's in the high.
      const __m512i both = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(second, first));
      const int64_t words = std::min<int64_t>(16, n_pairs - p / 2);
      _mm512_mask_storeu_epi32(dst + p / 2, lanes(words), both);
    }
  }
}

void bf16_gemm_packed__avx512bf16(const GemmShape& s, const uint32_t* a_pairs,
                                  const uint32_t* b_panels, Clamp clamp, float* c) {
  const __m512 lo = _mm512_set1_ps(clamp.lo);
  const __m512 hi = _mm512_set1_ps(clamp.hi);
  const int64_t pairs = bf16_pairs(s.k);
  for (int64_t col = 0; col < s.n; col += kCols) {
    const int64_t cols = s.n - col < kCols ? s.n - col : kCols;
    const uint32_t* panel = b_panels + (col / kCols) * pairs * kCols;
    const __mmask16 low = lanes(cols);
    const __mmask16 high = lanes(cols - 16);
    for (int64_t row = 0; row < s.m; row += kRows) {
      const int64_t rows = s.m - row < kRows ? s.m - row : kRows;
      kMicroKernels[rows](pairs, a_pairs + row * pairs, pairs, panel, nullptr, lo, hi,
                          c + row * s.ldc + col, s.ldc, low, high);
    }
  }
}

void bf16_gemm_source__avx512bf16(const GemmShape& s, const uint32_t* a_pairs, const PanelSource& b,
                                  const float* bias, Clamp clamp, float* scratch, float* c) {
  static_assert(kCols == kF32GemmPanelCols);
  uint32_t* panel = aligned_panel(scratch);
  // The float32 panel from the source, staged after the bf16 one, then converted.
  float* staging = reinterpret_cast<float*>(
      aligned_panel(reinterpret_cast<float*>(panel + bf16_pairs(s.k) * kCols)));
  gemm_panels(
      s, a_pairs,
      [&](int64_t col, int64_t cols, uint32_t* out) {
        b.pack(b.context, s.k, b.first_col + col, cols, staging);
        pack_panel(s.k, staging, kCols, cols, out);
      },
      bias, clamp, panel, c);
}

}  // namespace pixlake
