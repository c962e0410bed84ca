// AveragePool: the mean of each window (N-D, strides, pads or auto_pad, ceil_mode, dilations
// from opset 19). Padding counts in the divisor only with count_include_pad=1.
#include "ops/pool_table.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class AveragePoolOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    PIXLAKE_ASSIGN_OR_RETURN(window_attrs_, read_pool_attrs(setup.attrs));
    count_include_pad_ = setup.attrs.get_int("count_include_pad", 0) != 0;
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    return run_pool(
        window_attrs_, inputs, outputs, [this](const float* in, const PoolTable& table, int64_t o) {
          float sum = 0.0f;
          for (int64_t t = table.begin[o]; t < table.begin[o + 1]; ++t) {
            sum += in[table.offsets[t]];
          }
          const int64_t count =
              count_include_pad_ ? table.padded_count[o] : table.begin[o + 1] - table.begin[o];
          return count > 0 ? sum / static_cast<float>(count) : 0.0f;
        });
  }

 private:
  WindowAttrs window_attrs_;
  bool count_include_pad_ = false;
};

}  // namespace

std::unique_ptr<Op> make_op_AveragePool() { return std::make_unique<AveragePoolOp>(); }

}  // namespace pixlake
