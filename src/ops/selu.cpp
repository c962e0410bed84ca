// Selu: y = gamma * x for x > 0, gamma * alpha * (exp(x) - 1) otherwise.
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct SeluFn {
  // The ONNX defaults, float32 roundings of the constants from the SELU paper.
  float alpha = 1.67326319217681884765625f;
  float gamma = 1.05070102214813232421875f;
  Status init(const OpSetup& setup) {
    alpha = setup.attrs.get_float("alpha", alpha);
    gamma = setup.attrs.get_float("gamma", gamma);
    return Status::ok();
  }
  float operator()(float x) const { return x > 0.0f ? gamma * x : gamma * alpha * std::expm1(x); }
};

}  // namespace

std::unique_ptr<Op> make_op_Selu() { return std::make_unique<UnaryOp<SeluFn>>(); }

}  // namespace pixlake
