#include "ops/opset_axes.h"

#include "ops/data_movement.h"

namespace pixlake {

Status OpsetAxes::init(const OpSetup& setup, bool required) {
  opset_ = setup.opset;
  required_ = required;
  if (opset_ < 13) {
    if (required_ && !setup.attrs.has("axes")) {
      return invalid_argument("attribute 'axes' is missing");
    }
    attr_axes_ = setup.attrs.get_ints("axes");
  }
  return Status::ok();
}

Result<std::vector<int64_t>> OpsetAxes::read(std::span<const Tensor* const> inputs) const {
  if (opset_ < 13) return attr_axes_;
  if (required_) {
    if (inputs.size() < 2) return invalid_argument("input axes is missing");
    // An omitted (nullptr) input is refused by read_int_input, naming it.
    return read_int_input(inputs[1], "input axes");
  }
  if (inputs.size() > 1 && inputs[1] != nullptr) return read_int_input(inputs[1], "input axes");
  return std::vector<int64_t>{};
}

}  // namespace pixlake
