// The depthwise kernel's body, compiled once per ISA: generic.cpp, avx2.cpp and avx512.cpp
// include it with their own compiler flags and give it a name of their own. Plain loops over
// output columns, which the compiler vectorises for the ISA at hand.
//
// Everything here has internal linkage and calls no library templates: a weak symbol
// compiled with -mavx512f could otherwise be picked by the linker for a caller on a CPU
// without AVX-512.
#pragma once

#include "kernels/f32_dwconv/dwconv.h"

namespace pixlake {
namespace {

inline float clamp_value(float v, Clamp clamp) {
  v = v < clamp.lo ? clamp.lo : v;
  return v > clamp.hi ? clamp.hi : v;
}

// One output value with every tap bounds-checked: the borders, and shapes without a fast path.
inline float dw_pixel_checked(const DwConvShape& s, const float* plane, const float* filter,
                              float acc, int64_t oy, int64_t ox) {
  for (int64_t ky = 0; ky < s.kernel_h; ++ky) {
    const int64_t iy = oy * s.stride_h - s.pad_top + ky * s.dilation_h;
    if (iy < 0 || iy >= s.in_h) continue;
    for (int64_t kx = 0; kx < s.kernel_w; ++kx) {
      const int64_t ix = ox * s.stride_w - s.pad_left + kx * s.dilation_w;
      if (ix < 0 || ix >= s.in_w) continue;
      acc += filter[ky * s.kernel_w + kx] * plane[iy * s.in_w + ix];
    }
  }
  return acc;
}

void dw_plane_checked(const DwConvShape& s, const float* plane, const float* filter, float bias,
                      Clamp clamp, float* out) {
  for (int64_t oy = 0; oy < s.out_h; ++oy) {
    for (int64_t ox = 0; ox < s.out_w; ++ox) {
      out[oy * s.out_w + ox] = clamp_value(dw_pixel_checked(s, plane, filter, bias, oy, ox), clamp);
    }
  }
}

// Copies one input plane into `padded`, (out_h - 1) * S + K rows of (out_w - 1) * S + K
// columns with the padding as zeros, so that the loops below need no bounds checks.
inline void pad_plane(const DwConvShape& s, int64_t rows, int64_t cols, const float* plane,
                      float* padded) {
  // Columns [first, last) of a padded row come from the image; the rest are zeros.
  const int64_t first = s.pad_left < cols ? s.pad_left : cols;
  int64_t last = s.pad_left + s.in_w;
  if (last > cols) last = cols;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t iy = r - s.pad_top;
    float* dst = padded + r * cols;
    if (iy < 0 || iy >= s.in_h) {
      for (int64_t c = 0; c < cols; ++c) dst[c] = 0.0f;
      continue;
    }
    const float* src = plane + iy * s.in_w - s.pad_left;
    for (int64_t c = 0; c < first; ++c) dst[c] = 0.0f;
    for (int64_t c = first; c < last; ++c) dst[c] = src[c];
    for (int64_t c = last; c < cols; ++c) dst[c] = 0.0f;
  }
}

// K x K kernel, stride 1, no dilation, on a padded plane of `cols` columns. The output is
// computed as if it were `cols` wide, so that the whole plane is one long vectorised loop
// (a 14 x 14 plane would otherwise be 14 loops too short for a 16-lane vector); the K - 1
// extra columns of each row are dropped when the result is copied out.
template <int K>
void dw_plane_stride1(const DwConvShape& s, int64_t cols, const float* __restrict padded,
                      const float* filter, float bias, Clamp clamp, float* __restrict wide,
                      float* __restrict out) {
  float taps[K * K];
  for (int i = 0; i < K * K; ++i) taps[i] = filter[i];
  const int64_t n = (s.out_h - 1) * cols + s.out_w;
  for (int64_t i = 0; i < n; ++i) {
    float acc = bias;
    for (int ky = 0; ky < K; ++ky) {
      for (int kx = 0; kx < K; ++kx) acc += taps[ky * K + kx] * padded[i + ky * cols + kx];
    }
    wide[i] = acc;
  }
  for (int64_t oy = 0; oy < s.out_h; ++oy) {
    for (int64_t ox = 0; ox < s.out_w; ++ox) {
      out[oy * s.out_w + ox] = clamp_value(wide[oy * cols + ox], clamp);
    }
  }
}

// K x K kernel, stride 2, no dilation, on a padded plane: row by row.
template <int K>
void dw_plane_stride2(const DwConvShape& s, int64_t cols, const float* __restrict padded,
                      const float* filter, float bias, Clamp clamp, float* __restrict out) {
  float taps[K * K];
  for (int i = 0; i < K * K; ++i) taps[i] = filter[i];
  for (int64_t oy = 0; oy < s.out_h; ++oy) {
    const float* top = padded + oy * 2 * cols;
    float* out_row = out + oy * s.out_w;
    for (int64_t ox = 0; ox < s.out_w; ++ox) {
      float acc = bias;
      for (int ky = 0; ky < K; ++ky) {
        for (int kx = 0; kx < K; ++kx) acc += taps[ky * K + kx] * top[ky * cols + 2 * ox + kx];
      }
      out_row[ox] = clamp_value(acc, clamp);
    }
  }
}

template <int K>
bool dw_plane_fast(const DwConvShape& s, const float* plane, const float* filter, float bias,
                   Clamp clamp, float* scratch, float* out) {
  const int64_t stride = s.stride_h;
  const int64_t rows = (s.out_h - 1) * stride + K;
  const int64_t cols = (s.out_w - 1) * stride + K;
  pad_plane(s, rows, cols, plane, scratch);
  if (stride == 1) {
    dw_plane_stride1<K>(s, cols, scratch, filter, bias, clamp, scratch + rows * cols, out);
  } else {
    dw_plane_stride2<K>(s, cols, scratch, filter, bias, clamp, out);
  }
  return true;
}

void dwconv2d_body(const DwConvShape& s, const float* x, const float* w, const float* bias,
                   Clamp clamp, float* scratch, float* y) {
  const int fast_kernel = dwconv_fast_kernel(s);
  for (int64_t c = 0; c < s.channels; ++c) {
    const float* plane = x + c * s.in_h * s.in_w;
    const float* filter = w + c * s.kernel_h * s.kernel_w;
    float* out = y + c * s.out_h * s.out_w;
    const float b = bias ? bias[c] : 0.0f;
    if (fast_kernel == 3) {
      dw_plane_fast<3>(s, plane, filter, b, clamp, scratch, out);
    } else if (fast_kernel == 5) {
      dw_plane_fast<5>(s, plane, filter, b, clamp, scratch, out);
    } else {
      dw_plane_checked(s, plane, filter, b, clamp, out);
    }
  }
}

}  // namespace
}  // namespace pixlake
