// Split: cuts the input along `axis` (default 0) into the node's outputs. The part sizes come
// from `split` (attribute before opset 13, also an optional second input in opset 1; input
// since 13); otherwise the axis is split evenly, or (opset 18 num_outputs) into parts of
// ceil(dim / n) with a smaller last part.
#include <algorithm>

#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class SplitOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    axis_ = setup.attrs.get_int("axis", 0);
    if (setup.attrs.has("split")) attr_split_ = setup.attrs.get_ints("split");
    if (setup.attrs.has("num_outputs")) {
      num_outputs_ = setup.attrs.get_int("num_outputs", 0);
      if (*num_outputs_ != static_cast<int64_t>(setup.n_outputs)) {
        return invalid_argument("num_outputs=" + std::to_string(*num_outputs_) +
                                " does not match the node's " + std::to_string(setup.n_outputs) +
                                " outputs");
      }
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input"));
    const Tensor& x = *inputs[0];
    PIXLAKE_ASSIGN_OR_RETURN(int64_t axis, normalize_axis(axis_, x.rank()));
    if (x.rank() == 0) return invalid_argument("cannot split a scalar");
    const int64_t dim = x.dim(axis);
    const int64_t n_out = static_cast<int64_t>(outputs.size());
    std::vector<int64_t> split;
    if (attr_split_) split = *attr_split_;
    if (inputs.size() > 1 && inputs[1] != nullptr) {
      PIXLAKE_ASSIGN_OR_RETURN(split, read_int_input(inputs[1], "input split"));
    }
    if (split.empty()) {
      if (n_out == 0) return invalid_argument("Split has no outputs");
      if (num_outputs_) {
        const int64_t part = (dim + n_out - 1) / n_out;
        for (int64_t i = 0; i < n_out; ++i) {
          split.push_back(std::clamp<int64_t>(dim - i * part, 0, part));
        }
      } else {
        if (dim % n_out != 0) {
          return invalid_argument("axis " + std::to_string(axis) + " of " + x.describe() +
                                  " does not split evenly into " + std::to_string(n_out));
        }
        split.assign(static_cast<size_t>(n_out), dim / n_out);
      }
    }
    int64_t total = 0;
    for (int64_t s : split) {
      if (s < 0) return invalid_argument("split " + shape_to_string(split) + " is negative");
      total += s;
    }
    if (static_cast<int64_t>(split.size()) != n_out || total != dim) {
      return invalid_argument("split " + shape_to_string(split) + " does not cut axis " +
                              std::to_string(axis) + " of " + x.describe() + " into " +
                              std::to_string(n_out) + " outputs");
    }
    const std::vector<int64_t> strides = shape_strides(x.shape());
    int64_t start = 0;
    for (int64_t i = 0; i < n_out; ++i) {
      Shape shape = x.shape();
      shape[static_cast<size_t>(axis)] = split[static_cast<size_t>(i)];
      Tensor y(x.dtype(), shape);
      strided_copy(x.raw(), start * strides[static_cast<size_t>(axis)], strides, y.raw(), shape,
                   dtype_size(x.dtype()));
      outputs[static_cast<size_t>(i)] = std::move(y);
      start += split[static_cast<size_t>(i)];
    }
    return Status::ok();
  }

 private:
  int64_t axis_ = 0;
  std::optional<std::vector<int64_t>> attr_split_;
  std::optional<int64_t> num_outputs_;
};

}  // namespace

std::unique_ptr<Op> make_op_Split() { return std::make_unique<SplitOp>(); }

}  // namespace pixlake
