// QLinearAdd (com.microsoft contrib operator): C = A + B on quantised tensors with NumPy
// broadcasting. Computed in float as ONNX Runtime's MLAS does:
//   C = saturate(round_half_even(A_scale/C_scale * (A - A_zp) + B_scale/C_scale * (B - B_zp)) +
//   C_zp)
// u8 operands of one shape run the vectorised kernel (kernels/qu8_elementwise), same formula.
#include <algorithm>

#include "core/thread_pool.h"
#include "kernels/qu8_elementwise/elementwise.h"
#include "ops/op_util.h"
#include "ops/quant_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class QLinearAddOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    pool_ = setup.pool;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs.size() < 7) return invalid_argument("QLinearAdd needs at least 7 inputs");
    PIXLAKE_RETURN_IF_ERROR(quant::expect_quantized_8bit(inputs[0], "input A"));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_quantized_8bit(inputs[3], "input B"));
    const Tensor& a = *inputs[0];
    const Tensor& b = *inputs[3];
    if (a.dtype() != b.dtype()) {
      return invalid_argument("inputs A " + a.describe() + " and B " + b.describe() +
                              " must have the same dtype");
    }
    const Tensor* c_zp = inputs.size() > 7 ? inputs[7] : nullptr;
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams aq,
                             quant::read_quant_params(inputs[1], inputs[2], "A", a.dtype()));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams bq,
                             quant::read_quant_params(inputs[4], inputs[5], "B", b.dtype()));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams cq,
                             quant::read_quant_params(inputs[6], c_zp, "C", a.dtype()));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(aq, "A_scale"));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(bq, "B_scale"));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(cq, "C_scale"));
    if (cq.dtype != a.dtype()) return invalid_argument("C_zero_point must have A's dtype");
    PIXLAKE_ASSIGN_OR_RETURN(Shape c_shape, broadcast_shapes({a.shape(), b.shape()}));

    const float ratio_a = aq.scale[0] / cq.scale[0];
    const float ratio_b = bq.scale[0] / cq.scale[0];
    if (a.dtype() == DType::kU8 && a.shape() == b.shape()) {
      Tensor c = Tensor::uninitialized(DType::kU8, c_shape);
      const QU8AddParams params{aq.zero_point[0], bq.zero_point[0], ratio_a, ratio_b,
                                cq.zero_point[0]};
      const uint8_t* pa = a.data<uint8_t>();
      const uint8_t* pb = b.data<uint8_t>();
      uint8_t* pc = c.data<uint8_t>();
      // Element-wise: ranges over the pool (64-element aligned starts keep the vector loops whole).
      parallel_ranges(pool_, (c.numel() + 63) / 64, 256, [&](int64_t first, int64_t last) {
        const int64_t begin = first * 64, end = std::min(c.numel(), last * 64);
        qu8_vadd()(end - begin, pa + begin, pb + begin, params, pc + begin);
      });
      outputs[0] = std::move(c);
      return Status::ok();
    }
    std::vector<int32_t> a_values = quant::to_int32(a);
    std::vector<int32_t> b_values = quant::to_int32(b);
    std::vector<int32_t> c_values(static_cast<size_t>(shape_numel(c_shape)));
    BroadcastIterator it(c_shape, {a.shape(), b.shape()});
    for (size_t i = 0; i < c_values.size(); ++i, it.next()) {
      const int32_t a_centred = a_values[static_cast<size_t>(it.offset(0))] - aq.zero_point[0];
      const int32_t b_centred = b_values[static_cast<size_t>(it.offset(1))] - bq.zero_point[0];
      const float sum =
          ratio_a * static_cast<float>(a_centred) + ratio_b * static_cast<float>(b_centred);
      c_values[i] = quant::quantize_value(sum, cq.zero_point[0], cq.dtype);
    }
    outputs[0] = quant::from_int32(cq.dtype, c_shape, c_values);
    return Status::ok();
  }

 private:
  ThreadPool* pool_ = nullptr;
};

}  // namespace

std::unique_ptr<Op> make_op_QLinearAdd() { return std::make_unique<QLinearAddOp>(); }

}  // namespace pixlake
