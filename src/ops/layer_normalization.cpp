// LayerNormalization (opset 17): normalises over the dimensions from `axis` to the end,
//   y = (x - mean) / sqrt(var + epsilon) * Scale + B
// with Scale and the optional B broadcast to X.shape[axis:]. The optional outputs Mean and
// InvStdDev have shape X.shape[:axis] followed by ones.
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/thread_pool.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

// Expands a parameter to the normalised shape (unidirectional broadcasting).
Result<std::vector<float>> expand_to(const Tensor& param, const Shape& inner, const char* what) {
  PIXLAKE_ASSIGN_OR_RETURN(Shape shape, broadcast_shapes({param.shape(), inner}));
  if (shape != inner) {
    return invalid_argument(std::string(what) + " " + param.describe() +
                            " does not broadcast to the normalised shape " +
                            shape_to_string(inner));
  }
  std::vector<float> out(static_cast<size_t>(shape_numel(inner)));
  BroadcastIterator it(inner, {param.shape()});
  for (size_t i = 0; i < out.size(); ++i, it.next()) out[i] = param.data<float>()[it.offset(0)];
  return out;
}

class LayerNormalizationOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    pool_ = setup.pool;
    axis_ = setup.attrs.get_int("axis", -1);
    epsilon_ = setup.attrs.get_float("epsilon", 1e-5f);
    // stash_type selects the precision of the statistics; they are always computed in double.
    setup.attrs.get_int("stash_type", 1);
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input X"));
    if (inputs.size() < 2) return invalid_argument("input Scale is missing");
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[1], DType::kF32, "input Scale"));
    const Tensor* bias = inputs.size() > 2 ? inputs[2] : nullptr;
    if (bias != nullptr) PIXLAKE_RETURN_IF_ERROR(expect_dtype(bias, DType::kF32, "input B"));
    const Tensor& x = *inputs[0];
    if (x.rank() == 0) return invalid_argument("X must have at least one dimension");
    PIXLAKE_ASSIGN_OR_RETURN(int64_t axis, normalize_axis(axis_, x.rank()));
    const Shape inner(x.shape().begin() + axis, x.shape().end());
    PIXLAKE_ASSIGN_OR_RETURN(std::vector<float> scale, expand_to(*inputs[1], inner, "Scale"));
    std::vector<float> shift(scale.size(), 0.0f);
    if (bias != nullptr) {
      PIXLAKE_ASSIGN_OR_RETURN(shift, expand_to(*bias, inner, "B"));
    }

    const int64_t inner_size = shape_numel(inner);
    const int64_t rows = inner_size > 0 ? x.numel() / inner_size : 0;
    Shape stats_shape(x.shape().begin(), x.shape().begin() + axis);
    stats_shape.resize(x.shape().size(), 1);
    Tensor y = Tensor::uninitialized(DType::kF32, x.shape());
    Tensor mean_out(DType::kF32, stats_shape);
    Tensor inv_std_out(DType::kF32, stats_shape);
    const float* sc = scale.data();
    const float* sh = shift.data();
    const float* x_data = x.data<float>();
    float* y_data = y.data<float>();
    float* mean_data = mean_out.data<float>();
    float* inv_std_data = inv_std_out.data<float>();
    // Rows are independent: split over the pool in blocks of whole rows.
    const int64_t grain =
        std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(inner_size, 1));
    parallel_ranges(pool_, rows, grain, [&](int64_t first, int64_t last) {
      for (int64_t row = first; row < last; ++row) {
        const float* in = x_data + row * inner_size;
        float* out = y_data + row * inner_size;
        // Two passes (mean, then squared deviations): no cancellation for large means.
        const double mean = partial_sums(in, inner_size, [](float v) { return v; }) / inner_size;
        const auto m = static_cast<float>(mean);
        const double sq = partial_sums(in, inner_size, [m](float v) { return (v - m) * (v - m); });
        const double inv_std = 1.0 / std::sqrt(sq / inner_size + epsilon_);
        const auto is = static_cast<float>(inv_std);
        for (int64_t i = 0; i < inner_size; ++i) out[i] = (in[i] - m) * is * sc[i] + sh[i];
        mean_data[row] = m;
        inv_std_data[row] = is;
      }
    });
    outputs[0] = std::move(y);
    if (outputs.size() > 1) outputs[1] = std::move(mean_out);
    if (outputs.size() > 2) outputs[2] = std::move(inv_std_out);
    return Status::ok();
  }

 private:
  ThreadPool* pool_ = nullptr;
  int64_t axis_ = -1;
  float epsilon_ = 1e-5f;
};

}  // namespace

std::unique_ptr<Op> make_op_LayerNormalization() {
  return std::make_unique<LayerNormalizationOp>();
}

}  // namespace pixlake
