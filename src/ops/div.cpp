// Div: c = a / b with broadcasting (float32/64, int32/64; integers truncate toward zero).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct DivFn {
  static constexpr bool kIntegers = true;
  static constexpr bool kDouble = true;

  // Integer division by zero would trap; floats follow IEEE (inf, NaN).
  template <typename T>
  static Status check_rhs(const Tensor& b) {
    if constexpr (std::is_integral_v<T>) {
      const T* values = b.data<T>();
      for (int64_t i = 0; i < b.numel(); ++i) {
        if (values[i] == 0) return invalid_argument("integer division by zero in input B");
      }
    }
    return Status::ok();
  }

  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      // INT_MIN / -1 traps too; wrap it like the other integer operators.
      if (b == -1) return static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(a));
    }
    return static_cast<T>(a / b);
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Div() { return std::make_unique<BinaryOp<DivFn>>(); }

}  // namespace pixlake
