// Min: element-wise minimum of one or more inputs, with broadcasting.
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct MinFn {
  static constexpr bool kIntegers = true;
  // NaN propagates, as in NumPy and ONNX Runtime.
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
    }
    return b < a ? b : a;
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Min() { return std::make_unique<VariadicOp<MinFn>>(); }

}  // namespace pixlake
