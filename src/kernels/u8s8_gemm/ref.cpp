#include "kernels/u8s8_gemm/gemm.h"

namespace pixlake {

void u8s8_gemm__ref(const U8S8GemmShape& s, const int8_t* packed_w, const uint8_t* b,
                    const U8S8Requant& rq, uint8_t*, uint8_t* y) {
  const int64_t groups = (s.k + 3) / 4;
  for (int64_t row = 0; row < s.m; ++row) {
    // Row `row` of the packed weights: its tile, then 4 bytes per k-group.
    const int8_t* w_row = packed_w + (row / kU8S8GemmTileRows) * kU8S8GemmTileRows * groups * 4 +
                          (row % kU8S8GemmTileRows) * 4;
    for (int64_t col = 0; col < s.n; ++col) {
      int64_t acc = 0;
      int64_t col_sum = 0;
      for (int64_t k = 0; k < s.k; ++k) {
        const int32_t x = b[k * s.ldb + col];
        acc += x * w_row[(k / 4) * kU8S8GemmTileRows * 4 + k % 4];
        col_sum += x;
      }
      acc += rq.row_offset[row];
      if (rq.row_w_zero != nullptr) acc -= rq.row_w_zero[row] * col_sum;
      // The exact value fits in int32 (see gemm.h); the kernels wrap their partial sums.
      const auto value = static_cast<int32_t>(acc);
      y[row * s.ldy + col] = static_cast<uint8_t>(u8s8_requantize(value, rq.row_scale[row], rq));
    }
  }
}

}  // namespace pixlake
