// Relu: y = max(x, 0).
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class ReluOp final : public Op {
 public:
  Status init(const OpSetup&) override { return Status::ok(); }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input X"));
    const Tensor& x = *inputs[0];
    Tensor y(DType::kF32, x.shape());
    const float* src = x.data<float>();
    float* dst = y.data<float>();
    for (int64_t i = 0; i < x.numel(); ++i) dst[i] = src[i] > 0.0f ? src[i] : 0.0f;
    outputs[0] = std::move(y);
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Relu() { return std::make_unique<ReluOp>(); }

}  // namespace pixlake
