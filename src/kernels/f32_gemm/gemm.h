// C = clamp(A B + bias): the product behind every convolution that is not depthwise (1 x 1
// layers directly on the activations, others on im2col columns), with the bias and a fused
// Relu / Clip applied before C is stored, so the output is written once. BLAS would zero C,
// multiply, and leave bias and clamp to two more passes over memory.
#pragma once

#include <cstdint>

#include "kernels/f32_dwconv/dwconv.h"  // Clamp

namespace pixlake {

struct GemmShape {
  int64_t m = 0, n = 0, k = 0;
  int64_t lda = 0, ldb = 0, ldc = 0;  // row strides of A [m, k], B [k, n], C [m, n]
};

// bias [m] or nullptr. `scratch` holds at least f32_gemm_scratch_floats(s) floats. Every C
// element in [m, n] is written.
using GemmFn = void (*)(const GemmShape& s, const float* a, const float* b, const float* bias,
                        Clamp clamp, float* scratch, float* c);

// The kernel for this CPU, or nullptr when there is none (then callers use BLAS).
GemmFn f32_gemm();
int64_t f32_gemm_scratch_floats(const GemmShape& s);

// B handed over as a function that packs it, a panel of columns at a time, instead of as a
// matrix: a convolution gathers its im2col columns straight into the kernel's panel (which
// stays in cache) rather than writing the whole column matrix and reading it back.
constexpr int64_t kF32GemmPanelCols = 32;
struct PanelSource {
  // Writes B[0..k, col..col + cols) (cols <= kF32GemmPanelCols) as k rows of
  // kF32GemmPanelCols floats, zeros after `cols`, to `panel` (64-byte aligned).
  void (*pack)(const void* context, int64_t k, int64_t col, int64_t cols, float* panel);
  const void* context;
  int64_t first_col = 0;  // added to every `col`: where this part of the product starts in B
};

// C = clamp(A B + bias) with B from `b`; s.ldb is unused. Same scratch as GemmFn. nullptr
// when this CPU has no kernel.
using GemmSourceFn = void (*)(const GemmShape& s, const float* a, const PanelSource& b,
                              const float* bias, Clamp clamp, float* scratch, float* c);
GemmSourceFn f32_gemm_source();
void f32_gemm_source__avx512(const GemmShape& s, const float* a, const PanelSource& b,
                             const float* bias, Clamp clamp, float* scratch, float* c);

// The plain triple loop the kernels are tested against.
void f32_gemm__ref(const GemmShape& s, const float* a, const float* b, const float* bias,
                   Clamp clamp, float* scratch, float* c);
void f32_gemm__avx512(const GemmShape& s, const float* a, const float* b, const float* bias,
                      Clamp clamp, float* scratch, float* c);

// B packed ahead of time (constant weights): panel p holds columns [32p, 32p + 32) as k rows
// of kF32GemmPanelCols floats, zeros past n, 64-byte aligned; panels follow each other.
// f32_gemm_pack_b writes that layout; f32_gemm_packed needs no scratch.
using GemmPackedFn = void (*)(const GemmShape& s, const float* a, const float* packed_b,
                              const float* bias, Clamp clamp, float* c);
GemmPackedFn f32_gemm_packed();
int64_t f32_gemm_packed_floats(int64_t k, int64_t n);
// Packs B [k, n] (row stride ldb) into `packed` (f32_gemm_packed_floats(k, n) floats).
void f32_gemm_pack_b(int64_t k, int64_t n, const float* b, int64_t ldb, float* packed);
void f32_gemm_packed__avx512(const GemmShape& s, const float* a, const float* packed_b,
                             const float* bias, Clamp clamp, float* c);

}  // namespace pixlake
