// Winograd F(4x4, 3x3) convolution (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016): a 3x3 stride-1 convolution computed on 6x6 input tiles, each giving a 4x4
// output tile, with 36 element-wise products per tile and channel pair instead of 144
// multiply-adds. Summed over channels the 36 products are 36 independent matrix products,
// which is where the time goes (f32_gemm_packed); the transforms around them are these
// kernels.
//
//   weights  U[xi] = (G g G^T)[xi]        once, at load; packed as GEMM panels per xi
//   input    V[xi][tile][c] = (B^T d B)[xi]   d: the 6x6 input patch of `tile` in channel c
//   products M[xi][tile][k] = sum_c V[xi][tile][c] U[xi][c][k]
//   output   Y[k] tile = A^T M A + bias, clamped
//
// Layouts: the input arrives channel-last and zero-padded (`hwc`, rows of `row_floats` =
// padded width * cp floats, cp = channels rounded up to 16), the products are [36][tiles][kp]
// (kp = maps rounded up to 16). Rounding errors grow with the transform constants (up to 8
// and 1/24): about 1e-6 relative to the output's scale for unit-scale data (tested).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/f32_dwconv/dwconv.h"  // Clamp

namespace pixlake {

constexpr int64_t kWinogradTile = 4;     // output tile side
constexpr int64_t kWinogradInput = 6;    // input tile side
constexpr int64_t kWinogradPoints = 36;  // products per tile (xi)

struct WinogradShape {
  int64_t channels = 0, cp = 0;  // input channels, rounded up to 16
  int64_t maps = 0, kp = 0;      // output channels, rounded up to 16
  int64_t tiles_h = 0, tiles_w = 0;
  int64_t out_h = 0, out_w = 0;
  int64_t tiles() const { return tiles_h * tiles_w; }
  int64_t padded_w() const { return tiles_w * kWinogradTile + 2; }
  int64_t padded_h() const { return tiles_h * kWinogradTile + 2; }
};

// U[xi][c][k] for weights [maps, channels, 3, 3] (rows c >= channels zero), as `cp` x `maps`
// matrices, xi after xi.
std::vector<float> f32_winograd43_weights(const float* weights, int64_t maps, int64_t channels,
                                          int64_t cp);

// Tiles [tile_begin, tile_end) of the input transform.
using WinogradInputFn = void (*)(const WinogradShape& s, const float* hwc, int64_t tile_begin,
                                 int64_t tile_end, float* v);
// Tiles [tile_begin, tile_end) of the output transform into y [maps, out_h, out_w] (NCHW).
using WinogradOutputFn = void (*)(const WinogradShape& s, const float* m, const float* bias,
                                  Clamp clamp, int64_t tile_begin, int64_t tile_end, float* y);

WinogradInputFn f32_winograd43_input();
WinogradOutputFn f32_winograd43_output();

void f32_winograd43_input__ref(const WinogradShape& s, const float* hwc, int64_t tile_begin,
                               int64_t tile_end, float* v);
void f32_winograd43_output__ref(const WinogradShape& s, const float* m, const float* bias,
                                Clamp clamp, int64_t tile_begin, int64_t tile_end, float* y);
void f32_winograd43_input__avx512(const WinogradShape& s, const float* hwc, int64_t tile_begin,
                                  int64_t tile_end, float* v);
void f32_winograd43_output__avx512(const WinogradShape& s, const float* m, const float* bias,
                                   Clamp clamp, int64_t tile_begin, int64_t tile_end, float* y);

}  // namespace pixlake
