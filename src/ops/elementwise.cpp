#include "ops/elementwise.h"

namespace pixlake {

Result<Tensor> legacy_broadcast_rhs(const Tensor& a, const Tensor& b, bool broadcast,
                                    std::optional<int64_t> axis) {
  if (!broadcast) {
    if (a.shape() != b.shape()) {
      return invalid_argument("inputs A " + a.describe() + " and B " + b.describe() +
                              " differ in shape and broadcast=0 (opset < 7)");
    }
    return b;
  }
  int64_t rank_a = a.rank();
  int64_t rank_b = b.rank();
  if (rank_b > rank_a) {
    return invalid_argument("input B " + b.describe() + " has a higher rank than A " +
                            a.describe() + " (legacy broadcast)");
  }
  int64_t start = rank_a - rank_b;
  if (axis) {
    start = *axis < 0 ? *axis + rank_a : *axis;
    if (start < 0 || start + rank_b > rank_a) {
      return invalid_argument("axis " + std::to_string(*axis) + " does not fit input B " +
                              b.describe() + " inside A " + a.describe());
    }
  }
  Shape shape(static_cast<size_t>(rank_a), 1);
  for (int64_t i = 0; i < rank_b; ++i) shape[static_cast<size_t>(start + i)] = b.dim(i);
  // Size-1 dimensions of B stretch (Caffe2 semantics, used by PyTorch exports); every other
  // dimension must match A exactly.
  for (int64_t i = 0; i < rank_a; ++i) {
    int64_t d = shape[static_cast<size_t>(i)];
    if (d != 1 && d != a.dim(i)) {
      return invalid_argument("input B " + b.describe() + " at axis " + std::to_string(start) +
                              " does not match A " + a.describe() + " (legacy broadcast)");
    }
  }
  return b.reshaped(shape);
}

}  // namespace pixlake
