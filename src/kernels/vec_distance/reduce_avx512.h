// Horizontal sums of one AVX-512 register. GCC 12's _mm512_reduce_add_* read an "undefined"
// register and trip -Werror=uninitialized (so do the 512 -> 256 casts); the zero-masked
// extracts here do the same work.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace pixlake {

inline float hsum_ps(__m512 v) {
  const __m256 lo = _mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xFF, _mm512_castps_pd(v), 0));
  const __m256 hi = _mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xFF, _mm512_castps_pd(v), 1));
  const __m256 s8 = _mm256_add_ps(lo, hi);
  __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  s4 = _mm_add_ss(s4, _mm_shuffle_ps(s4, s4, 0x55));
  return _mm_cvtss_f32(s4);
}

inline int32_t hsum_epi32(__m512i v) {
  const __m256i lo = _mm512_maskz_extracti64x4_epi64(0xFF, v, 0);
  const __m256i hi = _mm512_maskz_extracti64x4_epi64(0xFF, v, 1);
  const __m256i s8 = _mm256_add_epi32(lo, hi);
  __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s8), _mm256_extracti128_si256(s8, 1));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
  return _mm_cvtsi128_si32(s4);
}

}  // namespace pixlake
