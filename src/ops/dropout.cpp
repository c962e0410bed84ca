// Dropout at inference: y = x, and the optional mask output is all ones (all kept). Before
// opset 10 the mask has the input's dtype, since then it is bool. Training mode (opset 12's
// training_mode input) is refused: pixlake only runs inference.
#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class DropoutOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    opset_ = setup.opset;
    // Read so they are accepted; none changes inference. is_test=0 (opset < 7) asks for
    // training behaviour, which an exported inference graph never needs, so it is ignored.
    setup.attrs.get_float("ratio", 0.5f);
    setup.attrs.get_int("seed", 0);
    setup.attrs.get_int("is_test", 0);
    setup.attrs.get_ints("consumed_inputs");
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    if (inputs.size() > 2 && inputs[2] != nullptr) {
      const Tensor& training = *inputs[2];
      if (training.numel() != 1) {
        return invalid_argument("input training_mode must be a scalar, got " + training.describe());
      }
      if (training.to_ints()[0] != 0) return unsupported("training_mode=true is not supported");
    }
    outputs[0] = x;
    if (outputs.size() > 1) {
      DType mask_dtype = opset_ >= 10 ? DType::kBool : x.dtype();
      Tensor ones = cast_tensor(Tensor::scalar<float>(1.0f), mask_dtype);
      Tensor mask(mask_dtype, x.shape());
      fill_with(mask, ones);
      outputs[1] = std::move(mask);
    }
    return Status::ok();
  }

 private:
  int opset_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_Dropout() { return std::make_unique<DropoutOp>(); }

}  // namespace pixlake
