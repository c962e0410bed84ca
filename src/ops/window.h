// Sliding-window geometry shared by Conv, ConvTranspose, MaxPool and AveragePool: the
// kernel_shape / strides / pads / dilations / auto_pad attributes and the output size they give.
#pragma once

#include <cstdint>
#include <vector>

#include "ops/attributes.h"
#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace pixlake {

enum class AutoPad { kNotSet, kValid, kSameUpper, kSameLower };

// The window attributes as written in the node; an empty vector means "not given".
struct WindowAttrs {
  std::vector<int64_t> kernel_shape;
  std::vector<int64_t> strides;
  std::vector<int64_t> pads;  // [x1_begin, x2_begin, ..., x1_end, x2_end]
  std::vector<int64_t> dilations;
  AutoPad auto_pad = AutoPad::kNotSet;
  bool ceil_mode = false;
};

// Reads kernel_shape, strides, pads, auto_pad and, where the operator has them, dilations
// and ceil_mode. Refuses an unknown auto_pad value.
Result<WindowAttrs> read_window_attrs(const Attributes& attrs, bool has_dilations,
                                      bool has_ceil_mode);

// A window resolved against one input's spatial size (all vectors have the spatial rank).
struct Window {
  Shape in;  // input spatial size
  Shape kernel;
  Shape strides;
  Shape dilations;
  Shape pad_begin;
  Shape pad_end;
  Shape out;  // output spatial size

  size_t rank() const { return in.size(); }
  int64_t in_size() const { return shape_numel(in); }
  int64_t kernel_size() const { return shape_numel(kernel); }
  int64_t out_size() const { return shape_numel(out); }
};

// Applies defaults (stride 1, pad 0, dilation 1) and auto_pad, checks every attribute's
// length and range, and computes the output size (rounded up with ceil_mode, where a window
// may not start inside the end padding). `kernel` is the kernel's spatial size.
Result<Window> resolve_window(const WindowAttrs& attrs, const Shape& in_spatial,
                              const Shape& kernel);

}  // namespace pixlake
