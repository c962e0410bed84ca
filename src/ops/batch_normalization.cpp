// BatchNormalization, inference mode: y = scale * (x - mean) / sqrt(var + epsilon) + B per
// channel (axis 1) of an [N, C, ...] input. Training mode (statistics of the batch, running
// statistics outputs) is refused.
#include <cmath>
#include <vector>

#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class BatchNormalizationOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    const Attributes& attrs = setup.attrs;
    epsilon_ = attrs.get_float("epsilon", 1e-5f);
    attrs.get_float("momentum", 0.9f);  // only updates running statistics in training
    if (attrs.get_int("training_mode", 0) != 0) {
      return unsupported("training_mode=1 is not supported");
    }
    // Opsets <= 6 (is_test, consumed_inputs) and 7..8 (spatial).
    attrs.get_int("is_test", 0);  // inference is the only mode pixlake runs
    attrs.get_ints("consumed_inputs");
    if (attrs.get_int("spatial", 1) != 1) return unsupported("spatial=0 is not supported");
    if (setup.n_outputs > 1) {
      return unsupported(
          "the training outputs (running or saved mean and variance) are not "
          "supported");
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    static const char* const kNames[] = {"input X", "input scale", "input B", "input mean",
                                         "input var"};
    if (inputs.size() < 5) return invalid_argument("needs 5 inputs: X, scale, B, mean, var");
    for (size_t i = 0; i < 5; ++i) {
      PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[i], DType::kF32, kNames[i]));
    }
    const Tensor& x = *inputs[0];
    if (x.rank() < 2) return invalid_argument("X " + x.describe() + " must be [N, C, ...]");
    const int64_t channels = x.dim(1);
    for (size_t i = 1; i < 5; ++i) {
      if (inputs[i]->numel() != channels) {
        return invalid_argument(std::string(kNames[i]) + " " + inputs[i]->describe() +
                                " must have " + std::to_string(channels) + " values");
      }
    }
    // Fold everything into y = x * multiplier[c] + shift[c].
    std::vector<float> multiplier(static_cast<size_t>(channels));
    std::vector<float> shift(static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c) {
      const float scale = inputs[1]->data<float>()[c];
      const float bias = inputs[2]->data<float>()[c];
      const float mean = inputs[3]->data<float>()[c];
      const float var = inputs[4]->data<float>()[c];
      multiplier[c] = scale / std::sqrt(var + epsilon_);
      shift[c] = bias - mean * multiplier[c];
    }
    Tensor y(DType::kF32, x.shape());
    const int64_t batch = x.dim(0);
    const int64_t plane = batch * channels > 0 ? x.numel() / (batch * channels) : 0;
    const float* in = x.data<float>();
    float* out = y.data<float>();
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t c = 0; c < channels; ++c) {
        const int64_t base = (n * channels + c) * plane;
        for (int64_t i = 0; i < plane; ++i) out[base + i] = in[base + i] * multiplier[c] + shift[c];
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  float epsilon_ = 1e-5f;
};

}  // namespace

std::unique_ptr<Op> make_op_BatchNormalization() {
  return std::make_unique<BatchNormalizationOp>();
}

}  // namespace pixlake
