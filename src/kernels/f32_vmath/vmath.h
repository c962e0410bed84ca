// Element-wise exp and erf over arrays: the transcendental functions behind Softmax, Exp, Erf
// and the Gelu that transformers spell as Erf. libm computes one value per call; these
// compute 16 per instruction sequence, to within a few units in the last place.
#pragma once

#include <cstdint>

namespace pixlake {

// y[i] = f(x[i]) for i < n; x and y may be the same array.
using VmathFn = void (*)(int64_t n, const float* x, float* y);

// The kernels for this CPU (AVX-512 or the reference).
VmathFn f32_vexp();
VmathFn f32_verf();
// y = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)): exact (erf) Gelu.
VmathFn f32_vgelu();

// std::exp / std::erf one value at a time: what the kernels are tested against.
void f32_vexp__ref(int64_t n, const float* x, float* y);
void f32_verf__ref(int64_t n, const float* x, float* y);
void f32_vgelu__ref(int64_t n, const float* x, float* y);
void f32_vgelu__avx512(int64_t n, const float* x, float* y);
void f32_vexp__avx512(int64_t n, const float* x, float* y);
void f32_verf__avx512(int64_t n, const float* x, float* y);

}  // namespace pixlake
