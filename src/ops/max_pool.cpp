// MaxPool: the largest value in each window (N-D, strides, pads or auto_pad, dilations,
// ceil_mode). The optional Indices output is not supported.
#include <limits>

#include "ops/op_util.h"
#include "ops/pool_table.h"
#include "ops/registry.h"
#include "ops/window.h"

namespace pixlake {
namespace {

class MaxPoolOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    PIXLAKE_ASSIGN_OR_RETURN(window_attrs_, read_window_attrs(setup.attrs, true, true));
    if (window_attrs_.kernel_shape.empty()) return invalid_argument("kernel_shape is missing");
    // storage_order only describes the Indices output, which is refused below.
    int64_t storage_order = setup.attrs.get_int("storage_order", 0);
    if (storage_order != 0 && storage_order != 1) {
      return invalid_argument("storage_order must be 0 or 1");
    }
    if (setup.n_outputs > 1) return unsupported("MaxPool's Indices output is not supported");
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input X"));
    const Tensor& x = *inputs[0];
    if (x.rank() < 3) return invalid_argument("X " + x.describe() + " must be [N, C, spatial...]");
    PIXLAKE_ASSIGN_OR_RETURN(
        Window w, resolve_window(window_attrs_, Shape(x.shape().begin() + 2, x.shape().end()),
                                 window_attrs_.kernel_shape));
    Shape y_shape = {x.dim(0), x.dim(1)};
    y_shape.insert(y_shape.end(), w.out.begin(), w.out.end());
    Tensor y(DType::kF32, y_shape);

    const PoolTable table = make_pool_table(w);
    const int64_t planes = x.dim(0) * x.dim(1);
    for (int64_t p = 0; p < planes; ++p) {
      const float* in = x.data<float>() + p * w.in_size();
      float* out = y.data<float>() + p * w.out_size();
      for (int64_t o = 0; o < w.out_size(); ++o) {
        // A window entirely in the padding has no value; it yields the lowest float.
        float best = std::numeric_limits<float>::lowest();
        for (int64_t t = table.begin[o]; t < table.begin[o + 1]; ++t) {
          float v = in[table.offsets[t]];
          if (v > best || v != v) best = v;  // NaN wins, as in numpy's max
        }
        out[o] = best;
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  WindowAttrs window_attrs_;
};

}  // namespace

std::unique_ptr<Op> make_op_MaxPool() { return std::make_unique<MaxPoolOp>(); }

}  // namespace pixlake
