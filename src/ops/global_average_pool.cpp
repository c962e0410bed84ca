// GlobalAveragePool: the mean over all spatial positions of each (batch, channel) plane;
// Y is [N, C, 1, 1, ...] with X's rank.
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class GlobalAveragePoolOp final : public Op {
 public:
  Status init(const OpSetup&) override { return Status::ok(); }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input X"));
    const Tensor& x = *inputs[0];
    if (x.rank() < 2) return invalid_argument("X " + x.describe() + " must be [N, C, spatial...]");
    Shape y_shape(x.shape().size(), 1);
    y_shape[0] = x.dim(0);
    y_shape[1] = x.dim(1);
    Tensor y(DType::kF32, y_shape);
    const int64_t planes = x.dim(0) * x.dim(1);
    const int64_t plane_size = planes > 0 ? x.numel() / planes : 0;
    for (int64_t p = 0; p < planes; ++p) {
      const float* in = x.data<float>() + p * plane_size;
      double sum = 0.0;  // double: planes can be large (e.g. 56x56)
      for (int64_t i = 0; i < plane_size; ++i) sum += in[i];
      y.data<float>()[p] = plane_size > 0 ? static_cast<float>(sum / plane_size) : 0.0f;
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<Op> make_op_GlobalAveragePool() { return std::make_unique<GlobalAveragePoolOp>(); }

}  // namespace pixlake
