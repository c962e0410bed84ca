// AVX-512F/BW kernels: 16 floats per step, two accumulators to hide FMA latency; the tail is
// a masked load, so no scalar loop and no reads past n.
#include <immintrin.h>

#include "kernels/vec_distance/distance.h"
#include "kernels/vec_distance/reduce_avx512.h"

namespace pixlake {
namespace {

__mmask16 tail_mask(int64_t left) {
  return left >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << left) - 1);
}

}  // namespace

float f32_l2sq__avx512(const float* a, const float* b, int64_t n) {
  __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    const __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
    acc0 = _mm512_fmadd_ps(d0, d0, acc0);
    acc1 = _mm512_fmadd_ps(d1, d1, acc1);
  }
  for (; i < n; i += 16) {
    const __mmask16 m = tail_mask(n - i);
    const __m512 d =
        _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    acc0 = _mm512_fmadd_ps(d, d, acc0);
  }
  return hsum_ps(_mm512_add_ps(acc0, acc1));
}

float f32_dot__avx512(const float* a, const float* b, int64_t n) {
  __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
    acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
  }
  for (; i < n; i += 16) {
    const __mmask16 m = tail_mask(n - i);
    acc0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), acc0);
  }
  return hsum_ps(_mm512_add_ps(acc0, acc1));
}

namespace {

__m512 load_f16(__mmask16 m, const uint16_t* p) {
  return _mm512_maskz_cvtph_ps(m, _mm256_maskz_loadu_epi16(m, p));
}

// bfloat16 is the top half of a float32: widen to 32 bits and shift into place.
__m512 load_bf16(__mmask16 m, const uint16_t* p) {
  // maskz forms: GCC 12 warns about the "undefined" source register of the plain ones.
  const __m512i wide = _mm512_maskz_cvtepu16_epi32(m, _mm256_maskz_loadu_epi16(m, p));
  return _mm512_castsi512_ps(_mm512_maskz_slli_epi32(m, wide, 16));
}

// Float against 16-bit values, 16 at a time, each widened to float32 by `Load`.
template <__m512 (*Load)(__mmask16, const uint16_t*)>
float half_l2sq(const float* a, const uint16_t* b, int64_t n) {
  __m512 acc = _mm512_setzero_ps();
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 m = tail_mask(n - i);
    const __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), Load(m, b + i));
    acc = _mm512_fmadd_ps(d, d, acc);
  }
  return hsum_ps(acc);
}

template <__m512 (*Load)(__mmask16, const uint16_t*)>
float half_dot(const float* a, const uint16_t* b, int64_t n) {
  __m512 acc = _mm512_setzero_ps();
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 m = tail_mask(n - i);
    acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), Load(m, b + i), acc);
  }
  return hsum_ps(acc);
}

}  // namespace

float f16_l2sq__avx512(const float* a, const uint16_t* b, int64_t n) {
  return half_l2sq<load_f16>(a, b, n);
}
float f16_dot__avx512(const float* a, const uint16_t* b, int64_t n) {
  return half_dot<load_f16>(a, b, n);
}
float bf16_l2sq__avx512(const float* a, const uint16_t* b, int64_t n) {
  return half_l2sq<load_bf16>(a, b, n);
}
float bf16_dot__avx512(const float* a, const uint16_t* b, int64_t n) {
  return half_dot<load_bf16>(a, b, n);
}

// Without VNNI: vpmaddubsw multiplies u8 x s8 into saturating int16 pairs. 255 * 128 * 2 =
// 65280 overflows int16, so q is split into its low and high nibble halves first:
// q = hi * 16 + lo with hi, lo <= 15, and each product pair stays below 2 * 15 * 128.
int32_t u8s8_dot__avx512(const uint8_t* q, const int8_t* c, int64_t n) {
  const __m512i nibble = _mm512_set1_epi8(0x0F);
  const __m512i ones = _mm512_set1_epi16(1);
  __m512i acc_lo = _mm512_setzero_si512(), acc_hi = _mm512_setzero_si512();
  for (int64_t i = 0; i < n; i += 64) {
    const __m512i qv = _mm512_loadu_si512(q + i);
    const __m512i cv = _mm512_loadu_si512(c + i);
    const __m512i lo = _mm512_and_si512(qv, nibble);
    const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(qv, 4), nibble);
    acc_lo = _mm512_add_epi32(acc_lo, _mm512_madd_epi16(_mm512_maddubs_epi16(lo, cv), ones));
    acc_hi = _mm512_add_epi32(acc_hi, _mm512_madd_epi16(_mm512_maddubs_epi16(hi, cv), ones));
  }
  return hsum_epi32(acc_lo) + 16 * hsum_epi32(acc_hi);
}

}  // namespace pixlake
