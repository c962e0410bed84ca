// GlobalAveragePool: the mean over all spatial positions of each (batch, channel) plane;
// Y is [N, C, 1, 1, ...] with X's rank.
#include "ops/global_pool.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class GlobalAveragePoolOp final : public Op {
 public:
  Status init(const OpSetup&) override { return Status::ok(); }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    return run_global_pool(inputs, outputs, [](const float* in, int64_t plane_size) {
      double sum = 0.0;  // double: planes can be large (e.g. 56x56)
      for (int64_t i = 0; i < plane_size; ++i) sum += in[i];
      return plane_size > 0 ? static_cast<float>(sum / plane_size) : 0.0f;
    });
  }
};

}  // namespace

std::unique_ptr<Op> make_op_GlobalAveragePool() { return std::make_unique<GlobalAveragePoolOp>(); }

}  // namespace pixlake
