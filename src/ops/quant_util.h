// Helpers shared by the quantised operators (QuantizeLinear, QLinearConv, ...): reading scale and
// zero-point inputs, and rounding/saturating a real value into uint8/int8 the way ONNX Runtime
// does (round half to even, std::nearbyint under the default rounding mode).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

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

// saturate(round_half_even(value) + zero_point), as ONNX Runtime's MlasQuantizeValue.
inline int32_t quantize_value(float value, int32_t zero_point, DType dtype) {
  float rounded = std::nearbyint(value);
  if (std::isnan(rounded)) rounded = 0.0f;
  float lo = static_cast<float>(min_value(dtype) - zero_point);
  float hi = static_cast<float>(max_value(dtype) - zero_point);
  rounded = rounded < lo ? lo : (rounded > hi ? hi : rounded);
  return static_cast<int32_t>(rounded) + zero_point;
}

// The elements of a u8/i8/i32 tensor as int32.
std::vector<int32_t> to_int32(const Tensor& t);

// Builds a u8 or i8 tensor from values already within the dtype's range.
Tensor from_int32(DType dtype, const Shape& shape, const std::vector<int32_t>& values);

}  // namespace pixlake::quant
