// Tanh: y = tanh(x).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct TanhFn {
  float operator()(float x) const { return std::tanh(x); }
};

}  // namespace

std::unique_ptr<Op> make_op_Tanh() { return std::make_unique<UnaryOp<TanhFn>>(); }

}  // namespace pixlake
