// Depthwise 3x3 on AVX-512 VNNI + VBMI. Each channel is first copied into a plane padded with
// the zero point (scratch, two planes in turn), so that the loops below read whole vectors
// without bounds checks.
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

// Plane c of x padded with the zero point into `plane` (rows x pitch, pitch a multiple of 64,
// plane 64-byte aligned). Each 64-byte chunk of a padded row is one aligned store of one masked
// load merged into the zero point: loads that later span several overlapping stores still in
// flight cannot be forwarded from them and stall.
void pad_plane(const U8DwConvShape& s, const uint8_t* x, uint8_t x_zero_point, int64_t rows,
               int64_t pitch, uint8_t* plane) {
  const __m512i fill = _mm512_set1_epi8(static_cast<char>(x_zero_point));
  // Padded columns [64i, 64i + 64) read input columns [64i - pad_left, ...) inside [0, in_w).
  auto mask_of = [&](int64_t i) -> __mmask64 {
    const int64_t first = 64 * i - s.pad_left;
    const int64_t lo = std::clamp<int64_t>(-first, 0, 64);
    const int64_t hi = std::clamp<int64_t>(s.in_w - first, 0, 64);
    return hi > lo ? bytes_mask(hi) & ~bytes_mask(lo) : 0;
  };
  constexpr int64_t kKeptMasks = 16;
  __mmask64 chunk_mask[kKeptMasks];
  const int64_t chunks = pitch / 64;
  for (int64_t i = 0; i < chunks && i < kKeptMasks; ++i) chunk_mask[i] = mask_of(i);
  for (int64_t r = 0; r < rows; ++r) {
    uint8_t* dst = plane + r * pitch;
    const int64_t ih = r - s.pad_top;
    if (ih < 0 || ih >= s.in_h) {
      for (int64_t i = 0; i < pitch; i += 64) _mm512_store_si512(dst + i, fill);
      continue;
    }
    const uintptr_t src = reinterpret_cast<uintptr_t>(x + ih * s.in_w);
    for (int64_t i = 0; i < chunks; ++i) {
      const __mmask64 mask = i < kKeptMasks ? chunk_mask[i] : mask_of(i);
      // The address may lie before the row: the mask keeps the load inside it.
      const auto* from =
          reinterpret_cast<const uint8_t*>(src + static_cast<uintptr_t>(64 * i - s.pad_left));
      _mm512_store_si512(dst + 64 * i, _mm512_mask_loadu_epi8(fill, mask, from));
    }
  }
}

struct ChannelParams {
  __m512i index;     // vpermb: lane l <- bytes stride * l + 0..3
  __m512i w_row[3];  // the 3 weights of each kernel row (and a 0) in every lane
  __m512i ones;      // (1, 1, 1, 0): the sum of the 3 taps, for a weight zero point
  __m512i offset;    // row_offset of the channel
  __m512i w_zero;    // its weight zero point
  __m512 scale;
  bool has_w_zero;
  bool may_be_nan;
};

// V (1..4) vectors of 16 outputs of one row, from `src` (the first tap of the first output) on.
template <int Stride, int V>
inline void outputs(const uint8_t* src, int64_t pitch, const ChannelParams& c,
                    const RequantAvx512& requant, uint8_t* dst, __mmask64 store) {
  __m512i q[4];
#pragma GCC unroll 4
  for (int v = 0; v < V; ++v) {
    __m512i acc = c.offset;
    __m512i x_sum = _mm512_setzero_si512();
#pragma GCC unroll 3
    for (int ky = 0; ky < 3; ++ky) {
      const __m512i x =
          _mm512_permutexvar_epi8(c.index, _mm512_loadu_si512(src + ky * pitch + 16 * Stride * v));
      acc = _mm512_dpbusd_epi32(acc, x, c.w_row[ky]);
      if (c.has_w_zero) x_sum = _mm512_dpbusd_epi32(x_sum, x, c.ones);
    }
    if (c.has_w_zero) acc = _mm512_sub_epi32(acc, _mm512_mullo_epi32(c.w_zero, x_sum));
    q[v] = requant.to_int_for_pack(acc, c.scale, c.may_be_nan);
  }
#pragma GCC unroll 4
  for (int v = V; v < 4; ++v) q[v] = _mm512_setzero_si512();
  const __m512i bytes = requant.pack(q[0], q[1], q[2], q[3]);
  if (V == 4 && store == ~__mmask64{0}) {
    _mm512_storeu_si512(dst, bytes);
  } else {
    _mm512_mask_storeu_epi8(dst, store, bytes);
  }
}

// 64 outputs of one row without permuting the input: with stride 1, the load at src + j
// (j = 0..3) has the taps of output 4l + j in lane l; with stride 2, the loads at
// src + {0, 2, 64, 66} have those of outputs 2l, 2l + 1, 32 + 2l, 33 + 2l. The requantised
// values are packed to bytes and `order` (one vpermb) puts them in output order. For rows of at
// least 48 outputs: 12 loads and 12 vpdpbusd per 64 outputs, where the path above needs 12
// vpermb more (vpermb was the bottleneck).
template <int Stride>
inline void outputs64(const uint8_t* src, int64_t pitch, const ChannelParams& c,
                      const RequantAvx512& requant, __m512i order, uint8_t* dst, __mmask64 store) {
  constexpr int64_t kOffset[4] = {0, Stride == 1 ? 1 : 2, Stride == 1 ? 2 : 64,
                                  Stride == 1 ? 3 : 66};
  __m512i q[4];
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) {
    __m512i acc = c.offset;
    __m512i x_sum = _mm512_setzero_si512();
#pragma GCC unroll 3
    for (int ky = 0; ky < 3; ++ky) {
      const __m512i x = _mm512_loadu_si512(src + ky * pitch + kOffset[j]);
      acc = _mm512_dpbusd_epi32(acc, x, c.w_row[ky]);
      if (c.has_w_zero) x_sum = _mm512_dpbusd_epi32(x_sum, x, c.ones);
    }
    if (c.has_w_zero) acc = _mm512_sub_epi32(acc, _mm512_mullo_epi32(c.w_zero, x_sum));
    q[j] = requant.to_int_for_pack(acc, c.scale, c.may_be_nan);
  }
  const __m512i q01 = _mm512_packs_epi32(q[0], q[1]);
  const __m512i q23 = _mm512_packs_epi32(q[2], q[3]);
  const __m512i packed =
      requant.is_signed ? _mm512_packs_epi16(q01, q23) : _mm512_packus_epi16(q01, q23);
  const __m512i bytes = _mm512_permutexvar_epi8(order, packed);
  if (store == ~__mmask64{0}) {
    _mm512_storeu_si512(dst, bytes);
  } else {
    _mm512_mask_storeu_epi8(dst, store, bytes);
  }
}

// The vpermb indices of outputs64: where packing put output o (see there).
__m512i wide_order(int64_t stride) {
  alignas(64) uint8_t order[64];
  for (int j = 0; j < 4; ++j) {
    for (int e = 0; e < 16; ++e) {
      // packs/packus work per 128-bit lane: q_j[e] lands in lane e / 4, at 4 * j + e % 4.
      const int position = 16 * (e / 4) + 4 * j + e % 4;
      const int output = stride == 1 ? 4 * e + j : (j % 2) + 2 * e + 32 * (j / 2);
      order[output] = static_cast<uint8_t>(position);
    }
  }
  return _mm512_load_si512(order);
}

template <int Stride>
void channel_wide(const U8DwConvShape& s, const uint8_t* plane, int64_t pitch,
                  const ChannelParams& c, const RequantAvx512& requant, __m512i order, uint8_t* y) {
  for (int64_t oh = 0; oh < s.out_h; ++oh) {
    const uint8_t* top = plane + oh * Stride * pitch;
    uint8_t* dst = y + oh * s.out_w;
    for (int64_t ow = 0; ow < s.out_w; ow += 64) {
      const int64_t rest = s.out_w - ow;
      // A partial last vector is stored whole (masked stores are slow on Zen 4) when what it
      // runs over is later rows of this plane, which are written after it.
      const bool whole = rest >= 64 || (s.out_h - 1 - oh) * s.out_w >= 64 - rest;
      outputs64<Stride>(top + ow * Stride, pitch, c, requant, order, dst + ow,
                        whole ? ~__mmask64{0} : bytes_mask(rest));
    }
  }
}

template <int Stride>
void channel(const U8DwConvShape& s, const uint8_t* plane, int64_t pitch, const ChannelParams& c,
             const RequantAvx512& requant, uint8_t* y) {
  const int64_t full = s.out_w / 64 * 64;
  const int64_t rest = s.out_w - full;
  const __mmask64 tail = bytes_mask(rest);
  const int rest_vectors = static_cast<int>((rest + 15) / 16);
  for (int64_t oh = 0; oh < s.out_h; ++oh) {
    const uint8_t* top = plane + oh * Stride * pitch;
    uint8_t* dst = y + oh * s.out_w;
    for (int64_t ow = 0; ow < full; ow += 64) {
      outputs<Stride, 4>(top + ow * Stride, pitch, c, requant, dst + ow, ~__mmask64{0});
    }
    const uint8_t* src = top + full * Stride;
    switch (rest_vectors) {
      case 4: outputs<Stride, 4>(src, pitch, c, requant, dst + full, tail); break;
      case 3: outputs<Stride, 3>(src, pitch, c, requant, dst + full, tail); break;
      case 2: outputs<Stride, 2>(src, pitch, c, requant, dst + full, tail); break;
      case 1: outputs<Stride, 1>(src, pitch, c, requant, dst + full, tail); break;
      default: break;
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
  const bool wide = u8s8_dwconv_wide_rows(s);
  const __m512i order = wide_order(s.stride_w);
  alignas(64) uint8_t index_bytes[64];
  for (int l = 0; l < 16; ++l) {
    for (int i = 0; i < 4; ++i) index_bytes[4 * l + i] = static_cast<uint8_t>(s.stride_w * l + i);
  }
  ChannelParams c;
  c.index = _mm512_load_si512(index_bytes);
  c.ones = _mm512_set1_epi32(0x00010101);
  // Two padded planes: channel ch + 1 is padded before channel ch is computed, so that its
  // stores have long left the store buffer when it is read.
  const int64_t plane_bytes = u8s8_dwconv_plane_bytes(s);
  uint8_t* planes[2];
  planes[0] = reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(scratch) + 63) &
                                         ~static_cast<uintptr_t>(63));
  planes[1] = planes[0] + plane_bytes;
  if (s.channels > 0) pad_plane(s, x, x_zero_point, rows, pitch, planes[0]);
  for (int64_t ch = 0; ch < s.channels; ++ch) {
    if (ch + 1 < s.channels) {
      pad_plane(s, x + (ch + 1) * s.in_h * s.in_w, x_zero_point, rows, pitch, planes[(ch + 1) % 2]);
    }
    const uint8_t* plane = planes[ch % 2];
    const int8_t* filter = w + 9 * ch;
    for (int ky = 0; ky < 3; ++ky) {
      const uint32_t packed = static_cast<uint8_t>(filter[3 * ky]) |
                              static_cast<uint32_t>(static_cast<uint8_t>(filter[3 * ky + 1])) << 8 |
                              static_cast<uint32_t>(static_cast<uint8_t>(filter[3 * ky + 2])) << 16;
      c.w_row[ky] = _mm512_set1_epi32(static_cast<int32_t>(packed));
    }
    c.offset = _mm512_set1_epi32(rq.row_offset[ch]);
    c.scale = _mm512_set1_ps(rq.row_scale[ch]);
    c.has_w_zero = rq.row_w_zero != nullptr && rq.row_w_zero[ch] != 0;
    c.w_zero = _mm512_set1_epi32(c.has_w_zero ? rq.row_w_zero[ch] : 0);
    c.may_be_nan = !RequantAvx512::finite(rq.row_scale[ch]);
    uint8_t* y_plane = y + ch * s.out_h * s.out_w;
    if (wide) {
      if (s.stride_h == 1) {
        channel_wide<1>(s, plane, pitch, c, requant, order, y_plane);
      } else {
        channel_wide<2>(s, plane, pitch, c, requant, order, y_plane);
      }
    } else if (s.stride_h == 1) {
      channel<1>(s, plane, pitch, c, requant, y_plane);
    } else {
      channel<2>(s, plane, pitch, c, requant, y_plane);
    }
  }
}

}  // namespace pixlake
