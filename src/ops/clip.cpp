// Clip: y = min(max(x, min), max). Before opset 11 the bounds are the float attributes `min`
// and `max`; from opset 11 they are optional scalar inputs 1 and 2 (integer types from 12).
// An absent bound does not limit.
#include <limits>

#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct ClipDtypes {
  static constexpr bool kIntegers = true;
  static constexpr bool kDouble = true;
};

class ClipOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    read_legacy_consumed_inputs(setup);
    if (setup.opset < 11) {
      if (setup.attrs.has("min")) attr_min_ = setup.attrs.get_float("min", 0.0f);
      if (setup.attrs.has("max")) attr_max_ = setup.attrs.get_float("max", 0.0f);
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input X"));
    const Tensor& x = *inputs[0];
    return dispatch_dtype<ClipDtypes>(x, "input X", [&]<typename T>() {
      T lo = std::numeric_limits<T>::lowest();
      T hi = std::numeric_limits<T>::max();
      if (attr_min_) lo = static_cast<T>(*attr_min_);
      if (attr_max_) hi = static_cast<T>(*attr_max_);
      PIXLAKE_RETURN_IF_ERROR(read_bound<T>(inputs, 1, "input min", lo));
      PIXLAKE_RETURN_IF_ERROR(read_bound<T>(inputs, 2, "input max", hi));
      Tensor y(x.dtype(), x.shape());
      const T* src = x.data<T>();
      T* dst = y.data<T>();
      // Written as two comparisons rather than std::clamp, which requires lo <= hi; ONNX
      // Runtime gives `max` the last word when min > max, and so does this order.
      for (int64_t i = 0; i < x.numel(); ++i) {
        T v = src[i] < lo ? lo : src[i];
        dst[i] = v > hi ? hi : v;
      }
      outputs[0] = std::move(y);
      return Status::ok();
    });
  }

 private:
  // Reads an optional scalar bound input (opset >= 11) into `bound`, if the input is given.
  template <typename T>
  static Status read_bound(std::span<const Tensor* const> inputs, size_t index, const char* what,
                           T& bound) {
    if (inputs.size() <= index || inputs[index] == nullptr) return Status::ok();
    const Tensor& t = *inputs[index];
    if (t.dtype() != inputs[0]->dtype()) {
      return invalid_argument(std::string(what) + " must have the dtype of X, got " + t.describe());
    }
    if (t.numel() != 1) {
      return invalid_argument(std::string(what) + " must be a scalar, got " + t.describe());
    }
    bound = t.data<T>()[0];
    return Status::ok();
  }

  std::optional<float> attr_min_;
  std::optional<float> attr_max_;
};

}  // namespace

std::unique_ptr<Op> make_op_Clip() { return std::make_unique<ClipOp>(); }

}  // namespace pixlake
