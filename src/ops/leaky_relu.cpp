// LeakyRelu: y = x for x >= 0, alpha * x otherwise (alpha defaults to 0.01).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct LeakyReluFn {
  float alpha = 0.01f;
  Status init(const OpSetup& setup) {
    alpha = setup.attrs.get_float("alpha", 0.01f);
    return Status::ok();
  }
  float operator()(float x) const { return x >= 0.0f ? x : alpha * x; }
};

}  // namespace

std::unique_ptr<Op> make_op_LeakyRelu() { return std::make_unique<UnaryOp<LeakyReluFn>>(); }

}  // namespace pixlake
