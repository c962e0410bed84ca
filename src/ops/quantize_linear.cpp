// QuantizeLinear: y = saturate(round_half_even(x / y_scale) + y_zero_point), per tensor or per
// axis (`axis`, default 1). The output dtype is the zero point's (uint8 when it is omitted).
// Per tensor into u8: the vectorised kernel (kernels/qu8_elementwise), same formula.
#include "kernels/qu8_elementwise/elementwise.h"
#include "ops/op_util.h"
#include "ops/quant_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

// ONNX TensorProto data type codes accepted by `output_dtype` (opset 21).
constexpr int64_t kOnnxUint8 = 2;
constexpr int64_t kOnnxInt8 = 3;

class QuantizeLinearOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    axis_ = setup.attrs.get_int("axis", 1);
    // `saturate` only matters for float8 outputs, which are not supported; 8-bit integers
    // always saturate.
    (void)setup.attrs.get_int("saturate", 1);
    PIXLAKE_RETURN_IF_ERROR(quant::refuse_block_size(setup.attrs));
    int64_t output_dtype = setup.attrs.get_int("output_dtype", 0);
    has_output_dtype_ = output_dtype != 0;
    if (output_dtype == kOnnxUint8) {
      output_dtype_ = DType::kU8;
    } else if (output_dtype == kOnnxInt8) {
      output_dtype_ = DType::kI8;
    } else if (output_dtype != 0) {
      return unsupported("output_dtype=" + std::to_string(output_dtype) + " is not supported");
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input x"));
    const Tensor& x = *inputs[0];
    const Tensor* zp = inputs.size() > 2 ? inputs[2] : nullptr;
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams params,
                             quant::read_quant_params(inputs[1], zp, "y", output_dtype_));
    if (!quant::is_quantized_8bit(params.dtype)) {
      return unsupported("y_zero_point must be u8 or i8, got " +
                         std::string(dtype_name(params.dtype)));
    }
    if (has_output_dtype_ && params.dtype != output_dtype_) {
      return invalid_argument("output_dtype does not match y_zero_point's dtype");
    }
    PIXLAKE_ASSIGN_OR_RETURN(quant::ChannelLayout layout, quant::channel_layout(params, x, axis_));
    if (!params.per_tensor() && static_cast<int64_t>(params.scale.size()) != layout.dim) {
      return invalid_argument("y_scale must hold 1 or " + std::to_string(layout.dim) + " values");
    }
    const float* src = x.data<float>();
    if (params.per_tensor() && params.dtype == DType::kU8) {
      Tensor y = Tensor::uninitialized(DType::kU8, x.shape());
      f32_qu8_vcvt()(x.numel(), src, params.scale[0], params.zero_point[0], y.data<uint8_t>());
      outputs[0] = std::move(y);
      return Status::ok();
    }
    std::vector<int32_t> values(static_cast<size_t>(x.numel()));
    for (int64_t i = 0; i < x.numel(); ++i) {
      int64_t channel = layout.channel_of(i);
      values[static_cast<size_t>(i)] = quant::quantize_value(
          src[i] / params.scale_at(channel), params.zero_point_at(channel), params.dtype);
    }
    outputs[0] = quant::from_int32(params.dtype, x.shape(), values);
    return Status::ok();
  }

 private:
  int64_t axis_ = 1;
  bool has_output_dtype_ = false;
  DType output_dtype_ = DType::kU8;  // used when y_zero_point is omitted
};

}  // namespace

std::unique_ptr<Op> make_op_QuantizeLinear() { return std::make_unique<QuantizeLinearOp>(); }

}  // namespace pixlake
