// ConstantOfShape: a tensor of the shape given by the i64 input, every element equal to the
// one-element `value` attribute (default f32 0). An empty shape gives a scalar.
#include <algorithm>

#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class ConstantOfShapeOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    max_bytes_ = setup.max_tensor_bytes;
    if (auto value = setup.attrs.get_tensor("value")) {
      if (value->numel() != 1) {
        return invalid_argument("attribute 'value' must hold one element, got " +
                                value->describe());
      }
      value_ = value->reshaped({});
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> shape, read_int_input(inputs[0], "input"));
    PIXLAKE_RETURN_IF_ERROR(check_output_size(shape, value_.dtype(), max_bytes_));
    Tensor y(value_.dtype(), shape);
    // New tensors start zeroed, so a zero value (the common case) needs no second pass.
    const auto* bytes = static_cast<const uint8_t*>(value_.raw());
    if (std::any_of(bytes, bytes + value_.nbytes(), [](uint8_t b) { return b != 0; })) {
      fill_with(y, value_);
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  Tensor value_ = Tensor::scalar<float>(0.0f);
  int64_t max_bytes_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_ConstantOfShape() { return std::make_unique<ConstantOfShapeOp>(); }

}  // namespace pixlake
