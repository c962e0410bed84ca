// Shape: the input's dimensions as a 1-D i64 tensor, optionally the slice [start, end)
// (attributes since opset 15; negative values count from the end and both are clamped).
#include <algorithm>

#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class ShapeOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    start_ = setup.attrs.get_int("start", 0);
    if (setup.attrs.has("end")) end_ = setup.attrs.get_int("end", 0);
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    const int64_t rank = x.rank();
    auto clamp = [rank](int64_t v) { return std::clamp(v < 0 ? v + rank : v, int64_t{0}, rank); };
    int64_t start = clamp(start_);
    int64_t end = end_ ? clamp(*end_) : rank;
    int64_t n = std::max<int64_t>(end - start, 0);
    Tensor y(DType::kI64, {n});
    for (int64_t i = 0; i < n; ++i) y.data<int64_t>()[i] = x.dim(start + i);
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  int64_t start_ = 0;
  std::optional<int64_t> end_;
};

}  // namespace

std::unique_ptr<Op> make_op_Shape() { return std::make_unique<ShapeOp>(); }

}  // namespace pixlake
