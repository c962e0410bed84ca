// Reshape: the target shape comes from the `shape` attribute before opset 5 and from the
// second input since. A 0 copies the input's dimension (unless allowzero=1, opset 14) and one
// -1 is inferred from the element count.
#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class ReshapeOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    max_bytes_ = setup.max_tensor_bytes;
    opset_ = setup.opset;
    if (opset_ < 5) {
      if (!setup.attrs.has("shape")) return invalid_argument("attribute 'shape' is missing");
      attr_shape_ = setup.attrs.get_ints("shape");
      setup.attrs.get_ints("consumed_inputs");  // opset 1 bookkeeping, meaningless here
    }
    allow_zero_ = setup.attrs.get_int("allowzero", 0) != 0;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    std::vector<int64_t> requested = attr_shape_;
    if (opset_ >= 5) {
      if (inputs.size() < 2) return invalid_argument("input shape is missing");
      PIXLAKE_ASSIGN_OR_RETURN(requested, read_int_input(inputs[1], "input shape"));
    }
    Shape shape(requested.size());
    int64_t inferred = -1;
    int64_t known = 1;
    for (size_t i = 0; i < requested.size(); ++i) {
      int64_t d = requested[i];
      if (d == -1) {
        if (inferred >= 0) return invalid_argument("shape has more than one -1");
        inferred = static_cast<int64_t>(i);
        continue;
      }
      if (d == 0 && !allow_zero_) {
        if (static_cast<int64_t>(i) >= x.rank()) {
          return invalid_argument("shape " + shape_to_string(requested) + " copies dimension " +
                                  std::to_string(i) + " that " + x.describe() + " lacks");
        }
        d = x.dim(static_cast<int64_t>(i));
      }
      if (d < 0) return invalid_argument("shape " + shape_to_string(requested) + " is invalid");
      shape[i] = d;
    }
    // Saturates on overflow (shape_numel), so an absurd shape is refused below, not UB.
    {
      Shape known_dims = shape;
      if (inferred >= 0) known_dims[static_cast<size_t>(inferred)] = 1;
      known = shape_numel(known_dims);
    }
    if (inferred >= 0) {
      if (known == 0 || x.numel() % known != 0) {
        return invalid_argument("cannot reshape " + x.describe() + " to " +
                                shape_to_string(requested));
      }
      shape[static_cast<size_t>(inferred)] = x.numel() / known;
    }
    PIXLAKE_RETURN_IF_ERROR(check_output_size(shape, x.dtype(), max_bytes_));
    if (shape_numel(shape) != x.numel()) {
      return invalid_argument("cannot reshape " + x.describe() + " to " +
                              shape_to_string(requested));
    }
    outputs[0] = x.reshaped(std::move(shape));
    return Status::ok();
  }

 private:
  int opset_ = 0;
  std::vector<int64_t> attr_shape_;
  bool allow_zero_ = false;
  int64_t max_bytes_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_Reshape() { return std::make_unique<ReshapeOp>(); }

}  // namespace pixlake
