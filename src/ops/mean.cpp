// Mean: element-wise mean of one or more float32 inputs, with broadcasting.
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct MeanFn {
  float operator()(float a, float b) const { return a + b; }
  // Divides the running sum by the number of inputs once all are added.
  template <typename T>
  void finish(Tensor& sum, size_t n_inputs) const {
    T* values = sum.data<T>();
    for (int64_t i = 0; i < sum.numel(); ++i) values[i] /= static_cast<T>(n_inputs);
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Mean() { return std::make_unique<VariadicOp<MeanFn>>(); }

}  // namespace pixlake
