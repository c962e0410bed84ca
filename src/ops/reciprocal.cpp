// Reciprocal: y = 1 / x.
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct ReciprocalFn {
  float operator()(float x) const { return 1.0f / x; }
};

}  // namespace

std::unique_ptr<Op> make_op_Reciprocal() { return std::make_unique<UnaryOp<ReciprocalFn>>(); }

}  // namespace pixlake
