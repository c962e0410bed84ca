// Abs: y = |x| (float32 and, since opset 6, int32/int64).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct AbsFn {
  static constexpr bool kIntegers = true;
  template <typename T>
  T operator()(T x) const {
    if constexpr (std::is_integral_v<T>) {
      // Unsigned arithmetic wraps |INT_MIN| to INT_MIN instead of overflowing.
      return x < 0 ? static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(x)) : x;
    } else {
      return std::abs(x);
    }
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Abs() { return std::make_unique<UnaryOp<AbsFn>>(); }

}  // namespace pixlake
