// Unsqueeze: inserts size-1 axes at the listed positions of the output (attribute `axes`
// before opset 13, required input since).
#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/opset_axes.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class UnsqueezeOp final : public Op {
 public:
  Status init(const OpSetup& setup) override { return axes_.init(setup, /*required=*/true); }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> axes, axes_.read(inputs));
    const int64_t rank_out = x.rank() + static_cast<int64_t>(axes.size());
    PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> normalized, normalize_axes(axes, rank_out));
    std::vector<bool> inserted(static_cast<size_t>(rank_out), false);
    for (int64_t axis : normalized) inserted[static_cast<size_t>(axis)] = true;
    Shape shape;
    int64_t next_in = 0;
    for (int64_t i = 0; i < rank_out; ++i) {
      shape.push_back(inserted[static_cast<size_t>(i)] ? 1 : x.dim(next_in++));
    }
    outputs[0] = x.reshaped(std::move(shape));
    return Status::ok();
  }

 private:
  OpsetAxes axes_;
};

}  // namespace

std::unique_ptr<Op> make_op_Unsqueeze() { return std::make_unique<UnsqueezeOp>(); }

}  // namespace pixlake
