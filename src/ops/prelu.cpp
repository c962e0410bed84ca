// PRelu: y = x for x >= 0, slope * x otherwise, with slope broadcast to x's shape
// (unidirectional broadcasting from opset 7).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class PReluOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    read_legacy_consumed_inputs(setup);
    opset_ = setup.opset;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input X"));
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[1], DType::kF32, "input slope"));
    const Tensor& x = *inputs[0];
    Tensor slope = *inputs[1];
    // Before opset 7 a 1-D slope holds one value per channel (axis 1), as in the PyTorch
    // exports (x [N,C,...], slope [C]); NumPy alignment would put it on the last axis.
    if (opset_ < 7 && slope.rank() == 1 && x.rank() >= 2 && slope.dim(0) == x.dim(1) &&
        slope.dim(0) != 1) {
      Shape channel_shape(static_cast<size_t>(x.rank() - 1), 1);
      channel_shape[0] = slope.dim(0);
      slope = slope.reshaped(channel_shape);
    }
    PIXLAKE_ASSIGN_OR_RETURN(Shape out_shape, broadcast_shapes({x.shape(), slope.shape()}));
    if (out_shape != x.shape()) {
      return invalid_argument("input slope " + slope.describe() +
                              " does not broadcast to input X " + x.describe());
    }
    PIXLAKE_ASSIGN_OR_RETURN(outputs[0], broadcast_binary<float>(x, slope, [](float v, float s) {
                               return v >= 0.0f ? v : s * v;
                             }));
    return Status::ok();
  }

 private:
  int opset_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_PRelu() { return std::make_unique<PReluOp>(); }

}  // namespace pixlake
