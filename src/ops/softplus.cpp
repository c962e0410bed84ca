// Softplus: y = log(1 + exp(x)).
#include <algorithm>

#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct SoftplusFn {
  // Rewritten as max(x, 0) + log1p(exp(-|x|)) so that exp() never overflows.
  float operator()(float x) const { return std::max(x, 0.0f) + std::log1p(std::exp(-std::abs(x))); }
};

}  // namespace

std::unique_ptr<Op> make_op_Softplus() { return std::make_unique<UnaryOp<SoftplusFn>>(); }

}  // namespace pixlake
