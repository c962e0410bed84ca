// The F(4x4, 3x3) transforms 16 channels at a time (flags in CMakeLists.txt): channel-last
// layouts make every 6x6 patch 36 contiguous vector loads, and the transform matrices'
// small integer entries become adds and a few multiplies (the factoring of Lavin & Gray).
#include <immintrin.h>

#include "kernels/f32_winograd/winograd.h"

namespace pixlake {
namespace {

constexpr __mmask16 kAll = 0xFFFF;

// One column (or row) of B^T d: six values in, six out.
inline void input_1d(const __m512 d[6], __m512 out[6]) {
  const __m512 four = _mm512_set1_ps(4.0f), five = _mm512_set1_ps(5.0f);
  const __m512 two = _mm512_set1_ps(2.0f);
  const __m512 d4_minus_d2 = _mm512_sub_ps(d[4], d[2]);
  out[0] = _mm512_fnmadd_ps(five, d[2], _mm512_fmadd_ps(four, d[0], d[4]));
  out[1] = _mm512_fnmadd_ps(four, _mm512_add_ps(d[1], d[2]), _mm512_add_ps(d[3], d[4]));
  out[2] = _mm512_fmadd_ps(four, _mm512_sub_ps(d[1], d[2]), _mm512_sub_ps(d[4], d[3]));
  out[3] = _mm512_fmadd_ps(two, _mm512_sub_ps(d[3], d[1]), d4_minus_d2);
  out[4] = _mm512_fmadd_ps(two, _mm512_sub_ps(d[1], d[3]), d4_minus_d2);
  out[5] = _mm512_fnmadd_ps(five, d[3], _mm512_fmadd_ps(four, d[1], d[5]));
}

// One column (or row) of A^T m: six values in, four out.
inline void output_1d(const __m512 m[6], __m512 out[4]) {
  const __m512 s12 = _mm512_add_ps(m[1], m[2]), d12 = _mm512_sub_ps(m[1], m[2]);
  const __m512 s34 = _mm512_add_ps(m[3], m[4]), d34 = _mm512_sub_ps(m[3], m[4]);
  out[0] = _mm512_add_ps(_mm512_add_ps(m[0], s12), s34);
  out[1] = _mm512_fmadd_ps(_mm512_set1_ps(2.0f), d34, d12);
  out[2] = _mm512_fmadd_ps(_mm512_set1_ps(4.0f), s34, s12);
  out[3] = _mm512_add_ps(_mm512_fmadd_ps(_mm512_set1_ps(8.0f), d34, d12), m[5]);
}

}  // namespace

void f32_winograd43_input__avx512(const WinogradShape& s, const float* hwc, int64_t tile_begin,
                                  int64_t tile_end, float* v) {
  const int64_t row_floats = s.padded_w() * s.cp;
  const int64_t xi_stride = s.tiles() * s.cp;  // floats from one xi to the next in v
  for (int64_t tile = tile_begin; tile < tile_end; ++tile) {
    const int64_t y0 = tile / s.tiles_w * kWinogradTile, x0 = tile % s.tiles_w * kWinogradTile;
    const float* patch = hwc + y0 * row_floats + x0 * s.cp;
    for (int64_t cb = 0; cb < s.cp; cb += 16) {
      __m512 t[6][6];  // t[j][i] = (B^T d)[i][j]: column j of the patch transformed
      for (int j = 0; j < 6; ++j) {
        __m512 d[6];
        for (int i = 0; i < 6; ++i) d[i] = _mm512_loadu_ps(patch + i * row_floats + j * s.cp + cb);
        input_1d(d, t[j]);
      }
      float* out = v + tile * s.cp + cb;
      for (int i = 0; i < 6; ++i) {
        const __m512 row[6] = {t[0][i], t[1][i], t[2][i], t[3][i], t[4][i], t[5][i]};
        __m512 r[6];
        input_1d(row, r);
        for (int j = 0; j < 6; ++j) _mm512_storeu_ps(out + (i * 6 + j) * xi_stride, r[j]);
      }
    }
  }
}

void f32_winograd43_output__avx512(const WinogradShape& s, const float* m, const float* bias,
                                   Clamp clamp, int64_t tile_begin, int64_t tile_end, float* y) {
  const int64_t xi_stride = s.tiles() * s.kp;
  const int64_t plane = s.out_h * s.out_w;
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i plane_offsets =
      _mm512_mullo_epi32(lane, _mm512_set1_epi32(static_cast<int>(plane)));
  const __m512 lo = _mm512_set1_ps(clamp.lo), hi = _mm512_set1_ps(clamp.hi);
  for (int64_t tile = tile_begin; tile < tile_end; ++tile) {
    const int64_t y0 = tile / s.tiles_w * kWinogradTile, x0 = tile % s.tiles_w * kWinogradTile;
    const float* in = m + tile * s.kp;
    for (int64_t kb = 0; kb < s.maps; kb += 16) {
      const int64_t count = s.maps - kb < 16 ? s.maps - kb : 16;
      const __mmask16 valid = count == 16 ? kAll : static_cast<__mmask16>((1u << count) - 1u);
      const __m512 b = bias ? _mm512_maskz_loadu_ps(valid, bias + kb) : _mm512_setzero_ps();
      __m512 t[6][4];  // t[j][i] = (A^T M)[i][j]
      for (int j = 0; j < 6; ++j) {
        __m512 col[6];
        for (int i = 0; i < 6; ++i) col[i] = _mm512_loadu_ps(in + (i * 6 + j) * xi_stride + kb);
        output_1d(col, t[j]);
      }
      for (int i = 0; i < 4; ++i) {
        if (y0 + i >= s.out_h) break;
        const __m512 row[6] = {t[0][i], t[1][i], t[2][i], t[3][i], t[4][i], t[5][i]};
        __m512 o[4];
        output_1d(row, o);
        for (int j = 0; j < 4; ++j) {
          if (x0 + j >= s.out_w) break;
          // clamp as the GEMM kernel does: bounds first so that NaN passes through.
          __m512 value = _mm512_add_ps(o[j], b);
          value = _mm512_mask_min_ps(hi, kAll, hi, _mm512_mask_max_ps(lo, kAll, lo, value));
          float* base = y + (kb * s.out_h + y0 + i) * s.out_w + x0 + j;
          _mm512_mask_i32scatter_ps(base, valid, plane_offsets, value, 4);
        }
      }
    }
  }
}

}  // namespace pixlake
