// Unsqueeze: inserts size-1 axes at the listed positions of the output (attribute `axes`
// before opset 13, required input since).
#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class UnsqueezeOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    opset_ = setup.opset;
    if (opset_ < 13) {
      if (!setup.attrs.has("axes")) return invalid_argument("attribute 'axes' is missing");
      attr_axes_ = setup.attrs.get_ints("axes");
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    std::vector<int64_t> axes = attr_axes_;
    if (opset_ >= 13) {
      if (inputs.size() < 2) return invalid_argument("input axes is missing");
      PIXLAKE_ASSIGN_OR_RETURN(axes, read_int_input(inputs[1], "input axes"));
    }
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
  int opset_ = 0;
  std::vector<int64_t> attr_axes_;
};

}  // namespace

std::unique_ptr<Op> make_op_Unsqueeze() { return std::make_unique<UnsqueezeOp>(); }

}  // namespace pixlake
