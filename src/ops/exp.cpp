// Exp: y = exp(x).
#include "kernels/f32_vmath/vmath.h"
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct ExpFn {
  static VmathFn array_kernel() { return f32_vexp(); }
  float operator()(float x) const { return std::exp(x); }
};

}  // namespace

std::unique_ptr<Op> make_op_Exp() { return std::make_unique<UnaryOp<ExpFn>>(); }

}  // namespace pixlake
