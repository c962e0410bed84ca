// Sigmoid: y = 1 / (1 + exp(-x)).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct SigmoidFn {
  // Two branches so that exp() never overflows for large |x|.
  float operator()(float x) const {
    if (x >= 0.0f) return 1.0f / (1.0f + std::exp(-x));
    float e = std::exp(x);
    return e / (1.0f + e);
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Sigmoid() { return std::make_unique<UnaryOp<SigmoidFn>>(); }

}  // namespace pixlake
