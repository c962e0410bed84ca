// DequantizeLinear: y = (x - x_zero_point) * x_scale as float32, per tensor or per axis
// (`axis`, default 1). x may be uint8, int8 or int32 (int32 has no zero point).
#include "ops/op_util.h"
#include "ops/quant_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class DequantizeLinearOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    axis_ = setup.attrs.get_int("axis", 1);
    return quant::refuse_block_size(setup.attrs);
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input x"));
    const Tensor& x = *inputs[0];
    DType x_dtype = x.dtype();
    if (x_dtype != DType::kU8 && x_dtype != DType::kI8 && x_dtype != DType::kI32) {
      return unsupported("input x must be u8, i8 or i32, got " + x.describe());
    }
    const Tensor* zp = inputs.size() > 2 ? inputs[2] : nullptr;
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams params,
                             quant::read_quant_params(inputs[1], zp, "x", x_dtype));
    if (params.dtype != x_dtype) {
      return invalid_argument("x_zero_point must have x's dtype " +
                              std::string(dtype_name(x_dtype)) + ", got " +
                              dtype_name(params.dtype));
    }
    PIXLAKE_ASSIGN_OR_RETURN(quant::ChannelLayout layout, quant::channel_layout(params, x, axis_));
    if (!params.per_tensor() && static_cast<int64_t>(params.scale.size()) != layout.dim) {
      return invalid_argument("x_scale must hold 1 or " + std::to_string(layout.dim) +
                              " values along axis, got " + std::to_string(params.scale.size()));
    }
    if (params.per_tensor() && quant::is_quantized_8bit(x_dtype)) {
      // One scale and zero point: no per-element channel (two divisions each).
      Tensor y = Tensor::uninitialized(DType::kF32, x.shape());
      float* dst = y.data<float>();
      const int32_t zero_point = params.zero_point[0];
      const float scale = params.scale[0];
      if (x_dtype == DType::kU8) {
        const uint8_t* src = x.data<uint8_t>();
        for (int64_t i = 0; i < x.numel(); ++i) {
          dst[i] = static_cast<float>(int32_t{src[i]} - zero_point) * scale;
        }
      } else {
        const int8_t* src = x.data<int8_t>();
        for (int64_t i = 0; i < x.numel(); ++i) {
          dst[i] = static_cast<float>(int32_t{src[i]} - zero_point) * scale;
        }
      }
      outputs[0] = std::move(y);
      return Status::ok();
    }
    std::vector<int32_t> values = quant::to_int32(x);
    Tensor y(DType::kF32, x.shape());
    float* dst = y.data<float>();
    for (int64_t i = 0; i < x.numel(); ++i) {
      int64_t channel = layout.channel_of(i);
      // The subtraction is exact in int32 (x is at most 32 bits, zero point 8 bits) except for
      // extreme int32 inputs, which have no zero point and are converted directly.
      int64_t centred =
          static_cast<int64_t>(values[static_cast<size_t>(i)]) - params.zero_point_at(channel);
      dst[i] = static_cast<float>(centred) * params.scale_at(channel);
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  int64_t axis_ = 1;
};

}  // namespace

std::unique_ptr<Op> make_op_DequantizeLinear() { return std::make_unique<DequantizeLinearOp>(); }

}  // namespace pixlake
