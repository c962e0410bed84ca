// Softsign: y = x / (1 + |x|).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct SoftsignFn {
  float operator()(float x) const { return x / (1.0f + std::abs(x)); }
};

}  // namespace

std::unique_ptr<Op> make_op_Softsign() { return std::make_unique<UnaryOp<SoftsignFn>>(); }

}  // namespace pixlake
