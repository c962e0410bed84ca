// Where: y = condition ? X : Y element-wise, the three inputs broadcast together (NumPy rules).
// X and Y share a dtype (any); the condition is bool.
#include <cstring>

#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class WhereOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    max_bytes_ = setup.max_tensor_bytes;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs.size() < 3) return invalid_argument("Where needs condition, X and Y");
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input condition"));
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[1], "input X"));
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[2], "input Y"));
    const Tensor& cond = *inputs[0];
    const Tensor& x = *inputs[1];
    const Tensor& y = *inputs[2];
    if (cond.dtype() != DType::kBool) {
      return invalid_argument("input condition must be bool, got " + cond.describe());
    }
    if (x.dtype() != y.dtype()) {
      return invalid_argument("inputs X and Y must have the same dtype, got " + x.describe() +
                              " and " + y.describe());
    }
    PIXLAKE_ASSIGN_OR_RETURN(Shape shape, broadcast_shapes({cond.shape(), x.shape(), y.shape()}));
    PIXLAKE_RETURN_IF_ERROR(check_output_size(shape, x.dtype(), max_bytes_));
    Tensor out(x.dtype(), shape);
    const size_t size = dtype_size(x.dtype());
    const auto* pc = static_cast<const uint8_t*>(cond.raw());
    const auto* px = static_cast<const uint8_t*>(x.raw());
    const auto* py = static_cast<const uint8_t*>(y.raw());
    auto* po = static_cast<uint8_t*>(out.raw());
    BroadcastIterator it(shape, {cond.shape(), x.shape(), y.shape()});
    for (int64_t i = 0; i < out.numel(); ++i, it.next()) {
      const uint8_t* from = pc[it.offset(0)] ? px + it.offset(1) * size : py + it.offset(2) * size;
      std::memcpy(po + i * size, from, size);
    }
    outputs[0] = std::move(out);
    return Status::ok();
  }

 private:
  int64_t max_bytes_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_Where() { return std::make_unique<WhereOp>(); }

}  // namespace pixlake
