// A layer's constant weight matrix W, prepared once at load for Y = X W + bias: the products
// of MatMul and Gemm against their weights (every projection of a transformer).
//
// float32: W packed into the GEMM kernel's panels (kernels/f32_gemm f32_gemm_packed), so a
// run packs nothing (OpenBLAS repacked the whole matrix on every call: 7% of ViT-B/16).
// bf16 (Precision::kBf16 on AVX-512 BF16): W rounded to bf16 pairs and packed in panels once;
// X converted to pairs per call (bf16_pack_rows).
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
  std::vector<uint32_t> bf16_panels_;  // W as bf16 pair panels (pack_bf16_panels)
};

}  // namespace pixlake
