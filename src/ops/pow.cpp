// Pow: z = x ^ y with broadcasting (float32/64; an exponent of another type is converted).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct PowFn {
  static constexpr bool kDouble = true;
  static constexpr bool kConvertRhs = true;
  template <typename T>
  T operator()(T x, T y) const {
    return std::pow(x, y);
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Pow() { return std::make_unique<BinaryOp<PowFn>>(); }

}  // namespace pixlake
