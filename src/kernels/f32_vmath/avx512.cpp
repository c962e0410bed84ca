// exp and erf, 16 lanes at a time (flags in CMakeLists.txt).
//
// exp(x) = 2^k * exp(r), k = round(x / ln 2), r = x - k ln 2 in [-ln2/2, ln2/2] (ln 2 split
// in two so that r is exact), exp(r) from Cephes' degree-7 polynomial (expf), 2^k applied by
// vscalefps, which also overflows to +inf and underflows to 0 without special cases.
// erf(x): for |x| < 0.5 its Taylor series to x^15 (truncation below 2e-9 relative); above,
// 1 - erfc(|x|) with Numerical Recipes' erfcc (fractional error < 1.2e-7), sign restored.
#include <immintrin.h>

#include "kernels/f32_vmath/vmath.h"

namespace pixlake {
namespace {

constexpr __mmask16 kAll = 0xFFFF;

__mmask16 tail_mask(int64_t count) {
  return count >= 16 ? kAll : static_cast<__mmask16>((1u << count) - 1u);
}

// The _mask_ forms with an all-ones mask: GCC 12 flags the plain ones' undefined merge source
// as uninitialised under -Werror. max(lo, x) returns x when x is NaN, so NaN survives.
inline __m512 max_ps(__m512 lo, __m512 x) { return _mm512_mask_max_ps(lo, kAll, lo, x); }
inline __m512 min_ps(__m512 hi, __m512 x) { return _mm512_mask_min_ps(hi, kAll, hi, x); }

inline __m512 exp_ps(__m512 x) {
  // Below -104, 2^k underflows to 0; above 89 it overflows to inf (exp(88.73) is FLT_MAX).
  x = min_ps(_mm512_set1_ps(89.0f), max_ps(_mm512_set1_ps(-104.0f), x));
  const __m512 scaled = _mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f));
  const __m512 k = _mm512_mask_roundscale_ps(scaled, kAll, scaled,
                                             _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(k, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(k, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  return _mm512_mask_scalef_ps(p, kAll, p, k);
}

inline __m512 erf_ps(__m512 x) {
  const __m512 sign = _mm512_and_ps(x, _mm512_set1_ps(-0.0f));
  const __m512 a = _mm512_andnot_ps(_mm512_set1_ps(-0.0f), x);  // |x|
  // Small |x|: 2/sqrt(pi) * (x - x^3/3 + x^5/10 - x^7/42 + x^9/216 - x^11/1320 + x^13/9360
  // - x^15/75600), Horner in x^2.
  const __m512 z = _mm512_mul_ps(x, x);
  __m512 s = _mm512_set1_ps(-1.0f / 75600.0f);
  s = _mm512_fmadd_ps(s, z, _mm512_set1_ps(1.0f / 9360.0f));
  s = _mm512_fmadd_ps(s, z, _mm512_set1_ps(-1.0f / 1320.0f));
  s = _mm512_fmadd_ps(s, z, _mm512_set1_ps(1.0f / 216.0f));
  s = _mm512_fmadd_ps(s, z, _mm512_set1_ps(-1.0f / 42.0f));
  s = _mm512_fmadd_ps(s, z, _mm512_set1_ps(1.0f / 10.0f));
  s = _mm512_fmadd_ps(s, z, _mm512_set1_ps(-1.0f / 3.0f));
  s = _mm512_fmadd_ps(s, z, _mm512_set1_ps(1.0f));
  const __m512 small = _mm512_mul_ps(_mm512_mul_ps(s, x), _mm512_set1_ps(1.12837916709551257f));
  // Large |x|: erfc(a) = t exp(-a^2 + P(t)), t = 1 / (1 + a/2).
  const __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f),
                                 _mm512_fmadd_ps(a, _mm512_set1_ps(0.5f), _mm512_set1_ps(1.0f)));
  __m512 q = _mm512_set1_ps(0.17087277f);
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(-0.82215223f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.48851587f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(-1.13520398f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(0.27886807f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(-0.18628806f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(0.09678418f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(0.37409196f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.00002368f));
  q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(-1.26551223f));
  const __m512 erfc = _mm512_mul_ps(t, exp_ps(_mm512_sub_ps(q, _mm512_mul_ps(a, a))));
  const __m512 large = _mm512_or_ps(_mm512_sub_ps(_mm512_set1_ps(1.0f), erfc), sign);
  // NaN compares false, so it takes the small branch, which keeps it NaN.
  const __mmask16 is_large = _mm512_cmp_ps_mask(a, _mm512_set1_ps(0.5f), _CMP_GE_OQ);
  return _mm512_mask_blend_ps(is_large, small, large);
}

inline __m512 gelu_ps(__m512 x) {
  const __m512 e = erf_ps(_mm512_mul_ps(x, _mm512_set1_ps(0.7071067811865476f)));
  return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x),
                       _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

template <__m512 (*F)(__m512)>
void apply(int64_t n, const float* x, float* y) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, F(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    _mm512_mask_storeu_ps(y + i, m, F(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

}  // namespace

void f32_vexp__avx512(int64_t n, const float* x, float* y) { apply<exp_ps>(n, x, y); }
void f32_verf__avx512(int64_t n, const float* x, float* y) { apply<erf_ps>(n, x, y); }
void f32_vgelu__avx512(int64_t n, const float* x, float* y) { apply<gelu_ps>(n, x, y); }

}  // namespace pixlake
