// u8s8 GEMM on AVX-512 VNNI: tiles of 8 rows x 48 columns (24 accumulators). b is packed
// per 48-column panel into [k/4][48][4 bytes] (4 consecutive k of one column per 32-bit lane, as
// vpdpbusd reads its unsigned operand); the packed weights are broadcast 4 bytes at a time.
// GCC 12 reports its own _mm512_undefined_*() (the "__Y = __Y" idiom inside the intrinsics) as
// maybe-uninitialized once these functions are inlined (GCC bug 105593); set before the headers.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/u8s8_gemm/gemm.h"
#include "kernels/u8s8_gemm/requant_avx512.h"

namespace pixlake {
namespace {

constexpr int64_t kRows = kU8S8GemmTileRows;
constexpr int kMaxVectors = 3;  // 48 columns

// Columns [col, col + cols) of b, k padded with zeros to whole groups of 4, as
// [groups][16 * vectors][4]; columns past `cols` are zero.
void pack_panel(const uint8_t* b, int64_t ldb, int64_t k, int64_t col, int64_t cols, int vectors,
                uint8_t* panel) {
  const int64_t groups = (k + 3) / 4;
  const __m128i zero = _mm_setzero_si128();
  for (int64_t group = 0; group < groups; ++group) {
    const int64_t k0 = group * 4;
    uint8_t* dst = panel + group * 64 * vectors;
    for (int v = 0; v < vectors; ++v) {
      const int64_t first = col + 16 * v;
      const __mmask16 mask = lanes_mask(cols - 16 * v);
      __m128i r[4];
      for (int i = 0; i < 4; ++i) {
        r[i] = k0 + i < k ? _mm_maskz_loadu_epi8(mask, b + (k0 + i) * ldb + first) : zero;
      }
      const __m128i lo01 = _mm_unpacklo_epi8(r[0], r[1]);
      const __m128i hi01 = _mm_unpackhi_epi8(r[0], r[1]);
      const __m128i lo23 = _mm_unpacklo_epi8(r[2], r[3]);
      const __m128i hi23 = _mm_unpackhi_epi8(r[2], r[3]);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 64 * v), _mm_unpacklo_epi16(lo01, lo23));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 64 * v + 16),
                       _mm_unpackhi_epi16(lo01, lo23));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 64 * v + 32),
                       _mm_unpacklo_epi16(hi01, hi23));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 64 * v + 48),
                       _mm_unpackhi_epi16(hi01, hi23));
    }
  }
}

inline int32_t load_i32(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// One panel of 16 * V columns against every row tile.
template <int V>
void panel_rows(const U8S8GemmShape& s, const int8_t* packed_w, const uint8_t* panel,
                const U8S8Requant& rq, int64_t col, int64_t cols, uint8_t* y) {
  const int64_t groups = (s.k + 3) / 4;
  // Local copies: stores through uint8_t* y may alias anything, which made GCC reload the
  // fields of rq after every store.
  const int32_t* const row_offset = rq.row_offset;
  const int32_t* const row_w_zero = rq.row_w_zero;
  const float* const row_scale = rq.row_scale;
  const int64_t m = s.m;
  const int64_t ldy = s.ldy;
  // Column sums (sum_k b[k, col]) for the weight zero points.
  alignas(64) int32_t col_sum[V][16] = {};
  if (row_w_zero != nullptr) {
    const __m512i ones = _mm512_set1_epi8(1);
    for (int v = 0; v < V; ++v) {
      __m512i sum = _mm512_setzero_si512();
      for (int64_t group = 0; group < groups; ++group) {
        sum = _mm512_dpbusd_epi32(sum, _mm512_load_si512(panel + group * 64 * V + 64 * v), ones);
      }
      _mm512_store_si512(col_sum[v], sum);
    }
  }
  __mmask16 store_mask[V];
  for (int v = 0; v < V; ++v) store_mask[v] = lanes_mask(cols - 16 * v);
  const RequantAvx512 requant(rq);

  // The finished tile, for the epilogue: the accumulators themselves are only ever indexed by
  // constants, so that they stay in registers (a variable index made GCC keep them in memory).
  alignas(64) int32_t tile[kRows][V][16];
  for (int64_t row0 = 0; row0 < m; row0 += kRows) {
    const int8_t* w = packed_w + row0 * groups * 4;
    // The accumulators start at the row offsets (rows past m, zero padding, at any offset).
    __m512i acc[kRows][V];
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      const __m512i start = _mm512_set1_epi32(row_offset[std::min(row0 + r, m - 1)]);
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) acc[r][v] = start;
    }
    const uint8_t* src = panel;
    for (int64_t group = 0; group < groups; ++group) {
      __m512i x[V];
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) x[v] = _mm512_load_si512(src + 64 * v);
#pragma GCC unroll 8
      for (int r = 0; r < kRows; ++r) {
        const __m512i wr = _mm512_set1_epi32(load_i32(w + 4 * r));
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], x[v], wr);
      }
      src += 64 * V;
      w += 4 * kRows;
    }
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) _mm512_store_si512(tile[r][v], acc[r][v]);
    }
    const int64_t rows = std::min<int64_t>(kRows, m - row0);
    for (int r = 0; r < rows; ++r) {
      const int64_t row = row0 + r;
      const __m512 scale = _mm512_set1_ps(row_scale[row]);
      const __m512i w_zero = _mm512_set1_epi32(row_w_zero != nullptr ? row_w_zero[row] : 0);
      uint8_t* dst = y + row * ldy + col;
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) {
        __m512i sum = _mm512_load_si512(tile[r][v]);
        if (row_w_zero != nullptr) {
          sum = _mm512_sub_epi32(sum, _mm512_mullo_epi32(w_zero, _mm512_load_si512(col_sum[v])));
        }
        const __m128i bytes = requant(sum, scale);
        if (store_mask[v] == 0xFFFF) {
          _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 16 * v), bytes);
        } else {
          _mm_mask_storeu_epi8(dst + 16 * v, store_mask[v], bytes);
        }
      }
    }
  }
}

}  // namespace

void u8s8_gemm_8x48__avx512vnni(const U8S8GemmShape& s, const int8_t* packed_w, const uint8_t* b,
                                const U8S8Requant& rq, uint8_t* scratch, uint8_t* y) {
  if (s.m <= 0 || s.n <= 0) return;
  auto* panel = reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(scratch) + 63) &
                                           ~static_cast<uintptr_t>(63));
  constexpr int64_t kPanelCols = 16 * kMaxVectors;
  for (int64_t col = 0; col < s.n; col += kPanelCols) {
    const int64_t cols = std::min(kPanelCols, s.n - col);
    const int vectors = static_cast<int>((cols + 15) / 16);
    pack_panel(b, s.ldb, s.k, col, cols, vectors, panel);
    switch (vectors) {
      case 3: panel_rows<3>(s, packed_w, panel, rq, col, cols, y); break;
      case 2: panel_rows<2>(s, packed_w, panel, rq, col, cols, y); break;
      default: panel_rows<1>(s, packed_w, panel, rq, col, cols, y); break;
    }
  }
}

}  // namespace pixlake
