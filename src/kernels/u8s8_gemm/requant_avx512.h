// The requantising epilogue of the 8-bit kernels on 16 values at a time; included by the AVX-512
// kernel files only (compiled with their flags). Bit for bit u8s8_requantize and
// quant::quantize_value.
#pragma once

#include <immintrin.h>

#include <cmath>

#include "kernels/u8s8_gemm/gemm.h"

namespace pixlake {

struct RequantAvx512 {
  __m512 lo, hi;
  __m512i zero_point;
  bool is_signed;  // i8 output

  explicit RequantAvx512(const U8S8Requant& rq)
      : lo(_mm512_set1_ps(static_cast<float>(rq.y_min - rq.y_zero_point))),
        hi(_mm512_set1_ps(static_cast<float>(rq.y_max - rq.y_zero_point))),
        zero_point(_mm512_set1_epi32(rq.y_zero_point)),
        is_signed(rq.y_min < 0) {}

  // saturate(round_half_even(value) + zero_point) as int32 (within [y_min, y_max]); NaN gives
  // the zero point. `may_be_nan` false skips that check: float(acc) * scale is never NaN for a
  // finite scale (see finite()).
  __m512i to_int(__m512 value, bool may_be_nan) const {
    __mmask16 nan = 0;
    if (may_be_nan) nan = _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q);
    value = _mm512_min_ps(_mm512_max_ps(value, lo), hi);
    __m512i q = _mm512_cvt_roundps_epi32(value, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    q = _mm512_add_epi32(q, zero_point);
    if (may_be_nan) q = _mm512_mask_mov_epi32(q, nan, zero_point);
    return q;
  }

  // As to_int, for values that go through pack() only: u8 output leaves the lower bound to
  // pack's unsigned saturation (one instruction less). A value below it converts to a negative
  // int32 (below -2^31: INT_MIN), still negative after adding the zero point (0..255), which the
  // pack saturates to 0, as the clamp would have. i8 output clamps as to_int (a negative zero
  // point could wrap INT_MIN).
  __m512i to_int_for_pack(__m512 value, bool may_be_nan) const {
    if (is_signed) return to_int(value, may_be_nan);
    __mmask16 nan = 0;
    if (may_be_nan) nan = _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q);
    value = _mm512_min_ps(value, hi);
    __m512i q = _mm512_cvt_roundps_epi32(value, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    q = _mm512_add_epi32(q, zero_point);
    if (may_be_nan) q = _mm512_mask_mov_epi32(q, nan, zero_point);
    return q;
  }

  // The same from an int32 accumulator: float(acc) * scale.
  __m512i to_int(__m512i acc, __m512 scale, bool may_be_nan) const {
    return to_int(_mm512_mul_ps(_mm512_cvtepi32_ps(acc), scale), may_be_nan);
  }
  __m512i to_int_for_pack(__m512i acc, __m512 scale, bool may_be_nan) const {
    return to_int_for_pack(_mm512_mul_ps(_mm512_cvtepi32_ps(acc), scale), may_be_nan);
  }

  static bool finite(float scale) { return std::isfinite(scale); }

  // 16 bytes.
  __m128i operator()(__m512i acc, __m512 scale) const {
    return _mm512_cvtepi32_epi8(to_int(acc, scale, true));
  }
  __m128i quantize(__m512 value) const { return _mm512_cvtepi32_epi8(to_int(value, true)); }

  // Four vectors of values from to_int (or to_int_for_pack) as 64 bytes in order (q0's 16,
  // then q1's, ...).
  __m512i pack(__m512i q0, __m512i q1, __m512i q2, __m512i q3) const {
    // The packs work within 128-bit lanes: lane i of the result holds q0[4i..4i+3],
    // q1[4i..4i+3], q2[...], q3[...] as 4 dwords; the permutation puts them back in order. The
    // values are in range, so the packs' saturation changes nothing.
    const __m512i q01 = _mm512_packs_epi32(q0, q1);
    const __m512i q23 = _mm512_packs_epi32(q2, q3);
    const __m512i bytes = is_signed ? _mm512_packs_epi16(q01, q23) : _mm512_packus_epi16(q01, q23);
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    return _mm512_permutexvar_epi32(order, bytes);
  }
};

// The first `count` (0..16) lanes.
inline __mmask16 lanes_mask(int64_t count) {
  return count >= 16 ? static_cast<__mmask16>(0xFFFF)
                     : static_cast<__mmask16>((1u << (count > 0 ? count : 0)) - 1);
}

// The first `count` (0..64) bytes.
inline __mmask64 bytes_mask(int64_t count) {
  return count >= 64 ? ~__mmask64{0} : (__mmask64{1} << (count > 0 ? count : 0)) - 1;
}

}  // namespace pixlake
