#include "ops/conv_common.h"

#include <string>

#include "ops/op_util.h"

namespace pixlake {

Result<ConvAttrs> read_conv_attrs(const Attributes& attrs) {
  ConvAttrs conv;
  PIXLAKE_ASSIGN_OR_RETURN(conv.window, read_window_attrs(attrs, true, false));
  conv.group = attrs.get_int("group", 1);
  if (conv.group < 1) return invalid_argument("group must be at least 1");
  return conv;
}

Status check_conv_operands(const Tensor* x, const Tensor* weight, const char* w_layout) {
  PIXLAKE_RETURN_IF_ERROR(expect_dtype(x, DType::kF32, "input X"));
  PIXLAKE_RETURN_IF_ERROR(expect_dtype(weight, DType::kF32, "input W"));
  if (x->rank() < 3 || weight->rank() != x->rank()) {
    return invalid_argument("X " + x->describe() + " and W " + weight->describe() +
                            " must both be [N, C, spatial...] / " + w_layout);
  }
  return Status::ok();
}

Result<Shape> conv_kernel(const WindowAttrs& attrs, const Tensor& weight) {
  Shape kernel(weight.shape().begin() + 2, weight.shape().end());
  if (!attrs.kernel_shape.empty() && attrs.kernel_shape != kernel) {
    return invalid_argument("kernel_shape " + shape_to_string(attrs.kernel_shape) +
                            " does not match W " + weight.describe());
  }
  return kernel;
}

Status check_conv_bias(const Tensor* bias, int64_t maps) {
  if (bias == nullptr) return Status::ok();
  PIXLAKE_RETURN_IF_ERROR(expect_dtype(bias, DType::kF32, "input B"));
  if (bias->numel() != maps || bias->rank() != 1) {
    return invalid_argument("B " + bias->describe() + " must be [" + std::to_string(maps) + "]");
  }
  return Status::ok();
}

void add_conv_bias(Tensor& y, const Tensor& bias) {
  const int64_t batch = y.dim(0);
  const int64_t maps = y.dim(1);
  const int64_t plane_size = shape_numel(Shape(y.shape().begin() + 2, y.shape().end()));
  const float* b = bias.data<float>();
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t m = 0; m < maps; ++m) {
      float* plane = y.data<float>() + (n * maps + m) * plane_size;
      for (int64_t i = 0; i < plane_size; ++i) plane[i] += b[m];
    }
  }
}

}  // namespace pixlake
