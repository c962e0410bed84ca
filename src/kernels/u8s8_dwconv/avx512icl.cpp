// Depthwise 3x3 on AVX-512 VNNI + VBMI. Each channel is first copied into a plane padded with
// the zero point (scratch), so that the loop below reads whole vectors without bounds checks.
// For 16 outputs of one row and one kernel row, vpermb picks bytes (stride * l + 0..3) of a
// 64-byte load into lane l: the 3 taps (and one more, weighted 0); vpdpbusd multiplies them by
// the kernel row's 3 weights and adds the products to the lane's sum.
// GCC 12 reports its own _mm512_undefined_*() (the "__Y = __Y" idiom inside the intrinsics) as
// maybe-uninitialized once these functions are inlined (GCC bug 105593); set before the headers.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/u8s8_dwconv/dwconv.h"
#include "kernels/u8s8_gemm/requant_avx512.h"

namespace pixlake {
namespace {

// Plane c of x padded with the zero point into `plane` (rows x pitch, pitch a multiple of 64).
void pad_plane(const U8DwConvShape& s, const uint8_t* x, uint8_t x_zero_point, int64_t rows,
               int64_t pitch, uint8_t* plane) {
  const __m512i fill = _mm512_set1_epi8(static_cast<char>(x_zero_point));
  const int64_t left = std::min(s.pad_left, pitch);
  const int64_t count = std::clamp<int64_t>(pitch - left, 0, s.in_w);
  for (int64_t r = 0; r < rows; ++r) {
    uint8_t* dst = plane + r * pitch;
    for (int64_t i = 0; i < pitch; i += 64) _mm512_storeu_si512(dst + i, fill);
    const int64_t ih = r - s.pad_top;
    if (ih < 0 || ih >= s.in_h) continue;
    const uint8_t* src = x + ih * s.in_w;
    for (int64_t i = 0; i < count; i += 64) {
      const int64_t n = std::min<int64_t>(64, count - i);
      const __mmask64 mask = n == 64 ? ~__mmask64{0} : (__mmask64{1} << n) - 1;
      _mm512_mask_storeu_epi8(dst + left + i, mask, _mm512_maskz_loadu_epi8(mask, src + i));
    }
  }
}

template <int Stride>
void channel(const U8DwConvShape& s, const uint8_t* plane, int64_t pitch, const int8_t* w,
             int64_t c, const U8S8Requant& rq, const RequantAvx512& requant, uint8_t* y) {
  alignas(64) uint8_t index_bytes[64];
  for (int l = 0; l < 16; ++l) {
    for (int i = 0; i < 4; ++i) index_bytes[4 * l + i] = static_cast<uint8_t>(Stride * l + i);
  }
  const __m512i index = _mm512_load_si512(index_bytes);
  __m512i w_row[3];
  for (int ky = 0; ky < 3; ++ky) {
    const uint32_t packed = static_cast<uint8_t>(w[3 * ky]) |
                            static_cast<uint32_t>(static_cast<uint8_t>(w[3 * ky + 1])) << 8 |
                            static_cast<uint32_t>(static_cast<uint8_t>(w[3 * ky + 2])) << 16;
    w_row[ky] = _mm512_set1_epi32(static_cast<int32_t>(packed));
  }
  const __m512i ones = _mm512_set1_epi32(0x00010101);
  const __m512i offset = _mm512_set1_epi32(rq.row_offset[c]);
  const __m512 scale = _mm512_set1_ps(rq.row_scale[c]);
  const bool w_zero = rq.row_w_zero != nullptr && rq.row_w_zero[c] != 0;
  const __m512i w_zero_point = _mm512_set1_epi32(w_zero ? rq.row_w_zero[c] : 0);
  for (int64_t oh = 0; oh < s.out_h; ++oh) {
    const uint8_t* top = plane + oh * Stride * pitch;
    uint8_t* dst = y + oh * s.out_w;
    for (int64_t ow = 0; ow < s.out_w; ow += 16) {
      const uint8_t* src = top + ow * Stride;
      __m512i acc = offset;
      __m512i x_sum = _mm512_setzero_si512();
      for (int ky = 0; ky < 3; ++ky) {
        const __m512i x = _mm512_permutexvar_epi8(index, _mm512_loadu_si512(src + ky * pitch));
        acc = _mm512_dpbusd_epi32(acc, x, w_row[ky]);
        if (w_zero) x_sum = _mm512_dpbusd_epi32(x_sum, x, ones);
      }
      if (w_zero) acc = _mm512_sub_epi32(acc, _mm512_mullo_epi32(w_zero_point, x_sum));
      _mm_mask_storeu_epi8(dst + ow, lanes_mask(s.out_w - ow), requant(acc, scale));
    }
  }
}

}  // namespace

void u8s8_dwconv_3x3__avx512icl(const U8DwConvShape& s, const uint8_t* x, uint8_t x_zero_point,
                                const int8_t* w, const U8S8Requant& rq, uint8_t* scratch,
                                uint8_t* y) {
  const int64_t pitch = u8s8_dwconv_padded_pitch(s);
  const int64_t rows = (s.out_h - 1) * s.stride_h + 3;
  const RequantAvx512 requant(rq);
  for (int64_t c = 0; c < s.channels; ++c) {
    pad_plane(s, x + c * s.in_h * s.in_w, x_zero_point, rows, pitch, scratch);
    uint8_t* y_plane = y + c * s.out_h * s.out_w;
    if (s.stride_h == 1) {
      channel<1>(s, scratch, pitch, w + 9 * c, c, rq, requant, y_plane);
    } else {
      channel<2>(s, scratch, pitch, w + 9 * c, c, rq, requant, y_plane);
    }
  }
}

}  // namespace pixlake
