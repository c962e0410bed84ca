// Concat: joins inputs of the same dtype and rank along `axis` (default 1 in opset 1,
// required since; negative from opset 11). Dimensions other than `axis` must match.
#include <cstring>

#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class ConcatOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    if (setup.opset >= 4 && !setup.attrs.has("axis")) {
      return invalid_argument("attribute 'axis' is missing");
    }
    axis_ = setup.attrs.get_int("axis", 1);
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs.empty()) return invalid_argument("Concat needs at least one input");
    for (size_t i = 0; i < inputs.size(); ++i) {
      PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[i], "input"));
    }
    const Tensor& first = *inputs[0];
    PIXLAKE_ASSIGN_OR_RETURN(int64_t axis, normalize_axis(axis_, first.rank()));
    if (first.rank() == 0) return invalid_argument("cannot concatenate scalars");
    Shape shape = first.shape();
    shape[static_cast<size_t>(axis)] = 0;
    for (const Tensor* t : inputs) {
      bool compatible = t->dtype() == first.dtype() && t->rank() == first.rank();
      for (int64_t d = 0; compatible && d < first.rank(); ++d) {
        compatible = d == axis || t->dim(d) == first.dim(d);
      }
      if (!compatible) {
        return invalid_argument("cannot concatenate " + t->describe() + " with " +
                                first.describe() + " along axis " + std::to_string(axis));
      }
      shape[static_cast<size_t>(axis)] += t->dim(axis);
    }
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= first.dim(d);
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < first.rank(); ++d) inner *= first.dim(d);
    const size_t inner_bytes = static_cast<size_t>(inner) * dtype_size(first.dtype());
    Tensor y(first.dtype(), shape);
    auto* dst = static_cast<uint8_t*>(y.raw());
    // Each outer slice of the output is the inputs' outer slices laid end to end.
    for (int64_t o = 0; o < outer; ++o) {
      for (const Tensor* t : inputs) {
        const size_t block = static_cast<size_t>(t->dim(axis)) * inner_bytes;
        if (block == 0) continue;
        std::memcpy(dst, static_cast<const uint8_t*>(t->raw()) + o * block, block);
        dst += block;
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  int64_t axis_ = 1;
};

}  // namespace

std::unique_ptr<Op> make_op_Concat() { return std::make_unique<ConcatOp>(); }

}  // namespace pixlake
