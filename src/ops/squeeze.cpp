// Squeeze: removes size-1 axes, those listed in `axes` (attribute before opset 13, optional
// input since) or every size-1 axis when none are listed.
#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/opset_axes.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class SqueezeOp final : public Op {
 public:
  Status init(const OpSetup& setup) override { return axes_.init(setup, /*required=*/false); }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> axes, axes_.read(inputs));
    std::vector<bool> drop(static_cast<size_t>(x.rank()), false);
    if (axes.empty()) {
      for (int64_t i = 0; i < x.rank(); ++i) drop[static_cast<size_t>(i)] = x.dim(i) == 1;
    } else {
      PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> normalized, normalize_axes(axes, x.rank()));
      for (int64_t axis : normalized) {
        if (x.dim(axis) != 1) {
          return invalid_argument("cannot squeeze axis " + std::to_string(axis) + " of " +
                                  x.describe());
        }
        drop[static_cast<size_t>(axis)] = true;
      }
    }
    Shape shape;
    for (int64_t i = 0; i < x.rank(); ++i) {
      if (!drop[static_cast<size_t>(i)]) shape.push_back(x.dim(i));
    }
    outputs[0] = x.reshaped(std::move(shape));
    return Status::ok();
  }

 private:
  OpsetAxes axes_;
};

}  // namespace

std::unique_ptr<Op> make_op_Squeeze() { return std::make_unique<SqueezeOp>(); }

}  // namespace pixlake
