// MaxPool: the largest value in each window (N-D, strides, pads or auto_pad, dilations,
// ceil_mode). The optional Indices output is not supported.
#include <limits>

#include "ops/pool_table.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class MaxPoolOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    PIXLAKE_ASSIGN_OR_RETURN(window_attrs_, read_pool_attrs(setup.attrs));
    // storage_order only describes the Indices output, which is refused below.
    int64_t storage_order = setup.attrs.get_int("storage_order", 0);
    if (storage_order != 0 && storage_order != 1) {
      return invalid_argument("storage_order must be 0 or 1");
    }
    if (setup.n_outputs > 1) return unsupported("MaxPool's Indices output is not supported");
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    return run_pool(window_attrs_, inputs, outputs,
                    [](const float* in, const PoolTable& table, int64_t o) {
                      // A window entirely in the padding has no value; it yields the lowest
                      // float.
                      float best = std::numeric_limits<float>::lowest();
                      for (int64_t t = table.begin[o]; t < table.begin[o + 1]; ++t) {
                        float v = in[table.offsets[t]];
                        if (v > best || v != v) best = v;  // NaN wins, as in numpy's max
                      }
                      return best;
                    });
  }

 private:
  WindowAttrs window_attrs_;
};

}  // namespace

std::unique_ptr<Op> make_op_MaxPool() { return std::make_unique<MaxPoolOp>(); }

}  // namespace pixlake
