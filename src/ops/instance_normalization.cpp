// InstanceNormalization: y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c], with mean and
// (biased) variance taken over the spatial positions of each (batch, channel) plane.
#include <cmath>

#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class InstanceNormalizationOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    epsilon_ = setup.attrs.get_float("epsilon", 1e-5f);
    setup.attrs.get_ints("consumed_inputs");  // opset 1
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs.size() < 3) return invalid_argument("needs 3 inputs: input, scale, B");
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input"));
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[1], DType::kF32, "input scale"));
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[2], DType::kF32, "input B"));
    const Tensor& x = *inputs[0];
    if (x.rank() < 3)
      return invalid_argument("input " + x.describe() + " must be [N, C, spatial...]");
    const int64_t batch = x.dim(0);
    const int64_t channels = x.dim(1);
    if (inputs[1]->numel() != channels || inputs[2]->numel() != channels) {
      return invalid_argument("scale " + inputs[1]->describe() + " and B " + inputs[2]->describe() +
                              " must have " + std::to_string(channels) + " values");
    }
    Tensor y(DType::kF32, x.shape());
    const int64_t plane = batch * channels > 0 ? x.numel() / (batch * channels) : 0;
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t c = 0; c < channels; ++c) {
        const float* in = x.data<float>() + (n * channels + c) * plane;
        float* out = y.data<float>() + (n * channels + c) * plane;
        double sum = 0.0;
        for (int64_t i = 0; i < plane; ++i) sum += in[i];
        const double mean = plane > 0 ? sum / plane : 0.0;
        double sq = 0.0;
        for (int64_t i = 0; i < plane; ++i) sq += (in[i] - mean) * (in[i] - mean);
        const double var = plane > 0 ? sq / plane : 0.0;
        const double multiplier = inputs[1]->data<float>()[c] / std::sqrt(var + epsilon_);
        const double shift = inputs[2]->data<float>()[c];
        for (int64_t i = 0; i < plane; ++i) {
          out[i] = static_cast<float>((in[i] - mean) * multiplier + shift);
        }
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  float epsilon_ = 1e-5f;
};

}  // namespace

std::unique_ptr<Op> make_op_InstanceNormalization() {
  return std::make_unique<InstanceNormalizationOp>();
}

}  // namespace pixlake
