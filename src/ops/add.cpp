// Add: c = a + b with broadcasting (float32/64, int32/64).
#include <type_traits>

#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct AddFn {
  static constexpr bool kIntegers = true;
  static constexpr bool kDouble = true;
  static constexpr bool kFusesClamp = true;  // ResNet's residual Add + Relu
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      // Integers wrap like NumPy and ONNX Runtime; signed overflow would be UB (found by
      // fuzz_onnx_import on int64 shape arithmetic).
      using U = std::make_unsigned_t<T>;
      return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
    } else {
      return static_cast<T>(a + b);
    }
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Add() { return std::make_unique<BinaryOp<AddFn>>(); }

}  // namespace pixlake
