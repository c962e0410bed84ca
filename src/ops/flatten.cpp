// Flatten: reshapes to 2-D [prod(dims[:axis]), prod(dims[axis:])]; axis in [-rank, rank].
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class FlattenOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    axis_ = setup.attrs.get_int("axis", 1);
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input"));
    const Tensor& x = *inputs[0];
    // axis == rank is allowed (output [numel, 1]), so normalise by hand rather than
    // with normalize_axis().
    int64_t axis = axis_ < 0 ? axis_ + x.rank() : axis_;
    if (axis < 0 || axis > x.rank()) {
      return invalid_argument("axis " + std::to_string(axis_) + " is out of range for " +
                              x.describe());
    }
    int64_t outer = 1;
    for (int64_t i = 0; i < axis; ++i) outer *= x.dim(i);
    int64_t inner = 1;
    for (int64_t i = axis; i < x.rank(); ++i) inner *= x.dim(i);
    outputs[0] = x.reshaped({outer, inner});
    return Status::ok();
  }

 private:
  int64_t axis_ = 1;
};

}  // namespace

std::unique_ptr<Op> make_op_Flatten() { return std::make_unique<FlattenOp>(); }

}  // namespace pixlake
