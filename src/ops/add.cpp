// Add: c = a + b with broadcasting (float32/64, int32/64).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct AddFn {
  static constexpr bool kIntegers = true;
  static constexpr bool kDouble = true;
  template <typename T>
  T operator()(T a, T b) const {
    return static_cast<T>(a + b);
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Add() { return std::make_unique<BinaryOp<AddFn>>(); }

}  // namespace pixlake
