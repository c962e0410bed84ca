// GCC 12 reports its own _mm512_undefined_*() as maybe-uninitialized once inlined (GCC bug
// 105593); set before the headers.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "kernels/qu8_elementwise/elementwise.h"
#include "kernels/u8s8_gemm/requant_avx512.h"

namespace pixlake {
namespace {

constexpr int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;

U8S8Requant u8_range(int32_t zero_point) {
  U8S8Requant rq;
  rq.y_zero_point = zero_point;
  return rq;
}

}  // namespace

void qu8_vadd__avx512(int64_t n, const uint8_t* a, const uint8_t* b, const QU8AddParams& p,
                      uint8_t* y) {
  const RequantAvx512 requant(u8_range(p.y_zero_point));
  const __m512i a_zero = _mm512_set1_epi32(p.a_zero_point);
  const __m512i b_zero = _mm512_set1_epi32(p.b_zero_point);
  const __m512 a_ratio = _mm512_set1_ps(p.a_ratio);
  const __m512 b_ratio = _mm512_set1_ps(p.b_ratio);
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 mask = lanes_mask(n - i);
    const __m512i av =
        _mm512_sub_epi32(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, a + i)), a_zero);
    const __m512i bv =
        _mm512_sub_epi32(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, b + i)), b_zero);
    // Explicitly rounded operations: never contracted into an FMA.
    const __m512 a_part = _mm512_mul_round_ps(a_ratio, _mm512_cvtepi32_ps(av), kRound);
    const __m512 b_part = _mm512_mul_round_ps(b_ratio, _mm512_cvtepi32_ps(bv), kRound);
    _mm_mask_storeu_epi8(y + i, mask,
                         requant.quantize(_mm512_add_round_ps(a_part, b_part, kRound)));
  }
}

void f32_qu8_vcvt__avx512(int64_t n, const float* x, float scale, int32_t zero_point, uint8_t* y) {
  const RequantAvx512 requant(u8_range(zero_point));
  const __m512 divisor = _mm512_set1_ps(scale);
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 mask = lanes_mask(n - i);
    const __m512 value = _mm512_div_ps(_mm512_maskz_loadu_ps(mask, x + i), divisor);
    _mm_mask_storeu_epi8(y + i, mask, requant.quantize(value));
  }
}

}  // namespace pixlake
