// QLinearConv: convolution of quantised x and w (1-D or 2-D, groups and depthwise included).
// The reference arithmetic is integer: acc = sum((x - x_zp) * (w - w_zp)) + B in int32, then
// y = saturate(round_half_even(acc * x_scale * w_scale / y_scale) + y_zp), with w_scale and w_zp
// per tensor or per output channel. The sums are computed with im2col + cblas_dgemm on doubles:
// every product and partial sum is an integer below 2^53, so double arithmetic is exact and
// gives the same accumulator as an int32 loop, at BLAS speed.
#include <cblas.h>

#include <algorithm>

#include "ops/op_util.h"
#include "ops/quant_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

enum class AutoPad { kNotSet, kValid, kSameUpper, kSameLower };

// Geometry of one spatial axis.
struct Axis {
  int64_t in = 1, kernel = 1, stride = 1, dilation = 1, pad_begin = 0, pad_end = 0, out = 1;
};

class QLinearConvOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    const Attributes& attrs = setup.attrs;
    kernel_shape_ = attrs.get_ints("kernel_shape");
    strides_ = attrs.get_ints("strides");
    pads_ = attrs.get_ints("pads");
    dilations_ = attrs.get_ints("dilations");
    group_ = attrs.get_int("group", 1);
    if (group_ < 1) return invalid_argument("group=" + std::to_string(group_) + " must be >= 1");
    std::string auto_pad = attrs.get_string("auto_pad", "NOTSET");
    if (auto_pad == "NOTSET") {
      auto_pad_ = AutoPad::kNotSet;
    } else if (auto_pad == "VALID") {
      auto_pad_ = AutoPad::kValid;
    } else if (auto_pad == "SAME_UPPER") {
      auto_pad_ = AutoPad::kSameUpper;
    } else if (auto_pad == "SAME_LOWER") {
      auto_pad_ = AutoPad::kSameLower;
    } else {
      return unsupported("auto_pad=" + auto_pad + " is not supported");
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs.size() < 8) return invalid_argument("QLinearConv needs at least 8 inputs");
    PIXLAKE_RETURN_IF_ERROR(quant::expect_quantized_8bit(inputs[0], "input x"));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_quantized_8bit(inputs[3], "input w"));
    const Tensor& x = *inputs[0];
    const Tensor& w = *inputs[3];
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams xq,
                             quant::read_quant_params(inputs[1], inputs[2], "x", x.dtype()));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams wq,
                             quant::read_quant_params(inputs[4], inputs[5], "w", w.dtype()));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams yq,
                             quant::read_quant_params(inputs[6], inputs[7], "y", DType::kU8));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(xq, "x_scale"));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(yq, "y_scale"));
    if (!quant::is_quantized_8bit(yq.dtype)) return unsupported("y_zero_point must be u8 or i8");

    if (x.rank() != 3 && x.rank() != 4) {
      return unsupported("input x must be 1-D or 2-D images [N,C,L] or [N,C,H,W], got " +
                         x.describe());
    }
    if (w.rank() != x.rank()) {
      return invalid_argument("input w " + w.describe() + " must have the rank of x " +
                              x.describe());
    }
    const int64_t batch = x.dim(0);
    const int64_t c_in = x.dim(1);
    const int64_t c_out = w.dim(0);
    if (c_in % group_ != 0 || c_out % group_ != 0 || w.dim(1) * group_ != c_in) {
      return invalid_argument("input w " + w.describe() + " does not fit x " + x.describe() +
                              " with group=" + std::to_string(group_));
    }
    PIXLAKE_RETURN_IF_ERROR(quant::expect_count(wq, c_out, "w_scale"));
    const Tensor* bias = inputs.size() > 8 ? inputs[8] : nullptr;
    std::vector<int32_t> bias_values(static_cast<size_t>(c_out), 0);
    if (bias != nullptr && bias->defined()) {
      PIXLAKE_RETURN_IF_ERROR(expect_dtype(bias, DType::kI32, "input B"));
      if (bias->numel() != c_out) {
        return invalid_argument("input B " + bias->describe() + " must hold " +
                                std::to_string(c_out) + " values");
      }
      bias_values = quant::to_int32(*bias);
    }

    // Spatial geometry; a 1-D convolution is a 2-D one with height 1.
    const int64_t n_spatial = x.rank() - 2;
    Axis axes[2];
    PIXLAKE_RETURN_IF_ERROR(geometry(x, w, n_spatial, axes));
    const Axis& ah = axes[0];
    const Axis& aw = axes[1];

    const int64_t cg_in = c_in / group_;
    const int64_t cg_out = c_out / group_;
    const int64_t k_size = cg_in * ah.kernel * aw.kernel;  // GEMM depth
    const int64_t n_pixels = ah.out * aw.out;              // GEMM width
    const int64_t in_pixels = ah.in * aw.in;

    // Centred inputs: (x - x_zp) and (w - w_zp[channel]), exact in double.
    std::vector<int32_t> x_values = quant::to_int32(x);
    std::vector<double> x_centred(x_values.size());
    for (size_t i = 0; i < x_values.size(); ++i) x_centred[i] = x_values[i] - xq.zero_point[0];
    std::vector<int32_t> w_values = quant::to_int32(w);
    std::vector<double> w_centred(w_values.size());
    for (int64_t m = 0; m < c_out; ++m) {
      for (int64_t k = 0; k < k_size; ++k) {
        size_t i = static_cast<size_t>(m * k_size + k);
        w_centred[i] = w_values[i] - wq.zero_point_at(m);
      }
    }
    // Requantisation scale per output channel, in float as ONNX Runtime computes it.
    std::vector<float> out_scale(static_cast<size_t>(c_out));
    for (int64_t m = 0; m < c_out; ++m) {
      out_scale[static_cast<size_t>(m)] = xq.scale[0] * wq.scale_at(m) / yq.scale[0];
    }

    Shape y_shape = {batch, c_out};
    if (n_spatial == 2) y_shape.push_back(ah.out);
    y_shape.push_back(aw.out);
    std::vector<int32_t> y_values(static_cast<size_t>(shape_numel(y_shape)));
    std::vector<double> columns(static_cast<size_t>(k_size * n_pixels));
    std::vector<double> acc(static_cast<size_t>(cg_out * n_pixels));

    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t g = 0; g < group_; ++g) {
        const double* image = x_centred.data() + (n * c_in + g * cg_in) * in_pixels;
        im2col(image, cg_in, ah, aw, columns.data());
        const double* weights = w_centred.data() + g * cg_out * k_size;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(cg_out),
                    static_cast<int>(n_pixels), static_cast<int>(k_size), 1.0, weights,
                    static_cast<int>(k_size), columns.data(), static_cast<int>(n_pixels), 0.0,
                    acc.data(), static_cast<int>(n_pixels));
        for (int64_t mg = 0; mg < cg_out; ++mg) {
          const int64_t m = g * cg_out + mg;
          int32_t* dst = y_values.data() + (n * c_out + m) * n_pixels;
          const double* src = acc.data() + mg * n_pixels;
          for (int64_t p = 0; p < n_pixels; ++p) {
            int32_t sum = static_cast<int32_t>(src[p]) + bias_values[static_cast<size_t>(m)];
            dst[p] =
                quant::quantize_value(static_cast<float>(sum) * out_scale[static_cast<size_t>(m)],
                                      yq.zero_point[0], yq.dtype);
          }
        }
      }
    }
    outputs[0] = quant::from_int32(yq.dtype, y_shape, y_values);
    return Status::ok();
  }

 private:
  // Fills axes[0] (height) and axes[1] (width) from the attributes and the input shapes.
  Status geometry(const Tensor& x, const Tensor& w, int64_t n_spatial, Axis* axes) const {
    auto check_size = [&](const std::vector<int64_t>& v, size_t n, const char* name) -> Status {
      if (!v.empty() && v.size() != n) {
        return invalid_argument(std::string(name) + " has " + std::to_string(v.size()) +
                                " values, expected " + std::to_string(n));
      }
      return Status::ok();
    };
    size_t ns = static_cast<size_t>(n_spatial);
    PIXLAKE_RETURN_IF_ERROR(check_size(kernel_shape_, ns, "kernel_shape"));
    PIXLAKE_RETURN_IF_ERROR(check_size(strides_, ns, "strides"));
    PIXLAKE_RETURN_IF_ERROR(check_size(dilations_, ns, "dilations"));
    PIXLAKE_RETURN_IF_ERROR(check_size(pads_, 2 * ns, "pads"));
    const int64_t first = 2 - n_spatial;  // a 1-D convolution fills only the width axis
    for (size_t d = 0; d < ns; ++d) {
      Axis& a = axes[static_cast<size_t>(first) + d];
      a.in = x.dim(2 + static_cast<int64_t>(d));
      a.kernel = w.dim(2 + static_cast<int64_t>(d));
      if (!kernel_shape_.empty() && kernel_shape_[d] != a.kernel) {
        return invalid_argument("kernel_shape does not match input w " + w.describe());
      }
      a.stride = strides_.empty() ? 1 : strides_[d];
      a.dilation = dilations_.empty() ? 1 : dilations_[d];
      if (a.stride < 1 || a.dilation < 1) {
        return invalid_argument("strides and dilations must be >= 1");
      }
      const int64_t extent = a.dilation * (a.kernel - 1) + 1;
      if (auto_pad_ == AutoPad::kNotSet) {
        a.pad_begin = pads_.empty() ? 0 : pads_[d];
        a.pad_end = pads_.empty() ? 0 : pads_[d + ns];
      } else if (auto_pad_ == AutoPad::kSameUpper || auto_pad_ == AutoPad::kSameLower) {
        const int64_t out = (a.in + a.stride - 1) / a.stride;
        const int64_t total = std::max<int64_t>(0, (out - 1) * a.stride + extent - a.in);
        a.pad_begin = auto_pad_ == AutoPad::kSameUpper ? total / 2 : total - total / 2;
        a.pad_end = total - a.pad_begin;
      }
      if (a.pad_begin < 0 || a.pad_end < 0) return invalid_argument("pads must be >= 0");
      const int64_t span = a.in + a.pad_begin + a.pad_end - extent;
      if (span < 0) {
        return invalid_argument("kernel " + w.describe() + " is larger than the padded input " +
                                x.describe());
      }
      a.out = span / a.stride + 1;
    }
    return Status::ok();
  }

  // Lays out the receptive fields of `channels` centred input planes as a [channels*kh*kw,
  // oh*ow] matrix. Padding contributes 0, i.e. the zero point before centring.
  static void im2col(const double* image, int64_t channels, const Axis& ah, const Axis& aw,
                     double* columns) {
    double* dst = columns;
    for (int64_t c = 0; c < channels; ++c) {
      const double* plane = image + c * ah.in * aw.in;
      for (int64_t kh = 0; kh < ah.kernel; ++kh) {
        for (int64_t kw = 0; kw < aw.kernel; ++kw) {
          for (int64_t oh = 0; oh < ah.out; ++oh) {
            const int64_t ih = oh * ah.stride - ah.pad_begin + kh * ah.dilation;
            if (ih < 0 || ih >= ah.in) {
              std::fill(dst, dst + aw.out, 0.0);
              dst += aw.out;
              continue;
            }
            const double* row = plane + ih * aw.in;
            for (int64_t ow = 0; ow < aw.out; ++ow) {
              const int64_t iw = ow * aw.stride - aw.pad_begin + kw * aw.dilation;
              *dst++ = (iw < 0 || iw >= aw.in) ? 0.0 : row[iw];
            }
          }
        }
      }
    }
  }

  std::vector<int64_t> kernel_shape_, strides_, pads_, dilations_;
  int64_t group_ = 1;
  AutoPad auto_pad_ = AutoPad::kNotSet;
};

}  // namespace

std::unique_ptr<Op> make_op_QLinearConv() { return std::make_unique<QLinearConvOp>(); }

}  // namespace pixlake
