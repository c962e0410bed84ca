// Exp: y = exp(x).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct ExpFn {
  float operator()(float x) const { return std::exp(x); }
};

}  // namespace

std::unique_ptr<Op> make_op_Exp() { return std::make_unique<UnaryOp<ExpFn>>(); }

}  // namespace pixlake
