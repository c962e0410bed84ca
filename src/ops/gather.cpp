// Gather: out[outer, idx..., inner] = data[outer, indices[idx...], inner] along `axis`
// (default 0). Indices are i32 or i64 and may be negative (counting from the end).
#include <cstring>

#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class GatherOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    axis_ = setup.attrs.get_int("axis", 0);
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    if (inputs.size() < 2) return invalid_argument("input indices is missing");
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[1], "input indices"));
    const Tensor& data = *inputs[0];
    const Tensor& indices = *inputs[1];
    if (indices.dtype() != DType::kI64 && indices.dtype() != DType::kI32) {
      return invalid_argument("input indices must be i64 or i32, got " + indices.describe());
    }
    if (data.rank() == 0) return invalid_argument("input data must not be a scalar");
    PIXLAKE_ASSIGN_OR_RETURN(int64_t axis, normalize_axis(axis_, data.rank()));
    const int64_t dim = data.dim(axis);
    std::vector<int64_t> index = indices.to_ints();
    for (int64_t& i : index) {
      if (i < -dim || i >= dim) {
        return invalid_argument("index " + std::to_string(i) + " is out of range for axis " +
                                std::to_string(axis) + " of " + data.describe());
      }
      if (i < 0) i += dim;
    }
    Shape shape(data.shape().begin(), data.shape().begin() + axis);
    shape.insert(shape.end(), indices.shape().begin(), indices.shape().end());
    shape.insert(shape.end(), data.shape().begin() + axis + 1, data.shape().end());
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= data.dim(d);
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < data.rank(); ++d) inner *= data.dim(d);
    const size_t block = static_cast<size_t>(inner) * dtype_size(data.dtype());
    Tensor y(data.dtype(), shape);
    const auto* src = static_cast<const uint8_t*>(data.raw());
    auto* dst = static_cast<uint8_t*>(y.raw());
    if (block != 0) {
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i : index) {
          std::memcpy(dst, src + (o * dim + i) * block, block);
          dst += block;
        }
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  int64_t axis_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_Gather() { return std::make_unique<GatherOp>(); }

}  // namespace pixlake
