// Neg: y = -x (float32 and, since opset 6, int32/int64 for shape arithmetic).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct NegFn {
  static constexpr bool kIntegers = true;
  template <typename T>
  T operator()(T x) const {
    if constexpr (std::is_integral_v<T>) {
      // Unsigned arithmetic wraps -INT_MIN instead of overflowing (undefined behaviour).
      return static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(x));
    } else {
      return -x;
    }
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Neg() { return std::make_unique<UnaryOp<NegFn>>(); }

}  // namespace pixlake
