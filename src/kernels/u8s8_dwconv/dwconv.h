// Depthwise 2-D convolution of u8 activations with s8 weights in NCHW (one filter per channel:
// the middle layer of a quantised MobileNet block), requantised to 8 bits in the same pass.
// For each channel c and output pixel: acc = sum over the taps of x * w[c] (padding reads the
// activation zero point), then the epilogue of kernels/u8s8_gemm: U8S8Requant with one "row"
// per channel (row_offset[c] = bias - xz * sum(w[c]) + taps * xz * wz[c]; row_w_zero[c] = wz[c],
// times the sum of the x under the window).
#pragma once

#include <cstdint>

#include "kernels/f32_dwconv/dwconv.h"  // DwConvShape
#include "kernels/u8s8_gemm/gemm.h"

namespace pixlake {

// The window geometry is the float kernel's (one struct for both depthwise kernels).
using U8DwConvShape = DwConvShape;

// x [channels, in_h, in_w] u8, w [channels, kernel_h * kernel_w] s8, y [channels, out_h, out_w]
// bytes. One batch item; every y element is written. `scratch` holds at least
// u8s8_dwconv_scratch_bytes(s) bytes.
using U8S8DwConvFn = void (*)(const U8DwConvShape& s, const uint8_t* x, uint8_t x_zero_point,
                              const int8_t* w, const U8S8Requant& rq, uint8_t* scratch, uint8_t* y);

int64_t u8s8_dwconv_scratch_bytes(const U8DwConvShape& s);
// Row pitch of the zero-point-padded copy of one plane that the 3x3 kernels read from scratch.
int64_t u8s8_dwconv_padded_pitch(const U8DwConvShape& s);
// Bytes of one padded plane with its read slack, in whole vectors (the scratch holds two).
int64_t u8s8_dwconv_plane_bytes(const U8DwConvShape& s);
// True when the 3x3 kernel computes the rows 64 outputs at a time without vpermb (see
// avx512icl.cpp); narrower rows go 16 outputs at a time.
bool u8s8_dwconv_wide_rows(const U8DwConvShape& s);

// The fastest implementation for this CPU and shape, chosen from what the CPU runs: the 3x3
// kernel for square 3x3 windows with strides 1 or 2 and no dilation, else the reference.
U8S8DwConvFn u8s8_dwconv(const U8DwConvShape& s);
// True when the 3x3 kernels handle `s`.
bool u8s8_dwconv_3x3_fits(const U8DwConvShape& s);

// The plain loop every other implementation is tested against (any window).
void u8s8_dwconv__ref(const U8DwConvShape& s, const uint8_t* x, uint8_t x_zero_point,
                      const int8_t* w, const U8S8Requant& rq, uint8_t* scratch, uint8_t* y);
// AVX-512 VNNI + VBMI (Ice Lake, Zen 4): vpermb gathers each output's 3 taps of one kernel row
// into a 32-bit lane, vpdpbusd multiplies them. Only for u8s8_dwconv_3x3_fits shapes.
void u8s8_dwconv_3x3__avx512icl(const U8DwConvShape& s, const uint8_t* x, uint8_t x_zero_point,
                                const int8_t* w, const U8S8Requant& rq, uint8_t* scratch,
                                uint8_t* y);

}  // namespace pixlake
