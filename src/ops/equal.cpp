// Equal: c = (a == b) element-wise with NumPy broadcasting; the output is bool. Floating
// values compare as numbers (0.0 == -0.0, NaN equals nothing), everything else by its bits.
#include <cstring>

#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

bool is_floating(DType dtype) {
  return dtype == DType::kF32 || dtype == DType::kF64 || dtype == DType::kF16 ||
         dtype == DType::kBF16;
}

double floating_value(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kF32: return t.data<float>()[i];
    case DType::kF64: return t.data<double>()[i];
    case DType::kF16: return f16_to_f32(static_cast<const uint16_t*>(t.raw())[i]);
    default: return bf16_to_f32(static_cast<const uint16_t*>(t.raw())[i]);
  }
}

class EqualOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    max_bytes_ = setup.max_tensor_bytes;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input A"));
    if (inputs.size() < 2) return invalid_argument("input B is missing");
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[1], "input B"));
    const Tensor& a = *inputs[0];
    const Tensor& b = *inputs[1];
    if (a.dtype() != b.dtype()) {
      return invalid_argument("inputs A and B must have the same dtype, got " + a.describe() +
                              " and " + b.describe());
    }
    PIXLAKE_ASSIGN_OR_RETURN(Shape shape, broadcast_shapes({a.shape(), b.shape()}));
    PIXLAKE_RETURN_IF_ERROR(check_output_size(shape, DType::kBool, max_bytes_));
    Tensor c(DType::kBool, shape);
    auto* out = static_cast<uint8_t*>(c.raw());
    const int64_t n = c.numel();
    BroadcastIterator it(shape, {a.shape(), b.shape()});
    if (is_floating(a.dtype())) {
      for (int64_t i = 0; i < n; ++i, it.next()) {
        out[i] = floating_value(a, it.offset(0)) == floating_value(b, it.offset(1));
      }
    } else {
      const size_t size = dtype_size(a.dtype());
      const auto* pa = static_cast<const uint8_t*>(a.raw());
      const auto* pb = static_cast<const uint8_t*>(b.raw());
      for (int64_t i = 0; i < n; ++i, it.next()) {
        out[i] = std::memcmp(pa + it.offset(0) * size, pb + it.offset(1) * size, size) == 0;
      }
    }
    outputs[0] = std::move(c);
    return Status::ok();
  }

 private:
  int64_t max_bytes_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_Equal() { return std::make_unique<EqualOp>(); }

}  // namespace pixlake
