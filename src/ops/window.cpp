#include "ops/window.h"

#include <algorithm>
#include <string>

namespace pixlake {
namespace {

// Checks a per-dimension attribute's length and fills the default when it is absent.
Result<Shape> per_dim(const std::vector<int64_t>& given, size_t rank, int64_t fallback,
                      int64_t min_value, const char* name) {
  if (given.empty()) return Shape(rank, fallback);
  if (given.size() != rank) {
    return invalid_argument(std::string(name) + " has " + std::to_string(given.size()) +
                            " values for " + std::to_string(rank) + " spatial dimensions");
  }
  for (int64_t v : given) {
    if (v < min_value) {
      return invalid_argument(std::string(name) + " value " + std::to_string(v) +
                              " must be at least " + std::to_string(min_value));
    }
  }
  return given;
}

int64_t ceil_div(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

Result<WindowAttrs> read_window_attrs(const Attributes& attrs, bool has_dilations,
                                      bool has_ceil_mode) {
  WindowAttrs w;
  w.kernel_shape = attrs.get_ints("kernel_shape");
  w.strides = attrs.get_ints("strides");
  w.pads = attrs.get_ints("pads");
  if (has_dilations) w.dilations = attrs.get_ints("dilations");
  if (has_ceil_mode) w.ceil_mode = attrs.get_int("ceil_mode", 0) != 0;
  std::string auto_pad = attrs.get_string("auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") {
    w.auto_pad = AutoPad::kNotSet;
  } else if (auto_pad == "VALID") {
    w.auto_pad = AutoPad::kValid;
  } else if (auto_pad == "SAME_UPPER") {
    w.auto_pad = AutoPad::kSameUpper;
  } else if (auto_pad == "SAME_LOWER") {
    w.auto_pad = AutoPad::kSameLower;
  } else {
    return unsupported("auto_pad=" + auto_pad + " is not supported");
  }
  return w;
}

Result<Window> resolve_window(const WindowAttrs& attrs, const Shape& in_spatial,
                              const Shape& kernel) {
  const size_t rank = in_spatial.size();
  if (rank == 0) return invalid_argument("input has no spatial dimensions");
  Window w;
  w.in = in_spatial;
  PIXLAKE_ASSIGN_OR_RETURN(w.kernel, per_dim(kernel, rank, 1, 1, "kernel_shape"));
  if (kernel.empty()) return invalid_argument("kernel_shape is missing");
  PIXLAKE_ASSIGN_OR_RETURN(w.strides, per_dim(attrs.strides, rank, 1, 1, "strides"));
  PIXLAKE_ASSIGN_OR_RETURN(w.dilations, per_dim(attrs.dilations, rank, 1, 1, "dilations"));
  if (!attrs.pads.empty() && attrs.pads.size() != 2 * rank) {
    return invalid_argument("pads has " + std::to_string(attrs.pads.size()) + " values for " +
                            std::to_string(rank) + " spatial dimensions (needs begin and end)");
  }
  w.pad_begin.assign(rank, 0);
  w.pad_end.assign(rank, 0);
  w.out.assign(rank, 0);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t extent = (w.kernel[d] - 1) * w.dilations[d] + 1;  // dilated kernel
    const int64_t s = w.strides[d];
    switch (attrs.auto_pad) {
      case AutoPad::kNotSet: {
        if (!attrs.pads.empty()) {
          w.pad_begin[d] = attrs.pads[d];
          w.pad_end[d] = attrs.pads[d + rank];
        }
        const int64_t span = w.in[d] + w.pad_begin[d] + w.pad_end[d] - extent;
        if (span < 0) break;  // reported below
        w.out[d] = (attrs.ceil_mode ? ceil_div(span, s) : floor_div(span, s)) + 1;
        // With ceil_mode the last window must still start inside the input or the begin
        // padding, as in PyTorch and ONNX Runtime.
        if (attrs.ceil_mode && (w.out[d] - 1) * s >= w.in[d] + w.pad_begin[d]) --w.out[d];
        break;
      }
      case AutoPad::kValid:
        w.out[d] = w.in[d] >= extent ? ceil_div(w.in[d] - extent + 1, s) : 0;
        break;
      case AutoPad::kSameUpper:
      case AutoPad::kSameLower: {
        w.out[d] = ceil_div(w.in[d], s);
        const int64_t total = std::max<int64_t>(0, (w.out[d] - 1) * s + extent - w.in[d]);
        const int64_t small = total / 2;
        w.pad_begin[d] = attrs.auto_pad == AutoPad::kSameUpper ? small : total - small;
        w.pad_end[d] = total - w.pad_begin[d];
        break;
      }
    }
    if (w.out[d] < 1) {
      return invalid_argument("the window (kernel " + shape_to_string(w.kernel) + ", dilations " +
                              shape_to_string(w.dilations) +
                              ") does not fit the input's spatial size " + shape_to_string(w.in) +
                              " with its padding");
    }
  }
  return w;
}

}  // namespace pixlake
