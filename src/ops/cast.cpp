// Cast: converts to the dtype named by `to`, an ONNX TensorProto code since opset 6 and a
// name such as "FLOAT" before. Conversion rules are cast_tensor()'s (ONNX semantics).
#include "ops/onnx_dtype.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class CastOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    if (!setup.attrs.has("to")) return invalid_argument("attribute 'to' is missing");
    std::optional<DType> to;
    if (setup.opset < 6) {
      std::string name = setup.attrs.get_string("to", "");
      to = dtype_from_onnx_name(name);
      if (!to) return unsupported("to=" + name + " is not supported");
    } else {
      int64_t code = setup.attrs.get_int("to", 0);
      to = dtype_from_onnx(static_cast<int>(code));
      if (!to) return unsupported("to=" + std::to_string(code) + " is not supported");
    }
    // Opset 19: saturate only concerns float8 targets, which are refused above.
    setup.attrs.get_int("saturate", 1);
    to_ = *to;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input"));
    outputs[0] = cast_tensor(*inputs[0], to_);
    return Status::ok();
  }

 private:
  DType to_ = DType::kF32;
};

}  // namespace

std::unique_ptr<Op> make_op_Cast() { return std::make_unique<CastOp>(); }

}  // namespace pixlake
