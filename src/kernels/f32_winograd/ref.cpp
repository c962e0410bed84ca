// The transforms one value at a time, with the matrices written out: what the vector kernels
// are tested against, and the weight transform (run once per layer at load).
#include <algorithm>

#include "kernels/f32_winograd/winograd.h"

namespace pixlake {
namespace {

constexpr float kBt[6][6] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                             {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
constexpr float kG[6][3] = {{1.0f / 4, 0, 0},
                            {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                            {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                            {1.0f / 24, 1.0f / 12, 1.0f / 6},
                            {1.0f / 24, -1.0f / 12, 1.0f / 6},
                            {0, 0, 1}};
constexpr float kAt[4][6] = {
    {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};

}  // namespace

std::vector<float> f32_winograd43_weights(const float* weights, int64_t maps, int64_t channels,
                                          int64_t cp) {
  std::vector<float> u(static_cast<size_t>(kWinogradPoints * cp * maps), 0.0f);
  for (int64_t k = 0; k < maps; ++k) {
    for (int64_t c = 0; c < channels; ++c) {
      const float* g = weights + (k * channels + c) * 9;
      float gg[6][3];  // G g
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 3; ++j) {
          gg[i][j] = kG[i][0] * g[0 * 3 + j] + kG[i][1] * g[1 * 3 + j] + kG[i][2] * g[2 * 3 + j];
        }
      }
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 6; ++j) {  // (G g) G^T
          const float value = gg[i][0] * kG[j][0] + gg[i][1] * kG[j][1] + gg[i][2] * kG[j][2];
          u[static_cast<size_t>(((i * 6 + j) * cp + c) * maps + k)] = value;
        }
      }
    }
  }
  return u;
}

void f32_winograd43_input__ref(const WinogradShape& s, const float* hwc, int64_t tile_begin,
                               int64_t tile_end, float* v) {
  const int64_t row_floats = s.padded_w() * s.cp;
  for (int64_t tile = tile_begin; tile < tile_end; ++tile) {
    const int64_t y0 = tile / s.tiles_w * kWinogradTile, x0 = tile % s.tiles_w * kWinogradTile;
    for (int64_t c = 0; c < s.cp; ++c) {
      float d[6][6], t[6][6];
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 6; ++j) d[i][j] = hwc[(y0 + i) * row_floats + (x0 + j) * s.cp + c];
      }
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 6; ++j) {  // B^T d
          float sum = 0;
          for (int r = 0; r < 6; ++r) sum += kBt[i][r] * d[r][j];
          t[i][j] = sum;
        }
      }
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 6; ++j) {  // (B^T d) B
          float sum = 0;
          for (int r = 0; r < 6; ++r) sum += t[i][r] * kBt[j][r];
          v[((i * 6 + j) * s.tiles() + tile) * s.cp + c] = sum;
        }
      }
    }
  }
}

void f32_winograd43_output__ref(const WinogradShape& s, const float* m, const float* bias,
                                Clamp clamp, int64_t tile_begin, int64_t tile_end, float* y) {
  for (int64_t tile = tile_begin; tile < tile_end; ++tile) {
    const int64_t y0 = tile / s.tiles_w * kWinogradTile, x0 = tile % s.tiles_w * kWinogradTile;
    for (int64_t k = 0; k < s.maps; ++k) {
      float t[4][6];
      for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 6; ++j) {  // A^T M
          float sum = 0;
          for (int r = 0; r < 6; ++r)
            sum += kAt[i][r] * m[((r * 6 + j) * s.tiles() + tile) * s.kp + k];
          t[i][j] = sum;
        }
      }
      for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 4; ++j) {  // (A^T M) A
          if (y0 + i >= s.out_h || x0 + j >= s.out_w) continue;
          float sum = bias ? bias[k] : 0.0f;
          for (int r = 0; r < 6; ++r) sum += t[i][r] * kAt[j][r];
          sum = std::min(std::max(sum, clamp.lo), clamp.hi);
          y[(k * s.out_h + y0 + i) * s.out_w + x0 + j] = sum;
        }
      }
    }
  }
}

}  // namespace pixlake
