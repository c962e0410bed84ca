// Conv: N-D convolution with strides, padding (explicit or auto_pad), dilations and groups.
// Each (batch item, group) is one matrix product: W_g [M/g, C/g * K] x im2col [C/g * K, out].
#include <cblas.h>

#include <vector>

#include "ops/conv_common.h"
#include "ops/im2col.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class ConvOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    PIXLAKE_ASSIGN_OR_RETURN(attrs_, read_conv_attrs(setup.attrs));
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(check_conv_operands(inputs[0], inputs[1], "[M, C/group, kernel...]"));
    const Tensor& x = *inputs[0];
    const Tensor& weight = *inputs[1];
    const Tensor* bias = inputs.size() > 2 ? inputs[2] : nullptr;
    const int64_t batch = x.dim(0);
    const int64_t channels = x.dim(1);
    const int64_t maps = weight.dim(0);
    if (channels % attrs_.group != 0 || maps % attrs_.group != 0 ||
        weight.dim(1) * attrs_.group != channels) {
      return invalid_argument("W " + weight.describe() + " does not match X " + x.describe() +
                              " with group=" + std::to_string(attrs_.group));
    }
    PIXLAKE_ASSIGN_OR_RETURN(const Shape kernel, conv_kernel(attrs_.window, weight));
    PIXLAKE_RETURN_IF_ERROR(check_conv_bias(bias, maps));
    PIXLAKE_ASSIGN_OR_RETURN(
        Window w,
        resolve_window(attrs_.window, Shape(x.shape().begin() + 2, x.shape().end()), kernel));

    Shape y_shape = {batch, maps};
    y_shape.insert(y_shape.end(), w.out.begin(), w.out.end());
    Tensor y(DType::kF32, y_shape);

    const int64_t group_channels = channels / attrs_.group;
    const int64_t group_maps = maps / attrs_.group;
    const int64_t depth = group_channels * w.kernel_size();  // the shared dimension of the product
    const int64_t out_size = w.out_size();
    const bool identity = im2col_is_identity(w);
    std::vector<float> col(identity ? 0 : static_cast<size_t>(depth * out_size));
    // An empty product (no channels or maps) leaves Y at zero plus bias; BLAS rejects it.
    const bool empty = group_maps == 0 || depth == 0;
    for (int64_t n = 0; n < batch && !empty; ++n) {
      for (int64_t g = 0; g < attrs_.group; ++g) {
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
    if (bias != nullptr) add_conv_bias(y, *bias);
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  ConvAttrs attrs_;
};

}  // namespace

std::unique_ptr<Op> make_op_Conv() { return std::make_unique<ConvOp>(); }

}  // namespace pixlake
