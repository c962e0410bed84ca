// QLinearGlobalAveragePool (com.microsoft contrib operator): the mean of each channel's
// dequantised values, requantised. Layout [N,C,spatial...] (channels_last=0) or
// [N,spatial...,C] (channels_last=1); the output keeps the rank with spatial dims of 1.
// As ONNX Runtime: y = saturate(round_half_even((sum(x) - n*x_zp) * x_scale / (y_scale*n)) + y_zp).
#include <algorithm>

#include "ops/op_util.h"
#include "ops/quant_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class QLinearGlobalAveragePoolOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    channels_last_ = setup.attrs.get_int("channels_last", 0) != 0;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs.size() < 4) return invalid_argument("QLinearGlobalAveragePool needs 4 inputs");
    PIXLAKE_RETURN_IF_ERROR(quant::expect_quantized_8bit(inputs[0], "input X"));
    const Tensor& x = *inputs[0];
    if (x.rank() < 3) return invalid_argument("input X must have rank >= 3, got " + x.describe());
    const Tensor* y_zp = inputs.size() > 4 ? inputs[4] : nullptr;
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams xq,
                             quant::read_quant_params(inputs[1], inputs[2], "x", x.dtype()));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams yq,
                             quant::read_quant_params(inputs[3], y_zp, "y", x.dtype()));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(xq, "x_scale"));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(yq, "y_scale"));
    if (yq.dtype != x.dtype()) return invalid_argument("y_zero_point must have X's dtype");

    const int64_t batch = x.dim(0);
    const int64_t channels = channels_last_ ? x.dim(x.rank() - 1) : x.dim(1);
    const int64_t pixels = x.numel() / std::max<int64_t>(1, batch * channels);
    Shape y_shape(static_cast<size_t>(x.rank()), 1);
    y_shape[0] = batch;
    y_shape[channels_last_ ? y_shape.size() - 1 : 1] = channels;
    // Element (n, c, p) lives at n*C*P + c*channel_stride + p*pixel_stride.
    const int64_t channel_stride = channels_last_ ? 1 : pixels;
    const int64_t pixel_stride = channels_last_ ? channels : 1;

    const float scale = xq.scale[0] / (yq.scale[0] * static_cast<float>(pixels));
    const bool is_u8 = x.dtype() == DType::kU8;
    const auto* x_bytes = static_cast<const uint8_t*>(x.raw());
    std::vector<int32_t> y_values(static_cast<size_t>(batch * channels));
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t c = 0; c < channels; ++c) {
        const uint8_t* src = x_bytes + n * channels * pixels + c * channel_stride;
        int64_t sum = 0;
        if (is_u8 && pixel_stride == 1 && pixels <= (int64_t{1} << 24)) {
          // Contiguous u8 (NCHW): a 32-bit sum cannot overflow and vectorises.
          uint32_t sum32 = 0;
          for (int64_t p = 0; p < pixels; ++p) sum32 += src[p];
          sum = sum32;
        } else if (is_u8) {
          for (int64_t p = 0; p < pixels; ++p) sum += src[p * pixel_stride];
        } else {
          for (int64_t p = 0; p < pixels; ++p) sum += static_cast<int8_t>(src[p * pixel_stride]);
        }
        sum -= pixels * xq.zero_point[0];
        y_values[static_cast<size_t>(n * channels + c)] =
            quant::quantize_value(static_cast<float>(sum) * scale, yq.zero_point[0], yq.dtype);
      }
    }
    outputs[0] = quant::from_int32(yq.dtype, y_shape, y_values);
    return Status::ok();
  }

 private:
  bool channels_last_ = false;
};

}  // namespace

std::unique_ptr<Op> make_op_QLinearGlobalAveragePool() {
  return std::make_unique<QLinearGlobalAveragePoolOp>();
}

}  // namespace pixlake
