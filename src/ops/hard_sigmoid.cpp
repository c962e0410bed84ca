// HardSigmoid: y = max(0, min(1, alpha * x + beta)), alpha 0.2 and beta 0.5 by default.
#include <algorithm>

#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct HardSigmoidFn {
  float alpha = 0.2f;
  float beta = 0.5f;
  Status init(const OpSetup& setup) {
    alpha = setup.attrs.get_float("alpha", 0.2f);
    beta = setup.attrs.get_float("beta", 0.5f);
    return Status::ok();
  }
  float operator()(float x) const { return std::clamp(alpha * x + beta, 0.0f, 1.0f); }
};

}  // namespace

std::unique_ptr<Op> make_op_HardSigmoid() { return std::make_unique<UnaryOp<HardSigmoidFn>>(); }

}  // namespace pixlake
