// Depthwise 2-D convolution in NCHW (one filter per channel, the MobileNet block's middle
// layer), with bias and a clamp applied in the same pass. Through im2col + GEMM such a layer
// is a 1 x 9 by 9 x HW product per channel: the column copy alone costs more than the
// arithmetic, so it gets a direct kernel.
#pragma once

#include <cstdint>
#include <limits>

namespace pixlake {

struct DwConvShape {
  int64_t channels = 0;
  int64_t in_h = 0, in_w = 0;
  int64_t kernel_h = 0, kernel_w = 0;
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0;  // the bottom/right padding only shows in out_h/out_w
  int64_t out_h = 0, out_w = 0;
};

// y = min(max(x, lo), hi) after the bias; the default bounds leave values (and NaN) unchanged.
struct Clamp {
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
};

// x [channels, in_h, in_w], w [channels, kernel_h, kernel_w], bias [channels] or nullptr,
// y [channels, out_h, out_w]. One batch item; every y element is written. `scratch` holds
// at least f32_dwconv2d_scratch_floats(s) floats.
using DwConvFn = void (*)(const DwConvShape& s, const float* x, const float* w, const float* bias,
                          Clamp clamp, float* scratch, float* y);

// The kernel size (3 or 5) of the fast path that handles `s` (square kernel, equal strides of
// 1 or 2, no dilation), or 0 when it falls back to the bounds-checked loop.
int dwconv_fast_kernel(const DwConvShape& s);
// Scratch one call needs: a zero-padded copy of one plane and a row-padded output plane.
int64_t f32_dwconv2d_scratch_floats(const DwConvShape& s);

// The fastest implementation this CPU runs, chosen once.
DwConvFn f32_dwconv2d();
// The plain loop every other implementation is tested against.
void f32_dwconv2d__ref(const DwConvShape& s, const float* x, const float* w, const float* bias,
                       Clamp clamp, float* scratch, float* y);
// Built for one ISA each; call only where the CPU has it (see f32_dwconv2d()).
void f32_dwconv2d__generic(const DwConvShape& s, const float* x, const float* w, const float* bias,
                           Clamp clamp, float* scratch, float* y);
void f32_dwconv2d__avx2(const DwConvShape& s, const float* x, const float* w, const float* bias,
                        Clamp clamp, float* scratch, float* y);
void f32_dwconv2d__avx512(const DwConvShape& s, const float* x, const float* w, const float* bias,
                          Clamp clamp, float* scratch, float* y);

}  // namespace pixlake
