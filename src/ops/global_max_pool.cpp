// GlobalMaxPool: the largest value over all spatial positions of each (batch, channel) plane;
// Y is [N, C, 1, 1, ...] with X's rank.
#include <limits>

#include "ops/global_pool.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class GlobalMaxPoolOp final : public Op {
 public:
  Status init(const OpSetup&) override { return Status::ok(); }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    return run_global_pool(inputs, outputs, [](const float* in, int64_t plane_size) {
      float best = std::numeric_limits<float>::lowest();
      for (int64_t i = 0; i < plane_size; ++i) {
        if (in[i] > best || in[i] != in[i]) best = in[i];  // NaN wins, as in numpy's max
      }
      return best;
    });
  }
};

}  // namespace

std::unique_ptr<Op> make_op_GlobalMaxPool() { return std::make_unique<GlobalMaxPoolOp>(); }

}  // namespace pixlake
