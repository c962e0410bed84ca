// vpdpbusd: 64 unsigned x signed byte products summed into 16 int32 lanes per instruction,
// exact (no int16 saturation on the way).
#include <immintrin.h>

#include "kernels/vec_distance/distance.h"
#include "kernels/vec_distance/reduce_avx512.h"

namespace pixlake {

int32_t u8s8_dot__avx512vnni(const uint8_t* q, const int8_t* c, int64_t n) {
  __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
  int64_t i = 0;
  for (; i + 128 <= n; i += 128) {
    acc0 = _mm512_dpbusd_epi32(acc0, _mm512_loadu_si512(q + i), _mm512_loadu_si512(c + i));
    acc1 =
        _mm512_dpbusd_epi32(acc1, _mm512_loadu_si512(q + i + 64), _mm512_loadu_si512(c + i + 64));
  }
  for (; i < n; i += 64) {
    acc0 = _mm512_dpbusd_epi32(acc0, _mm512_loadu_si512(q + i), _mm512_loadu_si512(c + i));
  }
  return hsum_epi32(_mm512_add_epi32(acc0, acc1));
}

}  // namespace pixlake
