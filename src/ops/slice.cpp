// Slice: takes [start, end) with a step along the listed axes. Before opset 10 starts, ends and
// axes are attributes; since, they are inputs with optional axes and steps. Following the spec,
// negative starts/ends count from the end, then are clamped to [0, dim] for positive steps and
// to [0, dim-1] (starts) / [-1, dim-1] (ends) for negative steps.
#include <algorithm>

#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class SliceOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    opset_ = setup.opset;
    if (opset_ < 10) {
      if (!setup.attrs.has("starts") || !setup.attrs.has("ends")) {
        return invalid_argument("attributes 'starts' and 'ends' are required");
      }
      starts_ = setup.attrs.get_ints("starts");
      ends_ = setup.attrs.get_ints("ends");
      if (setup.attrs.has("axes")) axes_ = setup.attrs.get_ints("axes");
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    std::vector<int64_t> starts = starts_;
    std::vector<int64_t> ends = ends_;
    std::optional<std::vector<int64_t>> axes = axes_;
    std::vector<int64_t> steps;
    if (opset_ >= 10) {
      if (inputs.size() < 3) return invalid_argument("inputs starts and ends are required");
      PIXLAKE_ASSIGN_OR_RETURN(starts, read_int_input(inputs[1], "input starts"));
      PIXLAKE_ASSIGN_OR_RETURN(ends, read_int_input(inputs[2], "input ends"));
      if (inputs.size() > 3 && inputs[3] != nullptr) {
        PIXLAKE_ASSIGN_OR_RETURN(axes, read_int_input(inputs[3], "input axes"));
      }
      if (inputs.size() > 4 && inputs[4] != nullptr) {
        PIXLAKE_ASSIGN_OR_RETURN(steps, read_int_input(inputs[4], "input steps"));
      }
    }
    if (!axes) {
      axes.emplace();
      for (size_t i = 0; i < starts.size(); ++i) axes->push_back(static_cast<int64_t>(i));
    }
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes->size() != starts.size() ||
        steps.size() != starts.size()) {
      return invalid_argument("starts, ends, axes and steps must have the same length");
    }
    PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> normalized, normalize_axes(*axes, x.rank()));

    // Start from the whole tensor and narrow each listed axis.
    Shape shape = x.shape();
    std::vector<int64_t> strides = shape_strides(x.shape());
    int64_t offset = 0;
    for (size_t i = 0; i < normalized.size(); ++i) {
      const size_t axis = static_cast<size_t>(normalized[i]);
      const int64_t dim = x.shape()[axis];
      const int64_t step = steps[i];
      if (step == 0 || step == INT64_MIN)
        return invalid_argument("step " + std::to_string(step) + " on axis " +
                                std::to_string(axis));
      int64_t start = starts[i] < 0 ? starts[i] + dim : starts[i];
      int64_t end = ends[i] < 0 ? ends[i] + dim : ends[i];
      int64_t count = 0;
      if (step > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
        if (end > start) count = (end - start - 1) / step + 1;
      } else {
        start = std::clamp<int64_t>(start, 0, dim - 1);
        end = std::clamp<int64_t>(end, -1, dim - 1);
        if (start > end) count = (start - end - 1) / -step + 1;
      }
      shape[axis] = count;
      if (count > 0) offset += start * strides[axis];
      strides[axis] *= step;
    }
    Tensor y(x.dtype(), shape);
    strided_copy(x.raw(), offset, strides, y.raw(), shape, dtype_size(x.dtype()));
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  int opset_ = 0;
  std::vector<int64_t> starts_;
  std::vector<int64_t> ends_;
  std::optional<std::vector<int64_t>> axes_;
};

}  // namespace

std::unique_ptr<Op> make_op_Slice() { return std::make_unique<SliceOp>(); }

}  // namespace pixlake
