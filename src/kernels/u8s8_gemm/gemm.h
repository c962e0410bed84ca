// u8 x s8 -> s32 matrix product with a requantising epilogue, for the quantised operators
// (QLinearConv, QLinearMatMul). y[m, n] = requantise(sum_k b[k, n] * w[m, k]) where w (signed
// 8-bit, the constant weights) is packed once by u8s8_gemm_pack_weights and b (unsigned 8-bit
// activations) is read in place, row-major [k, ldb]. The AVX-512 VNNI build multiplies groups of
// 4 k-values with vpdpbusd (u8 * s8 pairs summed into s32 without saturation).
//
// Zero points are folded in by the caller: sum_k (x - xz)(w - wz) = sum_k x*w - wz*sum_k x
// - xz*sum_k w + K*xz*wz. The per-row terms go into U8S8Requant::row_offset; the per-column
// term (wz * sum_k x) is computed here when row_w_zero is given. The accumulator is exact as
// long as the true value fits in int32 (the caller checks K against that); intermediate sums
// wrap, which does not change the final value.
#pragma once

#include <cstdint>

namespace pixlake {

// Rows per packed weight tile: w is packed in tiles of this many rows (the last padded with
// zeros), each tile k-group by k-group: [k/4][rows][4 bytes].
constexpr int64_t kU8S8GemmTileRows = 8;

// Bytes u8s8_gemm_pack_weights writes for an m x k matrix.
int64_t u8s8_gemm_packed_bytes(int64_t m, int64_t k);
// Packs w [m, k] (row stride ldw) for every u8s8_gemm implementation; k is padded to a multiple
// of 4 and m to a multiple of kU8S8GemmTileRows with zeros. `row_sums` (m values, or nullptr)
// receives sum_k w[m, k].
void u8s8_gemm_pack_weights(const int8_t* w, int64_t m, int64_t k, int64_t ldw, int8_t* packed,
                            int32_t* row_sums);

// y = saturate(round_half_even(float(acc + row_offset[m] - row_w_zero[m] * colsum[n]) *
// row_scale[m]) + y_zero_point) to [y_min, y_max], the formula of quant::quantize_value (NaN
// gives the zero point). Outputs are stored as bytes: u8 values, or i8 values as their bit
// pattern (y_min = -128, y_max = 127).
struct U8S8Requant {
  const int32_t* row_offset = nullptr;  // m values: bias and the zero-point terms per row
  const int32_t* row_w_zero = nullptr;  // m values, or nullptr when every weight zero point is 0
  const float* row_scale = nullptr;     // m values: x_scale * w_scale[m] / y_scale
  int32_t y_zero_point = 0;
  int32_t y_min = 0, y_max = 255;
};

struct U8S8GemmShape {
  int64_t m = 0, n = 0, k = 0;
  int64_t ldb = 0;  // row stride of b, in bytes
  int64_t ldy = 0;  // row stride of y, in bytes
};

// y [m, ldy] bytes; b [k, ldb] u8; `scratch` holds u8s8_gemm_scratch_bytes(s) bytes.
using U8S8GemmFn = void (*)(const U8S8GemmShape& s, const int8_t* packed_w, const uint8_t* b,
                            const U8S8Requant& rq, uint8_t* scratch, uint8_t* y);

int64_t u8s8_gemm_scratch_bytes(const U8S8GemmShape& s);

// The fastest implementation this CPU runs, chosen once.
U8S8GemmFn u8s8_gemm();
// The plain loop every other implementation is tested against.
void u8s8_gemm__ref(const U8S8GemmShape& s, const int8_t* packed_w, const uint8_t* b,
                    const U8S8Requant& rq, uint8_t* scratch, uint8_t* y);
// Built for AVX-512 VNNI; call only where the CPU has it (see u8s8_gemm()).
void u8s8_gemm_8x48__avx512vnni(const U8S8GemmShape& s, const int8_t* packed_w, const uint8_t* b,
                                const U8S8Requant& rq, uint8_t* scratch, uint8_t* y);

// One requantised value (the scalar epilogue every implementation matches bit for bit).
int32_t u8s8_requantize(int64_t acc, float scale, const U8S8Requant& rq);

}  // namespace pixlake
