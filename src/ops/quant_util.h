// Helpers shared by the quantised operators (QuantizeLinear, QLinearConv, ...): reading scale and
// zero-point inputs, and rounding/saturating a real value into uint8/int8 the way ONNX Runtime
// does (round half to even, std::nearbyint under the default rounding mode).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ops/attributes.h"
#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace pixlake::quant {

// The scale and zero point of one quantised tensor: a single value (per tensor) or one value per
// slice along an axis (per axis / per channel). zero_point has the same length as scale.
struct QuantParams {
  std::vector<float> scale;
  std::vector<int32_t> zero_point;
  DType dtype = DType::kU8;  // dtype of the quantised values (the zero point's dtype)

  bool per_tensor() const { return scale.size() == 1; }
  float scale_at(int64_t i) const {
    return per_tensor() ? scale[0] : scale[static_cast<size_t>(i)];
  }
  int32_t zero_point_at(int64_t i) const {
    return per_tensor() ? zero_point[0] : zero_point[static_cast<size_t>(i)];
  }
};

// Reads a float scale and an optional zero point (nullptr = absent: zero of `default_dtype`).
// Both must hold the same number of elements; `what` names them in errors ("x_scale").
Result<QuantParams> read_quant_params(const Tensor* scale, const Tensor* zero_point,
                                      const std::string& what, DType default_dtype);

// Which channel of `params` each element of a quantised tensor uses: (i / inner) % dim along
// the quantisation axis, or always channel 0 per tensor.
struct ChannelLayout {
  int64_t dim = 1;
  int64_t inner = 1;  // elements after the axis

  int64_t channel_of(int64_t i) const { return (i / inner) % dim; }
};

// The layout of `params` over `x` for the `axis` attribute (only normalised when per axis).
// The caller checks the scale count against `dim`, naming its own inputs.
Result<ChannelLayout> channel_layout(const QuantParams& params, const Tensor& x, int64_t axis);

// QuantizeLinear and DequantizeLinear refuse a non-zero block_size (blocked quantisation).
Status refuse_block_size(const Attributes& attrs);

// Requires a per-tensor (single element) scale and zero point.
Status expect_per_tensor(const QuantParams& params, const std::string& what);

// Requires 1 (per tensor) or `n` values; `what` names them in errors.
Status expect_count(const QuantParams& params, int64_t n, const std::string& what);

// True for the 8-bit quantised dtypes these operators produce.
inline bool is_quantized_8bit(DType dtype) { return dtype == DType::kU8 || dtype == DType::kI8; }

// "input x must be u8 or i8, got f32[2]" unless the tensor is present and 8-bit.
Status expect_quantized_8bit(const Tensor* t, const char* what);

inline int32_t min_value(DType dtype) { return dtype == DType::kI8 ? -128 : 0; }
inline int32_t max_value(DType dtype) { return dtype == DType::kI8 ? 127 : 255; }

// saturate(round_half_even(value) + zero_point), as ONNX Runtime's MlasQuantizeValue. NaN maps
// to the zero point.
inline int32_t quantize_value(float value, int32_t zero_point, DType dtype) {
  if (std::isnan(value)) return zero_point;
  // Clamping before rounding gives the same result (the bounds are integers) and keeps the
  // value small enough for the rounding trick below.
  const float lo = static_cast<float>(min_value(dtype) - zero_point);
  const float hi = static_cast<float>(max_value(dtype) - zero_point);
  value = value < lo ? lo : (value > hi ? hi : value);
  // Adding and removing 1.5 * 2^23 rounds |value| < 2^22 to an integer, half to even, in the
  // default rounding mode: std::nearbyint without a libm call in the hottest loop.
  constexpr float kRoundingMagic = 12582912.0f;
  const float rounded = (value + kRoundingMagic) - kRoundingMagic;
  return static_cast<int32_t>(rounded) + zero_point;
}

// c[m,n] = a[m,k] * b[k,n] (row-major) on integer-valued doubles. Every product and partial
// sum of 8-bit operands stays far below 2^53, so the result is exact: the same accumulator as an
// int32 loop, at BLAS speed. Empty sizes are allowed (k == 0 gives zeros).
void exact_integer_gemm(int64_t m, int64_t n, int64_t k, const double* a, const double* b,
                        double* c);

// The integer kernels (kernels/u8s8_gemm, kernels/u8s8_dwconv) multiply unsigned activations by
// signed weights. An i8 activation tensor is shifted to u8 (x + 128, the zero point too) and u8
// weights to s8 (w - 128): the centred values (x - x_zp), (w - w_zp) stay the same.
inline int32_t activation_shift(DType dtype) { return dtype == DType::kI8 ? 128 : 0; }
inline int32_t weight_shift(DType dtype) { return dtype == DType::kU8 ? -128 : 0; }
// The elements of a u8/i8 tensor shifted as above into s8 (weights).
std::vector<int8_t> to_s8_weights(const Tensor& w);
// The elements of an i8 tensor shifted into u8 (activations), into `out` (numel bytes).
void i8_to_u8_activations(const Tensor& x, uint8_t* out);

// The elements of a u8/i8/i32 tensor as int32.
std::vector<int32_t> to_int32(const Tensor& t);

// Builds a u8 or i8 tensor from values already within the dtype's range.
Tensor from_int32(DType dtype, const Shape& shape, const std::vector<int32_t>& values);

}  // namespace pixlake::quant
