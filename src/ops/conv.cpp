// Conv: N-D convolution with strides, padding (explicit or auto_pad), dilations and groups.
// Each (batch item, group) is one matrix product: W_g [M/g, C/g * K] x im2col [C/g * K, out].
#include <cblas.h>

#include <vector>

#include "ops/im2col.h"
#include "ops/op_util.h"
#include "ops/registry.h"
#include "ops/window.h"

namespace pixlake {
namespace {

class ConvOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    PIXLAKE_ASSIGN_OR_RETURN(window_attrs_, read_window_attrs(setup.attrs, true, false));
    group_ = setup.attrs.get_int("group", 1);
    if (group_ < 1) return invalid_argument("group must be at least 1");
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input X"));
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[1], DType::kF32, "input W"));
    const Tensor& x = *inputs[0];
    const Tensor& weight = *inputs[1];
    const Tensor* bias = inputs.size() > 2 ? inputs[2] : nullptr;
    if (x.rank() < 3 || weight.rank() != x.rank()) {
      return invalid_argument("X " + x.describe() + " and W " + weight.describe() +
                              " must both be [N, C, spatial...] / [M, C/group, kernel...]");
    }
    const int64_t batch = x.dim(0);
    const int64_t channels = x.dim(1);
    const int64_t maps = weight.dim(0);
    if (channels % group_ != 0 || maps % group_ != 0 || weight.dim(1) * group_ != channels) {
      return invalid_argument("W " + weight.describe() + " does not match X " + x.describe() +
                              " with group=" + std::to_string(group_));
    }
    const Shape kernel(weight.shape().begin() + 2, weight.shape().end());
    if (!window_attrs_.kernel_shape.empty() && window_attrs_.kernel_shape != kernel) {
      return invalid_argument("kernel_shape " + shape_to_string(window_attrs_.kernel_shape) +
                              " does not match W " + weight.describe());
    }
    if (bias != nullptr) {
      PIXLAKE_RETURN_IF_ERROR(expect_dtype(bias, DType::kF32, "input B"));
      if (bias->numel() != maps || bias->rank() != 1) {
        return invalid_argument("B " + bias->describe() + " must be [" + std::to_string(maps) +
                                "]");
      }
    }
    PIXLAKE_ASSIGN_OR_RETURN(
        Window w,
        resolve_window(window_attrs_, Shape(x.shape().begin() + 2, x.shape().end()), kernel));

    Shape y_shape = {batch, maps};
    y_shape.insert(y_shape.end(), w.out.begin(), w.out.end());
    Tensor y(DType::kF32, y_shape);

    const int64_t group_channels = channels / group_;
    const int64_t group_maps = maps / group_;
    const int64_t depth = group_channels * w.kernel_size();  // the shared dimension of the product
    const int64_t out_size = w.out_size();
    const bool identity = im2col_is_identity(w);
    std::vector<float> col(identity ? 0 : static_cast<size_t>(depth * out_size));
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t g = 0; g < group_; ++g) {
        const float* image = x.data<float>() + (n * channels + g * group_channels) * w.in_size();
        const float* columns = image;
        if (!identity) {
          im2col(image, group_channels, w, col.data());
          columns = col.data();
        }
        const float* w_group = weight.data<float>() + g * group_maps * depth;
        float* y_group = y.data<float>() + (n * maps + g * group_maps) * out_size;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(group_maps),
                    static_cast<int>(out_size), static_cast<int>(depth), 1.0f, w_group,
                    static_cast<int>(depth), columns, static_cast<int>(out_size), 0.0f, y_group,
                    static_cast<int>(out_size));
      }
    }
    if (bias != nullptr) {
      const float* b = bias->data<float>();
      float* out = y.data<float>();
      for (int64_t n = 0; n < batch; ++n) {
        for (int64_t m = 0; m < maps; ++m) {
          float* plane = out + (n * maps + m) * out_size;
          for (int64_t i = 0; i < out_size; ++i) plane[i] += b[m];
        }
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  WindowAttrs window_attrs_;
  int64_t group_ = 1;
};

}  // namespace

std::unique_ptr<Op> make_op_Conv() { return std::make_unique<ConvOp>(); }

}  // namespace pixlake
