#include "ops/softmax_family.h"

#include <algorithm>
#include <cmath>

#include "core/thread_pool.h"
#include "kernels/f32_vmath/vmath.h"
#include "ops/op_util.h"

namespace pixlake {
namespace {

class SoftmaxFamilyOp final : public Op {
 public:
  explicit SoftmaxFamilyOp(SoftmaxKind kind) : kind_(kind) {}

  Status init(const OpSetup& setup) override {
    pool_ = setup.pool;
    coerce_2d_ = setup.opset < 13;
    axis_ = setup.attrs.get_int("axis", coerce_2d_ ? 1 : -1);
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input"));
    const Tensor& x = *inputs[0];
    int64_t rank = x.rank();
    // Rank 0 is treated as [1]: one element, normalised on its own.
    int64_t axis = 0;
    if (rank > 0) {
      PIXLAKE_ASSIGN_OR_RETURN(axis, normalize_axis(axis_, rank));
    } else if (axis_ != 0 && axis_ != -1) {
      return invalid_argument("axis " + std::to_string(axis_) + " is out of range for rank 0");
    }
    // The data is [outer, n, inner]; each of the outer * inner lines of n values is normalised.
    int64_t outer = 1, n = 1, inner = 1;
    for (int64_t d = 0; d < rank; ++d) {
      if (d < axis) {
        outer *= x.dim(d);
      } else if (d == axis || coerce_2d_) {
        n *= x.dim(d);
      } else {
        inner *= x.dim(d);
      }
    }
    Tensor y = Tensor::uninitialized(DType::kF32, x.shape());
    const float* src = x.data<float>();
    float* dst = y.data<float>();
    // Lines are independent: blocks of whole outer positions over the pool.
    const int64_t grain =
        std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(n * inner, 1));
    parallel_ranges(pool_, outer, grain, [&](int64_t first, int64_t last) {
      for (int64_t o = first; o < last; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
          normalize_line(src + o * n * inner + i, dst + o * n * inner + i, n, inner);
        }
      }
    });
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  // Normalises the n values at src[0], src[stride], ... Subtracting the maximum keeps exp()
  // from overflowing; the result is mathematically unchanged.
  void normalize_line(const float* src, float* dst, int64_t n, int64_t stride) const {
    if (n == 0) return;
    float max_value = src[0];
    if (stride == 1) {
      // 16 running maxima (vectorisable), then theirs.
      constexpr int kLanes = 16;
      float lanes[kLanes];
      std::fill(lanes, lanes + kLanes, src[0]);
      int64_t k = 0;
      for (; k + kLanes <= n; k += kLanes) {
        for (int lane = 0; lane < kLanes; ++lane)
          lanes[lane] = std::max(lanes[lane], src[k + lane]);
      }
      for (; k < n; ++k) max_value = std::max(max_value, src[k]);
      for (float lane : lanes) max_value = std::max(max_value, lane);
    } else {
      for (int64_t k = 1; k < n; ++k) max_value = std::max(max_value, src[k * stride]);
    }
    double sum = 0.0;
    if (kind_ == SoftmaxKind::kLogSoftmax || stride != 1) {
      for (int64_t k = 0; k < n; ++k) sum += std::exp(src[k * stride] - max_value);
    }
    if (kind_ == SoftmaxKind::kLogSoftmax) {
      float log_sum = static_cast<float>(std::log(sum));
      for (int64_t k = 0; k < n; ++k) dst[k * stride] = src[k * stride] - max_value - log_sum;
    } else if (stride == 1) {
      // Contiguous (the last axis, as in attention): exp once, into dst, then scale.
      for (int64_t k = 0; k < n; ++k) dst[k] = src[k] - max_value;
      f32_vexp()(n, dst, dst);
      const double total = partial_sums(dst, n, [](float v) { return v; });
      const float inv_total = static_cast<float>(1.0 / total);
      for (int64_t k = 0; k < n; ++k) dst[k] *= inv_total;
    } else {
      float inv_sum = static_cast<float>(1.0 / sum);
      for (int64_t k = 0; k < n; ++k) {
        dst[k * stride] = std::exp(src[k * stride] - max_value) * inv_sum;
      }
    }
  }

  SoftmaxKind kind_;
  ThreadPool* pool_ = nullptr;
  bool coerce_2d_ = false;
  int64_t axis_ = -1;
};

}  // namespace

std::unique_ptr<Op> make_softmax_op(SoftmaxKind kind) {
  return std::make_unique<SoftmaxFamilyOp>(kind);
}

}  // namespace pixlake
