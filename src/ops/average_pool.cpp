// AveragePool: the mean of each window (N-D, strides, pads or auto_pad, ceil_mode, dilations
// from opset 19). Padding counts in the divisor only with count_include_pad=1.
#include "ops/op_util.h"
#include "ops/pool_table.h"
#include "ops/registry.h"
#include "ops/window.h"

namespace pixlake {
namespace {

class AveragePoolOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    PIXLAKE_ASSIGN_OR_RETURN(window_attrs_, read_window_attrs(setup.attrs, true, true));
    if (window_attrs_.kernel_shape.empty()) return invalid_argument("kernel_shape is missing");
    count_include_pad_ = setup.attrs.get_int("count_include_pad", 0) != 0;
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
        float sum = 0.0f;
        for (int64_t t = table.begin[o]; t < table.begin[o + 1]; ++t) sum += in[table.offsets[t]];
        const int64_t count =
            count_include_pad_ ? table.padded_count[o] : table.begin[o + 1] - table.begin[o];
        out[o] = count > 0 ? sum / static_cast<float>(count) : 0.0f;
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  WindowAttrs window_attrs_;
  bool count_include_pad_ = false;
};

}  // namespace

std::unique_ptr<Op> make_op_AveragePool() { return std::make_unique<AveragePoolOp>(); }

}  // namespace pixlake
