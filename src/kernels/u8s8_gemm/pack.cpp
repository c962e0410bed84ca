// Weight packing and the scalar requantisation shared by every u8s8_gemm implementation.
#include <cmath>

#include "kernels/u8s8_gemm/gemm.h"

namespace pixlake {

int64_t u8s8_gemm_packed_bytes(int64_t m, int64_t k) {
  const int64_t tiles = (m + kU8S8GemmTileRows - 1) / kU8S8GemmTileRows;
  return tiles * kU8S8GemmTileRows * ((k + 3) / 4) * 4;
}

void u8s8_gemm_pack_weights(const int8_t* w, int64_t m, int64_t k, int64_t ldw, int8_t* packed,
                            int32_t* row_sums) {
  const int64_t groups = (k + 3) / 4;
  const int64_t tiles = (m + kU8S8GemmTileRows - 1) / kU8S8GemmTileRows;
  int8_t* dst = packed;
  for (int64_t tile = 0; tile < tiles; ++tile) {
    for (int64_t group = 0; group < groups; ++group) {
      for (int64_t r = 0; r < kU8S8GemmTileRows; ++r) {
        const int64_t row = tile * kU8S8GemmTileRows + r;
        for (int64_t i = 0; i < 4; ++i) {
          const int64_t col = group * 4 + i;
          *dst++ = row < m && col < k ? w[row * ldw + col] : 0;
        }
      }
    }
  }
  if (row_sums != nullptr) {
    for (int64_t row = 0; row < m; ++row) {
      int32_t sum = 0;
      for (int64_t col = 0; col < k; ++col) sum += w[row * ldw + col];
      row_sums[row] = sum;
    }
  }
}

int32_t u8s8_requantize(int64_t acc, float scale, const U8S8Requant& rq) {
  float value = static_cast<float>(acc) * scale;
  if (std::isnan(value)) return rq.y_zero_point;
  const float lo = static_cast<float>(rq.y_min - rq.y_zero_point);
  const float hi = static_cast<float>(rq.y_max - rq.y_zero_point);
  value = value < lo ? lo : (value > hi ? hi : value);
  return static_cast<int32_t>(std::nearbyint(value)) + rq.y_zero_point;
}

}  // namespace pixlake
