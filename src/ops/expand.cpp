// Expand: broadcasts the input against the shape input (NumPy rules in both directions, so
// the output may be larger than the requested shape).
#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class ExpandOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    max_bytes_ = setup.max_tensor_bytes;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input"));
    if (inputs.size() < 2) return invalid_argument("input shape is missing");
    const Tensor& x = *inputs[0];
    PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> requested,
                             read_int_input(inputs[1], "input shape"));
    PIXLAKE_ASSIGN_OR_RETURN(Shape shape, broadcast_shapes({x.shape(), requested}));
    PIXLAKE_RETURN_IF_ERROR(check_output_size(shape, x.dtype(), max_bytes_));
    // Right-align the input; broadcast axes read the same element again (stride 0).
    std::vector<int64_t> strides(shape.size(), 0);
    const std::vector<int64_t> own = shape_strides(x.shape());
    const size_t lead = shape.size() - x.shape().size();
    for (size_t i = 0; i < own.size(); ++i) strides[lead + i] = x.shape()[i] == 1 ? 0 : own[i];
    Tensor y(x.dtype(), shape);
    strided_copy(x.raw(), 0, strides, y.raw(), shape, dtype_size(x.dtype()));
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  int64_t max_bytes_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_Expand() { return std::make_unique<ExpandOp>(); }

}  // namespace pixlake
