// C = clamp(A B + bias) with A and B rounded to bfloat16 and the sums kept in float32: the
// --precision bf16 mode of the convolutions (EngineOptions::precision). On AVX-512 BF16 one
// vdpbf16ps does 32 multiply-adds where an fp32 FMA does 16.
//
// A (the weights, constant) is converted once, at load, into pairs along k: a[row][k/2] holds
// bf16(A[row][k]) in its low half and bf16(A[row][k + 1]) in its high half, k padded to even
// with zero. B (the activations) is converted while it is packed, per call.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/f32_gemm/gemm.h"  // GemmShape, Clamp

namespace pixlake {

// Round-to-nearest-even float -> bfloat16, as vcvtne2ps2bf16 does (NaN stays NaN).
uint16_t to_bf16(float value);
float from_bf16(uint16_t value);

// Pairs of A [rows, k] (row stride lda) for the kernels: rows x bf16_pairs(k) words.
int64_t bf16_pairs(int64_t k);
std::vector<uint32_t> pack_bf16_pairs(const float* a, int64_t rows, int64_t k, int64_t lda);

// s.lda is ignored: A's rows are bf16_pairs(s.k) words apart. `scratch` holds at least
// bf16_gemm_scratch_floats(s) floats.
using Bf16GemmFn = void (*)(const GemmShape& s, const uint32_t* a_pairs, const float* b,
                            const float* bias, Clamp clamp, float* scratch, float* c);

// The kernel for this CPU, or nullptr when it has no AVX-512 BF16 (callers then use float32).
Bf16GemmFn bf16_gemm();
int64_t bf16_gemm_scratch_floats(const GemmShape& s);

// B from a panel source (kernels/f32_gemm/gemm.h: a convolution's im2col gathered per panel),
// converted to bf16 as it is packed. Same scratch as Bf16GemmFn.
using Bf16GemmSourceFn = void (*)(const GemmShape& s, const uint32_t* a_pairs, const PanelSource& b,
                                  const float* bias, Clamp clamp, float* scratch, float* c);
Bf16GemmSourceFn bf16_gemm_source();
void bf16_gemm_source__avx512bf16(const GemmShape& s, const uint32_t* a_pairs, const PanelSource& b,
                                  const float* bias, Clamp clamp, float* scratch, float* c);

// B constant (a layer's weights W [k, n]) packed once as panels of 32 columns, each
// bf16_pairs(k) rows of 32 (k, k + 1) pairs, zeros past n and k; A (activations) converted to
// pairs per call with bf16_pack_rows. No bias (callers add theirs by column); nullptr
// without AVX-512 BF16.
std::vector<uint32_t> pack_bf16_panels(const float* b, int64_t k, int64_t n, int64_t ldb);
using Bf16RowsFn = void (*)(const float* a, int64_t rows, int64_t k, int64_t lda, uint32_t* pairs);
using Bf16GemmPackedFn = void (*)(const GemmShape& s, const uint32_t* a_pairs,
                                  const uint32_t* b_panels, Clamp clamp, float* c);
Bf16RowsFn bf16_pack_rows();
Bf16GemmPackedFn bf16_gemm_packed();
void bf16_pack_rows__avx512bf16(const float* a, int64_t rows, int64_t k, int64_t lda,
                                uint32_t* pairs);
void bf16_gemm_packed__avx512bf16(const GemmShape& s, const uint32_t* a_pairs,
                                  const uint32_t* b_panels, Clamp clamp, float* c);

// Reference: the same bf16 rounding of A and B, float32 sums, one product at a time.
void bf16_gemm__ref(const GemmShape& s, const uint32_t* a_pairs, const float* b, const float* bias,
                    Clamp clamp, float* scratch, float* c);
void bf16_gemm__avx512bf16(const GemmShape& s, const uint32_t* a_pairs, const float* b,
                           const float* bias, Clamp clamp, float* scratch, float* c);

}  // namespace pixlake
