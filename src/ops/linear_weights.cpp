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
  const int64_t units = (extent + unit - 1) / unit;
  const int64_t blocks = pool == nullptr ? 1 : std::clamp<int64_t>(units / 2, 1, pool->size());
  const int64_t per = (units + blocks - 1) / blocks * unit;
  auto block = [&](int64_t index) {
    const int64_t first = index * per;
    const int64_t count = std::min(per, extent - first);
    if (count > 0) piece(first, count);
  };
  if (blocks > 1) {
    pool->run(blocks, block);
  } else {
    block(0);
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
  if (precision == Precision::kBf16 && bf16_gemm() != nullptr) {
    out->bf16_ = true;
    std::vector<float> wt;  // W^T [n, k]
    if (!transposed) {
      wt.resize(static_cast<size_t>(w.numel()));
      transpose(data, out->k_, out->n_, wt.data());
      data = wt.data();
    }
    out->bf16_pairs_ = pack_bf16_pairs(data, out->n_, out->k_, out->k_);
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
  // The kernel adds a bias per row of its output; here the bias runs along the columns, so
  // it is added afterwards, with the clamp, while the rows are hot. Without a bias the clamp
  // goes into the kernel.
  const Clamp none{-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()};
  const bool after = bias != nullptr;
  split(pool, n_, kF32GemmPanelCols, [&](int64_t first, int64_t count) {
    const GemmShape part{m, count, k_, k_, 0, n_};
    gemm(part, x, f32_panels_ + first / kF32GemmPanelCols * k_ * kF32GemmPanelCols, nullptr,
         after ? none : clamp, y + first);
    if (!after) return;
    for (int64_t row = 0; row < m; ++row) {
      float* out = y + row * n_ + first;
      const float* b = bias + first;
      for (int64_t j = 0; j < count; ++j) {
        out[j] = std::min(std::max(out[j] + b[j], clamp.lo), clamp.hi);
      }
    }
  });
}

void LinearWeights::multiply_bf16(const float* x, int64_t m, const float* bias, Clamp clamp,
                                  ThreadPool* pool, float* y) const {
  const Bf16GemmFn gemm = bf16_gemm();
  thread_local std::vector<float> xt, yt;  // X^T [k, m], Y^T [n, m]
  xt.resize(std::max(xt.size(), static_cast<size_t>(k_ * m)));
  yt.resize(std::max(yt.size(), static_cast<size_t>(n_ * m)));
  transpose(x, m, k_, xt.data());
  const float* const xt_data = xt.data();
  float* const yt_data = yt.data();
  const GemmShape whole{n_, m, k_, k_, m, m};
  const auto scratch_floats = static_cast<size_t>(bf16_gemm_scratch_floats(whole));
  const int64_t pairs = bf16_pairs(k_);
  // Rows of Y^T (output columns) in blocks of whole 8-row tiles, each thread with its scratch.
  split(pool, n_, 8, [&](int64_t first, int64_t count) {
    thread_local std::vector<float> scratch;
    scratch.resize(std::max(scratch.size(), scratch_floats));
    GemmShape part = whole;
    part.m = count;
    gemm(part, bf16_pairs_.data() + first * pairs, xt_data, bias ? bias + first : nullptr, clamp,
         scratch.data(), yt_data + first * m);
  });
  transpose(yt_data, n_, m, y);
}

}  // namespace pixlake
