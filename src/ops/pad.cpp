// Pad: grows (or, with negative pads, crops) each axis by pads[axis] before and
// pads[axis + rank] after. Before opset 11 `pads` (opset 1: `paddings`) and the float `value`
// are attributes; since, they are inputs, with optional `axes` from opset 18. Modes: constant,
// reflect (mirror without repeating the edge), edge (repeat the edge) and wrap (opset 19).
#include <cstring>

#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

enum class PadMode { kConstant, kReflect, kEdge, kWrap };

// The input index that output index `out` reads along one axis, or -1 for the constant.
int64_t source_index(PadMode mode, int64_t out, int64_t pad_begin, int64_t dim) {
  int64_t i = out - pad_begin;
  if (i >= 0 && i < dim) return i;
  switch (mode) {
    case PadMode::kConstant: return -1;
    case PadMode::kEdge: return i < 0 ? 0 : dim - 1;
    case PadMode::kWrap: return ((i % dim) + dim) % dim;
    case PadMode::kReflect: {
      if (dim == 1) return 0;
      const int64_t period = 2 * (dim - 1);
      i = ((i % period) + period) % period;
      return i < dim ? i : period - i;
    }
  }
  return -1;
}

class PadOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    opset_ = setup.opset;
    std::string mode = setup.attrs.get_string("mode", "constant");
    if (mode == "constant") {
      mode_ = PadMode::kConstant;
    } else if (mode == "reflect") {
      mode_ = PadMode::kReflect;
    } else if (mode == "edge") {
      mode_ = PadMode::kEdge;
    } else if (mode == "wrap") {
      mode_ = PadMode::kWrap;
    } else {
      return unsupported("mode=" + mode + " is not supported");
    }
    if (opset_ < 11) {
      const char* name = opset_ < 2 ? "paddings" : "pads";
      if (!setup.attrs.has(name))
        return invalid_argument(std::string("attribute '") + name + "' is missing");
      attr_pads_ = setup.attrs.get_ints(name);
      attr_value_ = setup.attrs.get_float("value", 0.0f);
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    const int64_t rank = x.rank();
    std::vector<int64_t> pads = attr_pads_;
    Tensor value = cast_tensor(Tensor::scalar<float>(attr_value_), x.dtype());
    std::vector<int64_t> axes;
    for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
    if (opset_ >= 11) {
      if (inputs.size() < 2) return invalid_argument("input pads is missing");
      PIXLAKE_ASSIGN_OR_RETURN(pads, read_int_input(inputs[1], "input pads"));
      if (inputs.size() > 2 && inputs[2] != nullptr && inputs[2]->numel() != 0) {
        if (inputs[2]->numel() != 1) {
          return invalid_argument("input constant_value must be a scalar, got " +
                                  inputs[2]->describe());
        }
        value = cast_tensor(inputs[2]->reshaped({}), x.dtype());
      }
      if (inputs.size() > 3 && inputs[3] != nullptr) {
        PIXLAKE_ASSIGN_OR_RETURN(std::vector<int64_t> listed,
                                 read_int_input(inputs[3], "input axes"));
        PIXLAKE_ASSIGN_OR_RETURN(axes, normalize_axes(listed, rank));
      }
    }
    const size_t n_axes = axes.size();
    if (pads.size() != 2 * n_axes) {
      return invalid_argument("pads " + shape_to_string(pads) + " does not match " + x.describe());
    }
    std::vector<int64_t> begin(static_cast<size_t>(rank), 0);
    std::vector<int64_t> end(static_cast<size_t>(rank), 0);
    for (size_t i = 0; i < n_axes; ++i) {
      begin[static_cast<size_t>(axes[i])] = pads[i];
      end[static_cast<size_t>(axes[i])] = pads[i + n_axes];
    }

    // Per axis: the element offset in the input for every output index, or -1 for padding.
    const std::vector<int64_t> strides = shape_strides(x.shape());
    Shape shape(static_cast<size_t>(rank));
    std::vector<std::vector<int64_t>> offsets(static_cast<size_t>(rank));
    for (size_t a = 0; a < shape.size(); ++a) {
      const int64_t dim = x.shape()[a];
      shape[a] = dim + begin[a] + end[a];
      if (shape[a] < 0) {
        return invalid_argument("pads " + shape_to_string(pads) + " crop more than " +
                                x.describe() + " holds");
      }
      if (mode_ != PadMode::kConstant && dim == 0 && shape[a] > 0) {
        return invalid_argument("cannot pad the empty axis " + std::to_string(a) + " of " +
                                x.describe() + " in this mode");
      }
      for (int64_t out = 0; out < shape[a]; ++out) {
        int64_t in = source_index(mode_, out, begin[a], dim);
        offsets[a].push_back(in < 0 ? -1 : in * strides[a]);
      }
    }

    Tensor y(x.dtype(), shape);
    const size_t elem_size = dtype_size(x.dtype());
    const auto* src = static_cast<const uint8_t*>(x.raw());
    auto* dst = static_cast<uint8_t*>(y.raw());
    std::vector<int64_t> index(shape.size(), 0);
    for (int64_t i = 0; i < y.numel(); ++i) {
      int64_t offset = 0;
      for (size_t a = 0; a < shape.size() && offset >= 0; ++a) {
        int64_t o = offsets[a][static_cast<size_t>(index[a])];
        offset = o < 0 ? -1 : offset + o;
      }
      const void* from = offset < 0 ? value.raw() : src + offset * static_cast<int64_t>(elem_size);
      std::memcpy(dst + i * static_cast<int64_t>(elem_size), from, elem_size);
      for (size_t a = shape.size(); a-- > 0;) {
        if (++index[a] < shape[a]) break;
        index[a] = 0;
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  int opset_ = 0;
  PadMode mode_ = PadMode::kConstant;
  std::vector<int64_t> attr_pads_;
  float attr_value_ = 0.0f;
};

}  // namespace

std::unique_ptr<Op> make_op_Pad() { return std::make_unique<PadOp>(); }

}  // namespace pixlake
