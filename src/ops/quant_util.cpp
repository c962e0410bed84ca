#include "ops/quant_util.h"

#include <cblas.h>

#include <algorithm>

#include "ops/op_util.h"

namespace pixlake::quant {

Result<QuantParams> read_quant_params(const Tensor* scale, const Tensor* zero_point,
                                      const std::string& what, DType default_dtype) {
  std::string scale_name = what + "_scale";
  std::string zp_name = what + "_zero_point";
  PIXLAKE_RETURN_IF_ERROR(expect_dtype(scale, DType::kF32, scale_name.c_str()));
  QuantParams params;
  params.scale = scale->to_floats();
  if (params.scale.empty()) return invalid_argument(scale_name + " is empty");
  if (scale->rank() > 1) {
    return invalid_argument(scale_name + " must be a scalar or 1-D, got " + scale->describe());
  }
  if (zero_point == nullptr || !zero_point->defined()) {
    params.dtype = default_dtype;
    params.zero_point.assign(params.scale.size(), 0);
    return params;
  }
  DType zp_dtype = zero_point->dtype();
  if (zp_dtype != DType::kU8 && zp_dtype != DType::kI8 && zp_dtype != DType::kI32) {
    return unsupported(zp_name + " must be u8, i8 or i32, got " + zero_point->describe());
  }
  if (zero_point->numel() != scale->numel()) {
    return invalid_argument(zp_name + " " + zero_point->describe() + " does not match " +
                            scale_name + " " + scale->describe());
  }
  params.dtype = zp_dtype;
  params.zero_point = to_int32(*zero_point);
  return params;
}

Status expect_per_tensor(const QuantParams& params, const std::string& what) {
  if (!params.per_tensor()) {
    return unsupported(what + " must be per tensor (one value), got " +
                       std::to_string(params.scale.size()) + " values");
  }
  return Status::ok();
}

Result<ChannelLayout> channel_layout(const QuantParams& params, const Tensor& x, int64_t axis) {
  ChannelLayout layout;
  if (params.per_tensor()) return layout;
  PIXLAKE_ASSIGN_OR_RETURN(int64_t a, normalize_axis(axis, x.rank()));
  layout.dim = x.dim(a);
  for (int64_t d = a + 1; d < x.rank(); ++d) layout.inner *= x.dim(d);
  return layout;
}

Status refuse_block_size(const Attributes& attrs) {
  if (attrs.get_int("block_size", 0) != 0) {
    return unsupported("block_size (blocked quantization) is not supported");
  }
  return Status::ok();
}

Status expect_count(const QuantParams& params, int64_t n, const std::string& what) {
  if (!params.per_tensor() && static_cast<int64_t>(params.scale.size()) != n) {
    return invalid_argument(what + " must hold 1 or " + std::to_string(n) + " values, got " +
                            std::to_string(params.scale.size()));
  }
  return Status::ok();
}

Status expect_quantized_8bit(const Tensor* t, const char* what) {
  PIXLAKE_RETURN_IF_ERROR(expect_present(t, what));
  if (!is_quantized_8bit(t->dtype())) {
    return unsupported(std::string(what) + " must be u8 or i8, got " + t->describe());
  }
  return Status::ok();
}

void exact_integer_gemm(int64_t m, int64_t n, int64_t k, const double* a, const double* b,
                        double* c) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    std::fill(c, c + m * n, 0.0);
    return;
  }
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), 1.0, a, static_cast<int>(k), b, static_cast<int>(n), 0.0, c,
              static_cast<int>(n));
}

std::vector<int8_t> to_s8_weights(const Tensor& w) {
  std::vector<int8_t> out(static_cast<size_t>(w.numel()));
  if (w.dtype() == DType::kI8) {
    std::copy(w.data<int8_t>(), w.data<int8_t>() + w.numel(), out.begin());
  } else {
    PIXLAKE_ASSERT(w.dtype() == DType::kU8);
    const uint8_t* src = w.data<uint8_t>();
    // w - 128 is the byte with its top bit flipped.
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int8_t>(src[i] ^ 0x80);
  }
  return out;
}

void i8_to_u8_activations(const Tensor& x, uint8_t* out) {
  PIXLAKE_ASSERT(x.dtype() == DType::kI8);
  const auto* src = static_cast<const uint8_t*>(x.raw());
  for (int64_t i = 0; i < x.numel(); ++i) out[i] = static_cast<uint8_t>(src[i] ^ 0x80);
}

std::vector<int32_t> to_int32(const Tensor& t) {
  std::vector<int32_t> out(static_cast<size_t>(t.numel()));
  switch (t.dtype()) {
    case DType::kU8: {
      const uint8_t* src = t.data<uint8_t>();
      for (size_t i = 0; i < out.size(); ++i) out[i] = src[i];
      break;
    }
    case DType::kI8: {
      const int8_t* src = t.data<int8_t>();
      for (size_t i = 0; i < out.size(); ++i) out[i] = src[i];
      break;
    }
    case DType::kI32: {
      const int32_t* src = t.data<int32_t>();
      for (size_t i = 0; i < out.size(); ++i) out[i] = src[i];
      break;
    }
    default: PIXLAKE_ASSERT(false && "to_int32 takes u8, i8 or i32");
  }
  return out;
}

Tensor from_int32(DType dtype, const Shape& shape, const std::vector<int32_t>& values) {
  Tensor t(dtype, shape);
  PIXLAKE_ASSERT(static_cast<size_t>(t.numel()) == values.size());
  if (dtype == DType::kU8) {
    uint8_t* dst = t.data<uint8_t>();
    for (size_t i = 0; i < values.size(); ++i) dst[i] = static_cast<uint8_t>(values[i]);
  } else {
    PIXLAKE_ASSERT(dtype == DType::kI8);
    int8_t* dst = t.data<int8_t>();
    for (size_t i = 0; i < values.size(); ++i) dst[i] = static_cast<int8_t>(values[i]);
  }
  return t;
}

}  // namespace pixlake::quant
