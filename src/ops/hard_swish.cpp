// HardSwish: y = x * max(0, min(1, x / 6 + 1 / 2)).
#include <algorithm>

#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct HardSwishFn {
  float operator()(float x) const { return x * std::clamp(x / 6.0f + 0.5f, 0.0f, 1.0f); }
};

}  // namespace

std::unique_ptr<Op> make_op_HardSwish() { return std::make_unique<UnaryOp<HardSwishFn>>(); }

}  // namespace pixlake
