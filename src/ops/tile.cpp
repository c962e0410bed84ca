// Tile: repeats the input repeats[i] times along each axis i (opset 6+; opset 1 took a scalar
// `tiles` and `axis` as inputs instead, mapped here onto the same repeats).
#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class TileOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    opset_ = setup.opset;
    max_bytes_ = setup.max_tensor_bytes;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input"));
    const Tensor& x = *inputs[0];
    const int64_t rank = x.rank();
    std::vector<int64_t> repeats;
    if (opset_ < 6) {
      if (inputs.size() < 3) return invalid_argument("inputs tiles and axis are required");
      PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> tiles,
                               read_int_input(inputs[1], "input tiles"));
      PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> axis, read_int_input(inputs[2], "input axis"));
      if (tiles.size() != 1 || axis.size() != 1) {
        return invalid_argument("inputs tiles and axis must be scalars");
      }
      PIXLAKE_ASSIGN_OR_RETURN(int64_t a, normalize_axis(axis[0], rank));
      repeats.assign(static_cast<size_t>(rank), 1);
      repeats[static_cast<size_t>(a)] = tiles[0];
    } else {
      if (inputs.size() < 2) return invalid_argument("input repeats is missing");
      PIXLAKE_ASSIGN_OR_RETURN(repeats, read_int_input(inputs[1], "input repeats"));
    }
    if (static_cast<int64_t>(repeats.size()) != rank) {
      return invalid_argument("repeats " + shape_to_string(repeats) + " does not match " +
                              x.describe());
    }
    // View the output as [r0, d0, r1, d1, ...]: the repeat axes read the input with stride 0,
    // so out[k * d + j] = in[j] along each axis.
    const std::vector<int64_t> own = shape_strides(x.shape());
    Shape view_shape;
    std::vector<int64_t> view_strides;
    Shape shape;
    for (size_t i = 0; i < repeats.size(); ++i) {
      if (repeats[i] < 0) {
        return invalid_argument("repeats " + shape_to_string(repeats) + " is negative");
      }
      view_shape.insert(view_shape.end(), {repeats[i], x.shape()[i]});
      view_strides.insert(view_strides.end(), {0, own[i]});
    }
    // The view holds as many elements as the output: checking it first keeps the products
    // below from overflowing.
    PIXLAKE_RETURN_IF_ERROR(check_output_size(view_shape, x.dtype(), max_bytes_));
    for (size_t i = 0; i < repeats.size(); ++i) shape.push_back(repeats[i] * x.shape()[i]);
    Tensor y(x.dtype(), shape);
    strided_copy(x.raw(), 0, view_strides, y.raw(), view_shape, dtype_size(x.dtype()));
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  int opset_ = 0;
  int64_t max_bytes_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_Tile() { return std::make_unique<TileOp>(); }

}  // namespace pixlake
