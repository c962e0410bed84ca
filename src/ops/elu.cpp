// Elu: y = x for x >= 0, alpha * (exp(x) - 1) otherwise (alpha defaults to 1).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct EluFn {
  float alpha = 1.0f;
  Status init(const OpSetup& setup) {
    alpha = setup.attrs.get_float("alpha", 1.0f);
    return Status::ok();
  }
  float operator()(float x) const { return x >= 0.0f ? x : alpha * std::expm1(x); }
};

}  // namespace

std::unique_ptr<Op> make_op_Elu() { return std::make_unique<UnaryOp<EluFn>>(); }

}  // namespace pixlake
