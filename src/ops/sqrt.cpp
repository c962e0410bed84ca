// Sqrt: y = sqrt(x) (NaN below zero, as in IEEE arithmetic).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct SqrtFn {
  float operator()(float x) const { return std::sqrt(x); }
};

}  // namespace

std::unique_ptr<Op> make_op_Sqrt() { return std::make_unique<UnaryOp<SqrtFn>>(); }

}  // namespace pixlake
