// Erf: the Gauss error function.
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct ErfFn {
  float operator()(float x) const { return std::erf(x); }
};

}  // namespace

std::unique_ptr<Op> make_op_Erf() { return std::make_unique<UnaryOp<ErfFn>>(); }

}  // namespace pixlake
