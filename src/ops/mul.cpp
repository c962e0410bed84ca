// Mul: c = a * b with broadcasting (float32/64, int32/64).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct MulFn {
  static constexpr bool kIntegers = true;
  static constexpr bool kDouble = true;
  template <typename T>
  T operator()(T a, T b) const {
    return static_cast<T>(a * b);
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Mul() { return std::make_unique<BinaryOp<MulFn>>(); }

}  // namespace pixlake
