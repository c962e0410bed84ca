// A layer's constant weight matrix W, prepared once at load for Y = X W + bias: the products
// of MatMul and Gemm against their weights (every projection of a transformer).
//
// float32: W packed into the GEMM kernel's panels (kernels/f32_gemm f32_gemm_packed), so a
// run packs nothing (OpenBLAS repacked the whole matrix on every call: 7% of ViT-B/16).
// bf16 (Precision::kBf16 on AVX-512 BF16): W^T rounded to bf16 pairs for the bf16 kernel,
// which then computes Y^T = W^T X^T (its constant operand is the left one); X and Y are
// transposed around it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/f32_dwconv/dwconv.h"  // Clamp
#include "pixlake/precision.h"
#include "pixlake/tensor.h"

namespace pixlake {

class LinearWeights {
 public:
  // W is `w` [k, n], or [n, k] when `transposed` (Gemm's transB). Null when this CPU has no
  // kernel for `precision` (callers then use BLAS) or `w` is not a float32 matrix.
  static std::shared_ptr<const LinearWeights> make(const Tensor& w, bool transposed,
                                                   Precision precision);

  int64_t k() const { return k_; }
  int64_t n() const { return n_; }

  // y [m, n] = clamp(x [m, k] W + bias), bias [n] or null; rows of x and y contiguous.
  void multiply(const float* x, int64_t m, const float* bias, Clamp clamp, ThreadPool* pool,
                float* y) const;

 private:
  void multiply_f32(const float* x, int64_t m, const float* bias, Clamp clamp, ThreadPool* pool,
                    float* y) const;
  void multiply_bf16(const float* x, int64_t m, const float* bias, Clamp clamp, ThreadPool* pool,
                     float* y) const;

  int64_t k_ = 0, n_ = 0;
  bool bf16_ = false;
  std::vector<float> f32_storage_;  // float32 panels, from f32_panels_ (64-byte aligned)
  const float* f32_panels_ = nullptr;
  std::vector<uint32_t> bf16_pairs_;  // W^T [n, k] as bf16 pairs
};

}  // namespace pixlake
