// Where Squeeze and Unsqueeze find `axes`: an attribute before opset 13 and the second input
// since. Both operators changed the same way in opset 13; only Unsqueeze requires the axes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ops/op.h"

namespace pixlake {

class OpsetAxes {
 public:
  // Reads the `axes` attribute before opset 13; `required` refuses a missing one.
  Status init(const OpSetup& setup, bool required);

  // The axes for one run: the attribute before opset 13, else input 1. Without that input the
  // axes are empty, or an error when they are required.
  Result<std::vector<int64_t>> read(std::span<const Tensor* const> inputs) const;

 private:
  int opset_ = 0;
  bool required_ = false;
  std::vector<int64_t> attr_axes_;
};

}  // namespace pixlake
