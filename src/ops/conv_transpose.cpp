// ConvTranspose: the adjoint of Conv (a "deconvolution"), N-D, with strides, pads or auto_pad,
// dilations, groups, output_padding and output_shape. Each (batch item, group) is one matrix
// product W_g^T [M/g * K, C/g] x X_g [C/g, in], scattered into Y by col2im.
#include <cblas.h>

#include <vector>

#include "ops/im2col.h"
#include "ops/op_util.h"
#include "ops/registry.h"
#include "ops/window.h"

namespace pixlake {
namespace {

class ConvTransposeOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    PIXLAKE_ASSIGN_OR_RETURN(window_attrs_, read_window_attrs(setup.attrs, true, false));
    group_ = setup.attrs.get_int("group", 1);
    if (group_ < 1) return invalid_argument("group must be at least 1");
    output_padding_ = setup.attrs.get_ints("output_padding");
    output_shape_ = setup.attrs.get_ints("output_shape");
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
                              " must both be [N, C, spatial...] / [C, M/group, kernel...]");
    }
    const int64_t batch = x.dim(0);
    const int64_t channels = x.dim(1);
    const int64_t maps = weight.dim(1) * group_;
    if (weight.dim(0) != channels || channels % group_ != 0) {
      return invalid_argument("W " + weight.describe() + " does not match X " + x.describe() +
                              " with group=" + std::to_string(group_));
    }
    if (bias != nullptr) {
      PIXLAKE_RETURN_IF_ERROR(expect_dtype(bias, DType::kF32, "input B"));
      if (bias->numel() != maps || bias->rank() != 1) {
        return invalid_argument("B " + bias->describe() + " must be [" + std::to_string(maps) +
                                "]");
      }
    }
    PIXLAKE_ASSIGN_OR_RETURN(Window w, resolve(x, weight));

    Shape y_shape = {batch, maps};
    y_shape.insert(y_shape.end(), w.in.begin(), w.in.end());
    Tensor y(DType::kF32, y_shape);  // zeroed: col2im accumulates into it

    const int64_t group_channels = channels / group_;
    const int64_t group_maps = maps / group_;
    const int64_t rows = group_maps * w.kernel_size();  // column-matrix rows per group
    const int64_t x_size = w.out_size();                // X's spatial size
    const int64_t y_size = w.in_size();                 // Y's spatial size
    std::vector<float> col(static_cast<size_t>(rows * x_size));
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t g = 0; g < group_; ++g) {
        const float* x_group = x.data<float>() + (n * channels + g * group_channels) * x_size;
        const float* w_group = weight.data<float>() + g * group_channels * rows;
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<int>(rows),
                    static_cast<int>(x_size), static_cast<int>(group_channels), 1.0f, w_group,
                    static_cast<int>(rows), x_group, static_cast<int>(x_size), 0.0f, col.data(),
                    static_cast<int>(x_size));
        col2im(col.data(), group_maps, w, y.data<float>() + (n * maps + g * group_maps) * y_size);
      }
    }
    if (bias != nullptr) {
      const float* b = bias->data<float>();
      for (int64_t n = 0; n < batch; ++n) {
        for (int64_t m = 0; m < maps; ++m) {
          float* plane = y.data<float>() + (n * maps + m) * y_size;
          for (int64_t i = 0; i < y_size; ++i) plane[i] += b[m];
        }
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  // The window of the equivalent forward Conv, which maps Y (its input) to X (its output):
  // w.in is Y's spatial size and w.out is X's.
  Result<Window> resolve(const Tensor& x, const Tensor& weight) const {
    const size_t rank = static_cast<size_t>(x.rank() - 2);
    const Shape kernel(weight.shape().begin() + 2, weight.shape().end());
    if (!window_attrs_.kernel_shape.empty() && window_attrs_.kernel_shape != kernel) {
      return invalid_argument("kernel_shape " + shape_to_string(window_attrs_.kernel_shape) +
                              " does not match W " + weight.describe());
    }
    // Reuse the attribute checks of resolve_window on an unpadded window over a dummy input
    // large enough for any kernel; only the checked strides and dilations are kept.
    WindowAttrs checks = window_attrs_;
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
    const bool same = window_attrs_.auto_pad == AutoPad::kSameUpper ||
                      window_attrs_.auto_pad == AutoPad::kSameLower;
    if (!window_attrs_.pads.empty() && window_attrs_.pads.size() != 2 * rank) {
      return invalid_argument("pads has " + std::to_string(window_attrs_.pads.size()) +
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
        w.pad_begin[d] = window_attrs_.auto_pad == AutoPad::kSameUpper ? half : total - half;
        w.pad_end[d] = total - w.pad_begin[d];
      } else {
        if (window_attrs_.auto_pad == AutoPad::kNotSet && !window_attrs_.pads.empty()) {
          w.pad_begin[d] = window_attrs_.pads[d];
          w.pad_end[d] = window_attrs_.pads[d + rank];
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

  WindowAttrs window_attrs_;
  int64_t group_ = 1;
  std::vector<int64_t> output_padding_;
  std::vector<int64_t> output_shape_;
};

}  // namespace

std::unique_ptr<Op> make_op_ConvTranspose() { return std::make_unique<ConvTransposeOp>(); }

}  // namespace pixlake
