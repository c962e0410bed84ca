// Erf: the Gauss error function.
#include "kernels/f32_vmath/vmath.h"
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct ErfFn {
  static VmathFn array_kernel() { return f32_verf(); }
  float operator()(float x) const { return std::erf(x); }
};

}  // namespace

std::unique_ptr<Op> make_op_Erf() { return std::make_unique<UnaryOp<ErfFn>>(); }

}  // namespace pixlake
