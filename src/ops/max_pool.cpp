// MaxPool: the largest value in each window (N-D, strides, pads or auto_pad, dilations,
// ceil_mode). The optional Indices output is not supported.
#include <algorithm>
#include <limits>
#include <vector>

#include "core/thread_pool.h"
#include "ops/pool_table.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

// max that lets a NaN through, from either side, as numpy's max does.
// (Bitwise | so that both compares always run: the loop then vectorises to compare-and-blend.)
inline float nan_max(float best, float v) { return (v > best) | (v != v) ? v : best; }

// row[i] = nan_max(row[i], src[i]); the arrays do not overlap (so the loop vectorises).
void max_into(float* __restrict row, const float* __restrict src, int64_t n) {
  for (int64_t i = 0; i < n; ++i) row[i] = nan_max(row[i], src[i]);
}

// out[i] = max of src[2i], src[2i + 1], src[2i + 2] (ResNet's 3x3 stride-2 pool, interior
// windows): constant stride and window, no bounds, so the loop vectorises.
void max3_stride2(const float* __restrict src, int64_t n, float* __restrict out) {
  for (int64_t i = 0; i < n; ++i) {
    out[i] = nan_max(nan_max(src[2 * i], src[2 * i + 1]), src[2 * i + 2]);
  }
}

// 2-D windows without dilation, separably: each output row first takes the maximum down the
// window's input rows into a row buffer (a contiguous, vectorisable loop), then across the
// window's columns. The taps and the result are those of the table walk, 5-10x faster on
// ResNet-50's 3x3 stride-2 pool.
void max_pool_2d(const Window& w, int64_t first_plane, int64_t last_plane, const float* x,
                 float* y) {
  const int64_t in_h = w.in[0], in_w = w.in[1];
  std::vector<float> row(static_cast<size_t>(in_w));
  for (int64_t p = first_plane; p < last_plane; ++p) {
    const float* plane = x + p * in_h * in_w;
    float* out = y + p * w.out[0] * w.out[1];
    for (int64_t oy = 0; oy < w.out[0]; ++oy) {
      const int64_t top = oy * w.strides[0] - w.pad_begin[0];
      const int64_t y0 = std::max<int64_t>(top, 0);
      const int64_t y1 = std::min<int64_t>(top + w.kernel[0], in_h);
      std::fill(row.begin(), row.end(), std::numeric_limits<float>::lowest());
      for (int64_t iy = y0; iy < y1; ++iy) max_into(row.data(), plane + iy * in_w, in_w);
      float* out_row = out + oy * w.out[1];
      // Windows wholly inside the row: [inner_begin, inner_end).
      const int64_t stride = w.strides[1], pad = w.pad_begin[1], k = w.kernel[1];
      const int64_t inner_begin = std::min(w.out[1], (pad + stride - 1) / stride);
      const int64_t inner_end = std::max(
          inner_begin, std::min(w.out[1], in_w + pad - k >= 0 ? (in_w + pad - k) / stride + 1 : 0));
      auto edge = [&](int64_t ox) {
        const int64_t left = ox * stride - pad;
        const int64_t x0 = std::max<int64_t>(left, 0);
        const int64_t x1 = std::min<int64_t>(left + k, in_w);
        // A window entirely in the padding has no value; it yields the lowest float.
        float best = std::numeric_limits<float>::lowest();
        for (int64_t ix = x0; ix < x1; ++ix) best = nan_max(best, row[ix]);
        out_row[ox] = best;
      };
      for (int64_t ox = 0; ox < inner_begin; ++ox) edge(ox);
      if (k == 3 && stride == 2) {
        max3_stride2(row.data() + inner_begin * 2 - pad, inner_end - inner_begin,
                     out_row + inner_begin);
      } else {
        for (int64_t ox = inner_begin; ox < inner_end; ++ox) edge(ox);
      }
      for (int64_t ox = inner_end; ox < w.out[1]; ++ox) edge(ox);
    }
  }
}

class MaxPoolOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    PIXLAKE_ASSIGN_OR_RETURN(window_attrs_, read_pool_attrs(setup.attrs));
    pool_ = setup.pool;
    // storage_order only describes the Indices output, which is refused below.
    int64_t storage_order = setup.attrs.get_int("storage_order", 0);
    if (storage_order != 0 && storage_order != 1) {
      return invalid_argument("storage_order must be 0 or 1");
    }
    if (setup.n_outputs > 1) return unsupported("MaxPool's Indices output is not supported");
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs[0] != nullptr && inputs[0]->dtype() == DType::kF32 && inputs[0]->rank() == 4) {
      const Tensor& x = *inputs[0];
      PIXLAKE_ASSIGN_OR_RETURN(Window w, resolve_window(window_attrs_, {x.dim(2), x.dim(3)},
                                                        window_attrs_.kernel_shape));
      if (w.dilations[0] == 1 && w.dilations[1] == 1) {
        Tensor y = Tensor::uninitialized(DType::kF32, {x.dim(0), x.dim(1), w.out[0], w.out[1]});
        const float* src = x.data<float>();
        float* dst = y.data<float>();
        parallel_ranges(pool_, x.dim(0) * x.dim(1), 4, [&](int64_t first, int64_t last) {
          max_pool_2d(w, first, last, src, dst);
        });
        outputs[0] = std::move(y);
        return Status::ok();
      }
    }
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
  ThreadPool* pool_ = nullptr;
};

}  // namespace

std::unique_ptr<Op> make_op_MaxPool() { return std::make_unique<MaxPoolOp>(); }

}  // namespace pixlake
