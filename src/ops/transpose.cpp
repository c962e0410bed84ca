// Transpose: output axis i is input axis perm[i]; perm defaults to reversing the axes.
#include "ops/data_movement.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class TransposeOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    if (setup.attrs.has("perm")) perm_ = setup.attrs.get_ints("perm");
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    const int64_t rank = x.rank();
    std::vector<int64_t> perm;
    if (perm_) {
      if (static_cast<int64_t>(perm_->size()) != rank) {
        return invalid_argument("perm " + shape_to_string(*perm_) + " does not match " +
                                x.describe());
      }
      // normalize_axes() refuses repeats, so a valid result is a permutation.
      auto normalized = normalize_axes(*perm_, rank);
      if (!normalized.is_ok()) {
        return invalid_argument("perm " + shape_to_string(*perm_) +
                                " is not a permutation: " + normalized.status().message());
      }
      perm = normalized.value();
    } else {
      for (int64_t i = rank; i-- > 0;) perm.push_back(i);
    }
    const std::vector<int64_t> in_strides = shape_strides(x.shape());
    Shape shape(static_cast<size_t>(rank));
    std::vector<int64_t> strides(static_cast<size_t>(rank));
    for (size_t i = 0; i < perm.size(); ++i) {
      shape[i] = x.dim(perm[i]);
      strides[i] = in_strides[static_cast<size_t>(perm[i])];
    }
    Tensor y(x.dtype(), shape);
    strided_copy(x.raw(), 0, strides, y.raw(), shape, dtype_size(x.dtype()));
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  std::optional<std::vector<int64_t>> perm_;
};

}  // namespace

std::unique_ptr<Op> make_op_Transpose() { return std::make_unique<TransposeOp>(); }

}  // namespace pixlake
