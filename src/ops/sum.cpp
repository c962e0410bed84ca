// Sum: element-wise sum of one or more inputs, with broadcasting.
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct SumFn {
  static constexpr bool kIntegers = true;
  template <typename T>
  T operator()(T a, T b) const {
    return static_cast<T>(a + b);
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Sum() { return std::make_unique<VariadicOp<SumFn>>(); }

}  // namespace pixlake
