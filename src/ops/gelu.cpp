// Gelu (opset 20): y = x * Phi(x), exactly with erf or with the tanh approximation.
#include <string>

#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct GeluFn {
  bool tanh_approximation = false;
  Status init(const OpSetup& setup) {
    std::string approximate = setup.attrs.get_string("approximate", "none");
    if (approximate != "none" && approximate != "tanh") {
      return unsupported("approximate=" + approximate + " is not supported");
    }
    tanh_approximation = approximate == "tanh";
    return Status::ok();
  }
  VmathFn array_kernel() const { return tanh_approximation ? nullptr : f32_vgelu(); }
  float operator()(float x) const {
    if (tanh_approximation) {
      constexpr float kSqrt2OverPi = 0.7978845608028654f;
      return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * (x + 0.044715f * x * x * x)));
    }
    constexpr float kInvSqrt2 = 0.7071067811865476f;
    return 0.5f * x * (1.0f + std::erf(x * kInvSqrt2));
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Gelu() { return std::make_unique<UnaryOp<GeluFn>>(); }

}  // namespace pixlake
