// The requantising epilogue of the 8-bit kernels on 16 values at a time; included by the AVX-512
// kernel files only (compiled with their flags). Bit for bit u8s8_requantize and
// quant::quantize_value.
#pragma once

#include <immintrin.h>

#include "kernels/u8s8_gemm/gemm.h"

namespace pixlake {

struct RequantAvx512 {
  __m512 lo, hi;
  __m512i zero_point;

  explicit RequantAvx512(const U8S8Requant& rq)
      : lo(_mm512_set1_ps(static_cast<float>(rq.y_min - rq.y_zero_point))),
        hi(_mm512_set1_ps(static_cast<float>(rq.y_max - rq.y_zero_point))),
        zero_point(_mm512_set1_epi32(rq.y_zero_point)) {}

  // saturate(round_half_even(float(acc) * scale) + zero_point) as 16 bytes; NaN gives the zero
  // point.
  __m128i operator()(__m512i acc, __m512 scale) const {
    return quantize(_mm512_mul_ps(_mm512_cvtepi32_ps(acc), scale));
  }

  // saturate(round_half_even(value) + zero_point) as 16 bytes, quant::quantize_value.
  __m128i quantize(__m512 value) const {
    const __mmask16 nan = _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q);
    value = _mm512_min_ps(_mm512_max_ps(value, lo), hi);
    __m512i q = _mm512_cvt_roundps_epi32(value, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    q = _mm512_add_epi32(q, zero_point);
    q = _mm512_mask_mov_epi32(q, nan, zero_point);
    return _mm512_cvtepi32_epi8(q);
  }
};

// The first `count` (0..16) lanes.
inline __mmask16 lanes_mask(int64_t count) {
  return count >= 16 ? static_cast<__mmask16>(0xFFFF)
                     : static_cast<__mmask16>((1u << (count > 0 ? count : 0)) - 1);
}

}  // namespace pixlake
