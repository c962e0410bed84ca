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
  if (vectors == kMaxVectors) {
    // Whole zmm rows: the byte and word interleaves work within 128-bit lanes (lane i of o_j
    // holds columns 16i + 4j .. 16i + 4j + 3), then a 4x4 transpose of the lanes.
    const __mmask64 mask = bytes_mask(cols);
    const __m512i zero512 = _mm512_setzero_si512();
    for (int64_t group = 0; group < groups; ++group) {
      const int64_t k0 = group * 4;
      __m512i r[4];
      for (int i = 0; i < 4; ++i) {
        r[i] = k0 + i < k ? _mm512_maskz_loadu_epi8(mask, b + (k0 + i) * ldb + col) : zero512;
      }
      const __m512i lo01 = _mm512_unpacklo_epi8(r[0], r[1]);
      const __m512i hi01 = _mm512_unpackhi_epi8(r[0], r[1]);
      const __m512i lo23 = _mm512_unpacklo_epi8(r[2], r[3]);
      const __m512i hi23 = _mm512_unpackhi_epi8(r[2], r[3]);
      const __m512i o0 = _mm512_unpacklo_epi16(lo01, lo23);
      const __m512i o1 = _mm512_unpackhi_epi16(lo01, lo23);
      const __m512i o2 = _mm512_unpacklo_epi16(hi01, hi23);
      const __m512i o3 = _mm512_unpackhi_epi16(hi01, hi23);
      const __m512i t0 = _mm512_shuffle_i64x2(o0, o1, 0x44);  // o0.l0 o0.l1 o1.l0 o1.l1
      const __m512i t1 = _mm512_shuffle_i64x2(o0, o1, 0xEE);  // o0.l2 o0.l3 o1.l2 o1.l3
      const __m512i t2 = _mm512_shuffle_i64x2(o2, o3, 0x44);
      const __m512i t3 = _mm512_shuffle_i64x2(o2, o3, 0xEE);
      uint8_t* dst = panel + group * 64 * kMaxVectors;
      _mm512_store_si512(dst, _mm512_shuffle_i64x2(t0, t2, 0x88));        // columns 0-15
      _mm512_store_si512(dst + 64, _mm512_shuffle_i64x2(t0, t2, 0xDD));   // 16-31
      _mm512_store_si512(dst + 128, _mm512_shuffle_i64x2(t1, t3, 0x88));  // 32-47
    }
    return;
  }
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

// What the row tiles of one panel share.
template <int V>
struct PanelContext {
  const uint8_t* panel;
  int64_t groups;  // k / 4, rounded up
  int64_t m, ldy;
  // Local copies: stores through uint8_t* y may alias anything, which made GCC reload the
  // fields of rq after every store.
  const int32_t* row_offset;
  const int32_t* row_w_zero;  // or nullptr
  const float* row_scale;
  alignas(64) int32_t col_sum[V][16];  // sum_k b[k, col], for the weight zero points
  __mmask16 store_mask[V];             // the panel's columns, per vector
  bool full;                           // all 16 * V columns
  uint8_t* y;                          // at the panel's first column
};

// Rows [row0, row0 + 8 * T) (T packed tiles; rows past m are computed and dropped) of one panel
// of 16 * V columns: 8 * T * V accumulators.
template <int V, int T>
void tile_rows(const PanelContext<V>& c, const RequantAvx512& requant, const int8_t* packed_w,
               int64_t row0) {
  constexpr int kTileRows = static_cast<int>(kRows) * T;
  const int8_t* w = packed_w + row0 * c.groups * 4;
  const int64_t tile_stride = kRows * c.groups * 4;
  // The accumulators start at the row offsets (rows past m, zero padding, at any offset). They
  // are only ever indexed by constants, so that they stay in registers.
  __m512i acc[kTileRows][V];
#pragma GCC unroll 24
  for (int r = 0; r < kTileRows; ++r) {
    const __m512i start = _mm512_set1_epi32(c.row_offset[std::min(row0 + r, c.m - 1)]);
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) acc[r][v] = start;
  }
  const uint8_t* src = c.panel;
  for (int64_t group = 0; group < c.groups; ++group) {
    __m512i x[V];
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) x[v] = _mm512_load_si512(src + 64 * v);
#pragma GCC unroll 24
    for (int r = 0; r < kTileRows; ++r) {
      const __m512i wr =
          _mm512_set1_epi32(load_i32(w + (r / kRows) * tile_stride + 4 * (r % kRows)));
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], x[v], wr);
    }
    src += 64 * V;
    w += 4 * kRows;
  }
  // The epilogue, unrolled over the rows so that acc is only ever indexed by constants (a
  // variable row index made GCC keep all the accumulators in memory).
  const int64_t rows = std::min<int64_t>(kTileRows, c.m - row0);
#pragma GCC unroll 24
  for (int r = 0; r < kTileRows; ++r) {
    if (r >= rows) break;
    const int64_t row = row0 + r;
    const float scale_value = c.row_scale[row];
    const bool may_be_nan = !RequantAvx512::finite(scale_value);
    const __m512 scale = _mm512_set1_ps(scale_value);
    const __m512i w_zero = _mm512_set1_epi32(c.row_w_zero != nullptr ? c.row_w_zero[row] : 0);
    uint8_t* dst = c.y + row * c.ldy;
    if constexpr (V == 3) {
      if (c.full) {
        // 48 bytes: packed together (packs instead of a 2-uop vpmovdb per vector, and u8 output
        // leaves its lower bound to the pack), stored as 32 + 16 (masked stores are slow on Zen 4).
        __m512i q[3];
#pragma GCC unroll 3
        for (int v = 0; v < 3; ++v) {
          __m512i sum = acc[r][v];
          if (c.row_w_zero != nullptr) {
            sum =
                _mm512_sub_epi32(sum, _mm512_mullo_epi32(w_zero, _mm512_load_si512(c.col_sum[v])));
          }
          q[v] = requant.to_int_for_pack(sum, scale, may_be_nan);
        }
        const __m512i bytes = requant.pack(q[0], q[1], q[2], q[2]);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm512_castsi512_si256(bytes));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 32), _mm512_extracti32x4_epi32(bytes, 2));
        continue;
      }
    }
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) {
      __m512i sum = acc[r][v];
      if (c.row_w_zero != nullptr) {
        sum = _mm512_sub_epi32(sum, _mm512_mullo_epi32(w_zero, _mm512_load_si512(c.col_sum[v])));
      }
      const __m128i bytes = _mm512_cvtepi32_epi8(requant.to_int(sum, scale, may_be_nan));
      if (c.store_mask[v] == 0xFFFF) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 16 * v), bytes);
      } else {
        _mm_mask_storeu_epi8(dst + 16 * v, c.store_mask[v], bytes);
      }
    }
  }
}

// One panel of 16 * V columns against every row tile.
template <int V>
void panel_rows(const U8S8GemmShape& s, const int8_t* packed_w, const uint8_t* panel,
                const U8S8Requant& rq, int64_t col, int64_t cols, uint8_t* y) {
  PanelContext<V> c;
  c.panel = panel;
  c.groups = (s.k + 3) / 4;
  c.m = s.m;
  c.ldy = s.ldy;
  c.row_offset = rq.row_offset;
  c.row_w_zero = rq.row_w_zero;
  c.row_scale = rq.row_scale;
  for (int v = 0; v < V; ++v) c.store_mask[v] = lanes_mask(cols - 16 * v);
  c.full = cols == 16 * V;
  c.y = y + col;
  for (int v = 0; v < V; ++v) {
    __m512i sum = _mm512_setzero_si512();
    if (rq.row_w_zero != nullptr) {
      const __m512i ones = _mm512_set1_epi8(1);
      for (int64_t group = 0; group < c.groups; ++group) {
        sum = _mm512_dpbusd_epi32(sum, _mm512_load_si512(panel + group * 64 * V + 64 * v), ones);
      }
    }
    _mm512_store_si512(c.col_sum[v], sum);
  }
  const RequantAvx512 requant(rq);
  const int64_t tiles = (s.m + kRows - 1) / kRows;
  int64_t tile = 0;
  if constexpr (V == 1) {
    // One vector of columns: three tiles at a time (24 accumulators), then what is left.
    for (; tile + 3 <= tiles; tile += 3) tile_rows<1, 3>(c, requant, packed_w, tile * kRows);
    if (tiles - tile == 2) {
      tile_rows<1, 2>(c, requant, packed_w, tile * kRows);
      tile += 2;
    }
  }
  for (; tile < tiles; ++tile) tile_rows<V, 1>(c, requant, packed_w, tile * kRows);
}

// One column (n == 1: a matrix-vector product, the classifier of a batch-1 network). The panel
// layout would use one lane in 16; here the rows go along the lanes instead. A 64-byte load of
// the packed weights holds k-group g (8 rows x 4 bytes) and g + 1; `x4` holds, for each pair of
// groups, b's 4 bytes of group g in lanes 0-7 and those of g + 1 in lanes 8-15. Per tile of 8
// rows, the two halves of the accumulator are added at the end.
void gemv(const U8S8GemmShape& s, const int8_t* packed_w, const uint8_t* b, const U8S8Requant& rq,
          uint8_t* scratch, uint8_t* y) {
  const int64_t groups = (s.k + 3) / 4;
  const int64_t pairs = (groups + 1) / 2;
  auto* x4 = reinterpret_cast<int32_t*>((reinterpret_cast<uintptr_t>(scratch) + 63) &
                                        ~static_cast<uintptr_t>(63));
  // b's 4 bytes of each k-group (zero past k), first into x4's tail, then spread over the lanes.
  int32_t* words = x4 + pairs * 16;
  int32_t x_sum = 0;
  for (int64_t group = 0; group < 2 * pairs; ++group) {
    uint32_t bytes = 0;
    for (int64_t i = 0; i < 4; ++i) {
      const int64_t k = group * 4 + i;
      const uint32_t value = k < s.k ? b[k * s.ldb] : 0;
      bytes |= value << (8 * i);
      x_sum += static_cast<int32_t>(value);
    }
    words[group] = static_cast<int32_t>(bytes);
  }
  for (int64_t pair = 0; pair < pairs; ++pair) {
    _mm512_store_si512(x4 + pair * 16,
                       _mm512_mask_blend_epi32(0xFF00, _mm512_set1_epi32(words[2 * pair]),
                                               _mm512_set1_epi32(words[2 * pair + 1])));
  }
  const RequantAvx512 requant(rq);
  const __m512i swap_halves =
      _mm512_setr_epi32(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  const int64_t tiles = (s.m + kRows - 1) / kRows;
  const int64_t tile_bytes = kRows * groups * 4;
  const int64_t whole_pairs = groups / 2;
  // The sum of one tile in all 16 lanes (rows 0-7 twice).
  auto tile_sum = [&](const int8_t* w) {
    __m512i acc = _mm512_setzero_si512();
    for (int64_t pair = 0; pair < whole_pairs; ++pair) {
      acc = _mm512_dpbusd_epi32(acc, _mm512_load_si512(x4 + pair * 16),
                                _mm512_loadu_si512(w + pair * 64));
    }
    // An odd last group is loaded alone (a pair load would run into the next tile, or past the
    // buffer).
    if (groups % 2 != 0) {
      const __m256i last =
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + whole_pairs * 64));
      acc = _mm512_dpbusd_epi32(acc, _mm512_load_si512(x4 + whole_pairs * 16),
                                _mm512_zextsi256_si512(last));
    }
    return _mm512_add_epi32(acc, _mm512_permutexvar_epi32(swap_halves, acc));
  };
  // 16 rows (two tiles; the second may not exist) requantised together.
  auto finish = [&](__m512i sums, int64_t row0) {
    const int64_t rows = std::min<int64_t>(16, s.m - row0);
    const __mmask16 lanes = lanes_mask(rows);
    __m512i sum = _mm512_add_epi32(sums, _mm512_maskz_loadu_epi32(lanes, rq.row_offset + row0));
    if (rq.row_w_zero != nullptr) {
      sum = _mm512_sub_epi32(
          sum, _mm512_mullo_epi32(_mm512_maskz_loadu_epi32(lanes, rq.row_w_zero + row0),
                                  _mm512_set1_epi32(x_sum)));
    }
    const __m512 scale = _mm512_maskz_loadu_ps(lanes, rq.row_scale + row0);
    alignas(16) uint8_t out[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(out), requant(sum, scale));
    // y[row * ldy]: one byte per row.
    for (int64_t r = 0; r < rows; ++r) y[(row0 + r) * s.ldy] = out[r];
  };
  // Two tiles at a time: two independent chains of vpdpbusd, and 16 rows per requantisation.
  int64_t tile = 0;
  for (; tile + 2 <= tiles; tile += 2) {
    const int8_t* w = packed_w + tile * tile_bytes;
    const __m512i first = tile_sum(w);
    const __m512i second = tile_sum(w + tile_bytes);
    finish(_mm512_mask_blend_epi32(0xFF00, first, second), tile * kRows);
  }
  if (tile < tiles) finish(tile_sum(packed_w + tile * tile_bytes), tile * kRows);
}

}  // namespace

void u8s8_gemm_8x48__avx512vnni(const U8S8GemmShape& s, const int8_t* packed_w, const uint8_t* b,
                                const U8S8Requant& rq, uint8_t* scratch, uint8_t* y) {
  if (s.m <= 0 || s.n <= 0) return;
  if (s.n == 1) {
    gemv(s, packed_w, b, rq, scratch, y);
    return;
  }
  auto* panel = reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(scratch) + 63) &
                                           ~static_cast<uintptr_t>(63));
  constexpr int64_t kPanelCols = 16 * kMaxVectors;
  // A few last columns (7x7 maps: 49 = 48 + 1; 14x14: 196 = 4 * 48 + 4) go one by one through
  // the matrix-vector kernel, which fills all 16 lanes with rows: a one-vector panel would leave
  // 15 of 16 lanes idle for one column.
  constexpr int64_t kMaxColumnsOneByOne = 8;
  for (int64_t col = 0; col < s.n; col += kPanelCols) {
    const int64_t cols = std::min(kPanelCols, s.n - col);
    if (cols <= kMaxColumnsOneByOne) {
      U8S8GemmShape one = s;
      one.n = 1;
      for (int64_t c = col; c < col + cols; ++c) gemv(one, packed_w, b + c, rq, scratch, y + c);
      break;
    }
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
