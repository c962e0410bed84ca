// LRN (local response normalisation across channels, as in AlexNet and Inception v1):
//   square_sum[n, c, ...] = sum of x[n, i, ...]^2 for i in [c - floor((size-1)/2), c +
//   ceil((size-1)/2)] y = x / (bias + alpha / size * square_sum)^beta
#include <algorithm>
#include <cmath>
#include <vector>

#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class LRNOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    const Attributes& attrs = setup.attrs;
    alpha_ = attrs.get_float("alpha", 1e-4f);
    beta_ = attrs.get_float("beta", 0.75f);
    bias_ = attrs.get_float("bias", 1.0f);
    size_ = attrs.get_int("size", 0);
    if (size_ < 1) return invalid_argument("size must be given and at least 1");
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input X"));
    const Tensor& x = *inputs[0];
    if (x.rank() < 2) return invalid_argument("X " + x.describe() + " must be [N, C, ...]");
    const int64_t batch = x.dim(0);
    const int64_t channels = x.dim(1);
    const int64_t plane = batch * channels > 0 ? x.numel() / (batch * channels) : 0;
    const int64_t before = (size_ - 1) / 2;
    const int64_t after = size_ - 1 - before;  // ceil((size - 1) / 2)
    Tensor y(DType::kF32, x.shape());
    std::vector<float> square_sum(static_cast<size_t>(plane));
    for (int64_t n = 0; n < batch; ++n) {
      const float* in = x.data<float>() + n * channels * plane;
      float* out = y.data<float>() + n * channels * plane;
      for (int64_t c = 0; c < channels; ++c) {
        std::fill(square_sum.begin(), square_sum.end(), 0.0f);
        const int64_t first = std::max<int64_t>(0, c - before);
        const int64_t last = std::min<int64_t>(channels - 1, c + after);
        for (int64_t i = first; i <= last; ++i) {
          const float* src = in + i * plane;
          for (int64_t p = 0; p < plane; ++p) square_sum[p] += src[p] * src[p];
        }
        const float* src = in + c * plane;
        float* dst = out + c * plane;
        const float scale = alpha_ / static_cast<float>(size_);
        for (int64_t p = 0; p < plane; ++p) {
          dst[p] = src[p] / std::pow(bias_ + scale * square_sum[p], beta_);
        }
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  float alpha_ = 1e-4f;
  float beta_ = 0.75f;
  float bias_ = 1.0f;
  int64_t size_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_op_LRN() { return std::make_unique<LRNOp>(); }

}  // namespace pixlake
