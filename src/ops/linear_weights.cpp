#include "ops/linear_weights.h"

#include <algorithm>
#include <limits>

#include "kernels/bf16_gemm/gemm.h"
#include "kernels/f32_gemm/gemm.h"

namespace pixlake {
namespace {

// dst [cols, rows] = src [rows, cols]^T, in blocks so both sides stay in cache.
void transpose(const float* src, int64_t rows, int64_t cols, float* dst) {
  constexpr int64_t kBlock = 32;
  for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
    for (int64_t c0 = 0; c0 < cols; c0 += kBlock) {
      const int64_t r1 = std::min(rows, r0 + kBlock), c1 = std::min(cols, c0 + kBlock);
      for (int64_t r = r0; r < r1; ++r) {
        for (int64_t c = c0; c < c1; ++c) dst[c * rows + r] = src[r * cols + c];
      }
    }
  }
}

// Calls piece(first, count) over [0, extent) in blocks of whole `unit`s, one per pool thread
// that has at least two units to do (whole units: the results do not depend on the split).
template <typename Piece>
void split(ThreadPool* pool, int64_t extent, int64_t unit, Piece&& piece) {
  parallel_ranges(pool, (extent + unit - 1) / unit, 2, [&](int64_t first, int64_t last) {
    piece(first * unit, std::min(extent, last * unit) - first * unit);
  });
}

constexpr Clamp kNoClamp{-std::numeric_limits<float>::infinity(),
                         std::numeric_limits<float>::infinity()};

// The kernels add a bias per row of their output; here it runs along the columns, so it is
// added afterwards, with the clamp, while the block is hot (without a bias the kernel clamps).
void add_bias_and_clamp(const float* bias, Clamp clamp, int64_t m, int64_t n, int64_t first,
                        int64_t count, float* y) {
  if (bias == nullptr) return;
  for (int64_t row = 0; row < m; ++row) {
    float* out = y + row * n + first;
    const float* b = bias + first;
    for (int64_t j = 0; j < count; ++j)
      out[j] = std::min(std::max(out[j] + b[j], clamp.lo), clamp.hi);
  }
}

}  // namespace

std::shared_ptr<const LinearWeights> LinearWeights::make(const Tensor& w, bool transposed,
                                                         Precision precision) {
  if (w.dtype() != DType::kF32 || w.rank() != 2 || w.numel() == 0) return nullptr;
  auto out = std::make_shared<LinearWeights>();
  out->k_ = transposed ? w.dim(1) : w.dim(0);
  out->n_ = transposed ? w.dim(0) : w.dim(1);
  const float* data = w.data<float>();
  if (precision == Precision::kBf16 && bf16_gemm_packed() != nullptr) {
    out->bf16_ = true;
    std::vector<float> plain;  // W [k, n]
    if (transposed) {
      plain.resize(static_cast<size_t>(w.numel()));
      transpose(data, out->n_, out->k_, plain.data());
      data = plain.data();
    }
    out->bf16_panels_ = pack_bf16_panels(data, out->k_, out->n_, out->n_);
    return out;
  }
  if (f32_gemm_packed() == nullptr) return nullptr;
  std::vector<float> plain;  // W [k, n]
  if (transposed) {
    plain.resize(static_cast<size_t>(w.numel()));
    transpose(data, out->n_, out->k_, plain.data());
    data = plain.data();
  }
  out->f32_storage_.resize(static_cast<size_t>(f32_gemm_packed_floats(out->k_, out->n_) + 16));
  auto* panels = reinterpret_cast<float*>(
      (reinterpret_cast<uintptr_t>(out->f32_storage_.data()) + 63) & ~uintptr_t{63});
  f32_gemm_pack_b(out->k_, out->n_, data, out->n_, panels);
  out->f32_panels_ = panels;
  return out;
}

void LinearWeights::multiply(const float* x, int64_t m, const float* bias, Clamp clamp,
                             ThreadPool* pool, float* y) const {
  if (m <= 0) return;
  if (bf16_) {
    multiply_bf16(x, m, bias, clamp, pool, y);
  } else {
    multiply_f32(x, m, bias, clamp, pool, y);
  }
}

void LinearWeights::multiply_f32(const float* x, int64_t m, const float* bias, Clamp clamp,
                                 ThreadPool* pool, float* y) const {
  const GemmPackedFn gemm = f32_gemm_packed();
  split(pool, n_, kF32GemmPanelCols, [&](int64_t first, int64_t count) {
    const GemmShape part{m, count, k_, k_, 0, n_};
    gemm(part, x, f32_panels_ + first / kF32GemmPanelCols * k_ * kF32GemmPanelCols, nullptr,
         bias != nullptr ? kNoClamp : clamp, y + first);
    add_bias_and_clamp(bias, clamp, m, n_, first, count, y);
  });
}

void LinearWeights::multiply_bf16(const float* x, int64_t m, const float* bias, Clamp clamp,
                                  ThreadPool* pool, float* y) const {
  const Bf16GemmPackedFn gemm = bf16_gemm_packed();
  const int64_t pairs = bf16_pairs(k_);
  thread_local std::vector<uint32_t> x_pairs;
  x_pairs.resize(std::max(x_pairs.size(), static_cast<size_t>(m * pairs)));
  bf16_pack_rows()(x, m, k_, k_, x_pairs.data());
  const uint32_t* const a = x_pairs.data();
  split(pool, n_, kF32GemmPanelCols, [&](int64_t first, int64_t count) {
    const GemmShape part{m, count, k_, k_, 0, n_};
    gemm(part, a, bf16_panels_.data() + first / kF32GemmPanelCols * pairs * kF32GemmPanelCols,
         bias != nullptr ? kNoClamp : clamp, y + first);
    add_bias_and_clamp(bias, clamp, m, n_, first, count, y);
  });
}

}  // namespace pixlake
