// ConvTranspose: the adjoint of Conv (a "deconvolution"), N-D, with strides, pads or auto_pad,
// dilations, groups, output_padding and output_shape. Each (batch item, group) is one matrix
// product W_g^T [M/g * K, C/g] x X_g [C/g, in], scattered into Y by col2im.
#include <cblas.h>

#include <vector>

#include "ops/conv_common.h"
#include "ops/im2col.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class ConvTransposeOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    PIXLAKE_ASSIGN_OR_RETURN(attrs_, read_conv_attrs(setup.attrs));
    output_padding_ = setup.attrs.get_ints("output_padding");
    output_shape_ = setup.attrs.get_ints("output_shape");
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(check_conv_operands(inputs[0], inputs[1], "[C, M/group, kernel...]"));
    const Tensor& x = *inputs[0];
    const Tensor& weight = *inputs[1];
    const Tensor* bias = inputs.size() > 2 ? inputs[2] : nullptr;
    const int64_t batch = x.dim(0);
    const int64_t channels = x.dim(1);
    const int64_t maps = weight.dim(1) * attrs_.group;
    if (weight.dim(0) != channels || channels % attrs_.group != 0) {
      return invalid_argument("W " + weight.describe() + " does not match X " + x.describe() +
                              " with group=" + std::to_string(attrs_.group));
    }
    PIXLAKE_RETURN_IF_ERROR(check_conv_bias(bias, maps));
    PIXLAKE_ASSIGN_OR_RETURN(Window w, resolve(x, weight));

    Shape y_shape = {batch, maps};
    y_shape.insert(y_shape.end(), w.in.begin(), w.in.end());
    Tensor y(DType::kF32, y_shape);  // zeroed: col2im accumulates into it

    const int64_t group_channels = channels / attrs_.group;
    const int64_t group_maps = maps / attrs_.group;
    const int64_t rows = group_maps * w.kernel_size();  // column-matrix rows per group
    const int64_t x_size = w.out_size();                // X's spatial size
    const int64_t y_size = w.in_size();                 // Y's spatial size
    std::vector<float> col(static_cast<size_t>(rows * x_size));
    // An empty product (no channels or maps) leaves Y at zero plus bias; BLAS rejects it.
    const bool empty = rows == 0 || group_channels == 0;
    for (int64_t n = 0; n < batch && !empty; ++n) {
      for (int64_t g = 0; g < attrs_.group; ++g) {
        const float* x_group = x.data<float>() + (n * channels + g * group_channels) * x_size;
        const float* w_group = weight.data<float>() + g * group_channels * rows;
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<int>(rows),
                    static_cast<int>(x_size), static_cast<int>(group_channels), 1.0f, w_group,
                    static_cast<int>(rows), x_group, static_cast<int>(x_size), 0.0f, col.data(),
                    static_cast<int>(x_size));
        col2im(col.data(), group_maps, w, y.data<float>() + (n * maps + g * group_maps) * y_size);
      }
    }
    if (bias != nullptr) add_conv_bias(y, *bias);
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  // The window of the equivalent forward Conv, which maps Y (its input) to X (its output):
  // w.in is Y's spatial size and w.out is X's.
  Result<Window> resolve(const Tensor& x, const Tensor& weight) const {
    const size_t rank = static_cast<size_t>(x.rank() - 2);
    PIXLAKE_ASSIGN_OR_RETURN(const Shape kernel, conv_kernel(attrs_.window, weight));
    // Reuse the attribute checks of resolve_window on an unpadded window over a dummy input
    // large enough for any kernel; only the checked strides and dilations are kept.
    WindowAttrs checks = attrs_.window;
    checks.auto_pad = AutoPad::kNotSet;
    checks.pads.clear();
    Shape big(rank, 0);
    for (size_t d = 0; d < rank; ++d) big[d] = int64_t{1} << 40;
    PIXLAKE_ASSIGN_OR_RETURN(Window w, resolve_window(checks, big, kernel));

    Shape output_padding = output_padding_.empty() ? Shape(rank, 0) : output_padding_;
    if (output_padding.size() != rank) {
      return invalid_argument("output_padding has " + std::to_string(output_padding.size()) +
                              " values for " + std::to_string(rank) + " spatial dimensions");
    }
    Shape output_shape = output_shape_;
    if (output_shape.size() == rank + 2)
      output_shape.erase(output_shape.begin(), output_shape.begin() + 2);
    if (!output_shape.empty() && output_shape.size() != rank) {
      return invalid_argument("output_shape has " + std::to_string(output_shape_.size()) +
                              " values for " + std::to_string(rank) + " spatial dimensions");
    }
    const bool same = attrs_.window.auto_pad == AutoPad::kSameUpper ||
                      attrs_.window.auto_pad == AutoPad::kSameLower;
    if (!attrs_.window.pads.empty() && attrs_.window.pads.size() != 2 * rank) {
      return invalid_argument("pads has " + std::to_string(attrs_.window.pads.size()) +
                              " values for " + std::to_string(rank) + " spatial dimensions");
    }
    w.out = Shape(x.shape().begin() + 2, x.shape().end());
    for (size_t d = 0; d < rank; ++d) {
      const int64_t extent = (kernel[d] - 1) * w.dilations[d] + 1;
      const int64_t full = w.strides[d] * (w.out[d] - 1) + output_padding[d] + extent;
      if (!output_shape.empty() || same) {
        // Pads follow from the requested size; the odd unit goes to the end for SAME_UPPER
        // and to the beginning otherwise (ONNX spec).
        w.in[d] = !output_shape.empty() ? output_shape[d] : w.out[d] * w.strides[d];
        const int64_t total = full - w.in[d];  // negative when output_shape asks for more
        const int64_t half = total >= 0 ? total / 2 : -((1 - total) / 2);  // floor(total / 2)
        w.pad_begin[d] = attrs_.window.auto_pad == AutoPad::kSameUpper ? half : total - half;
        w.pad_end[d] = total - w.pad_begin[d];
      } else {
        if (attrs_.window.auto_pad == AutoPad::kNotSet && !attrs_.window.pads.empty()) {
          w.pad_begin[d] = attrs_.window.pads[d];
          w.pad_end[d] = attrs_.window.pads[d + rank];
        }
        w.in[d] = full - w.pad_begin[d] - w.pad_end[d];
      }
      if (w.in[d] < 1) {
        return invalid_argument("output spatial size " + std::to_string(w.in[d]) +
                                " is empty for X " + x.describe());
      }
    }
    return w;
  }

  ConvAttrs attrs_;
  std::vector<int64_t> output_padding_;
  std::vector<int64_t> output_shape_;
};

}  // namespace

std::unique_ptr<Op> make_op_ConvTranspose() { return std::make_unique<ConvTransposeOp>(); }

}  // namespace pixlake
