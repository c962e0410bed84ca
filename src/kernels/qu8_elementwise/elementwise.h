// Elementwise kernels of the quantised (u8) operators, in the float arithmetic ONNX Runtime's
// MLAS uses, so that results match it bit for bit:
//   qu8_vadd (QLinearAdd):      y = q(a_ratio * float(a - a_zp) + b_ratio * float(b - b_zp))
//   f32_qu8_vcvt (QuantizeLinear): y = q(x / scale)
// where q(v) = saturate(round_half_even(v) + y_zp) to [0, 255], NaN -> y_zp
// (quant::quantize_value). Products and sums are rounded one at a time (never fused).
#pragma once

#include <cstdint>

namespace pixlake {

struct QU8AddParams {
  int32_t a_zero_point = 0, b_zero_point = 0;
  float a_ratio = 1.0f, b_ratio = 1.0f;  // A_scale / C_scale, B_scale / C_scale
  int32_t y_zero_point = 0;
};

// n elements of a and b (same shape, no broadcasting) into y.
using QU8AddFn = void (*)(int64_t n, const uint8_t* a, const uint8_t* b, const QU8AddParams& p,
                          uint8_t* y);
// n floats quantised with one scale and zero point.
using F32QU8CvtFn = void (*)(int64_t n, const float* x, float scale, int32_t zero_point,
                             uint8_t* y);

// The fastest implementations this CPU runs, chosen once.
QU8AddFn qu8_vadd();
F32QU8CvtFn f32_qu8_vcvt();

void qu8_vadd__ref(int64_t n, const uint8_t* a, const uint8_t* b, const QU8AddParams& p,
                   uint8_t* y);
void qu8_vadd__avx512(int64_t n, const uint8_t* a, const uint8_t* b, const QU8AddParams& p,
                      uint8_t* y);
void f32_qu8_vcvt__ref(int64_t n, const float* x, float scale, int32_t zero_point, uint8_t* y);
void f32_qu8_vcvt__avx512(int64_t n, const float* x, float scale, int32_t zero_point, uint8_t* y);

}  // namespace pixlake
