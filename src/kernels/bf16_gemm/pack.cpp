// The scalar side of the bf16 GEMM: conversions, packing of A, the reference and dispatch.
#include <cstring>

#include "core/cpu_features.h"
#include "kernels/bf16_gemm/gemm.h"

namespace pixlake {

uint16_t to_bf16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((bits >> 16) | 0x40u);
  bits += 0x7FFFu + ((bits >> 16) & 1u);  // round half to even
  return static_cast<uint16_t>(bits >> 16);
}

float from_bf16(uint16_t value) {
  const uint32_t bits = static_cast<uint32_t>(value) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

int64_t bf16_pairs(int64_t k) { return (k + 1) / 2; }

std::vector<uint32_t> pack_bf16_pairs(const float* a, int64_t rows, int64_t k, int64_t lda) {
  const int64_t pairs = bf16_pairs(k);
  std::vector<uint32_t> out(static_cast<size_t>(rows * pairs), 0);
  for (int64_t row = 0; row < rows; ++row) {
    for (int64_t p = 0; p < k; ++p) {
      const uint32_t half = to_bf16(a[row * lda + p]);
      out[static_cast<size_t>(row * pairs + p / 2)] |= p % 2 == 0 ? half : half << 16;
    }
  }
  return out;
}

void bf16_gemm__ref(const GemmShape& s, const uint32_t* a_pairs, const float* b, const float* bias,
                    Clamp clamp, float* scratch, float* c) {
  (void)scratch;
  const int64_t pairs = bf16_pairs(s.k);
  for (int64_t row = 0; row < s.m; ++row) {
    for (int64_t col = 0; col < s.n; ++col) {
      float acc = bias ? bias[row] : 0.0f;
      for (int64_t p = 0; p < s.k; ++p) {
        const uint32_t pair = a_pairs[row * pairs + p / 2];
        const float av = from_bf16(static_cast<uint16_t>(p % 2 == 0 ? pair : pair >> 16));
        acc += av * from_bf16(to_bf16(b[p * s.ldb + col]));
      }
      acc = acc < clamp.lo ? clamp.lo : acc;
      c[row * s.ldc + col] = acc > clamp.hi ? clamp.hi : acc;
    }
  }
}

Bf16GemmFn bf16_gemm() {
  static const Bf16GemmFn chosen = cpu_features().avx512bf16 ? &bf16_gemm__avx512bf16 : nullptr;
  return chosen;
}

// One packed panel of B: bf16_pairs(k) rows of 32 pairs, plus room to align it to 64 bytes;
// then (for bf16_gemm_source) a float32 panel of k rows of 32, aligned likewise.
int64_t bf16_gemm_scratch_floats(const GemmShape& s) {
  return bf16_pairs(s.k) * 32 + 16 + s.k * 32 + 16;
}

std::vector<uint32_t> pack_bf16_panels(const float* b, int64_t k, int64_t n, int64_t ldb) {
  constexpr int64_t kCols = 32;
  const int64_t pairs = bf16_pairs(k);
  const int64_t panels = (n + kCols - 1) / kCols;
  std::vector<uint32_t> out(static_cast<size_t>(panels * pairs * kCols), 0);
  for (int64_t panel = 0; panel < panels; ++panel) {
    for (int64_t p = 0; p < pairs; ++p) {
      for (int64_t j = 0; j < kCols; ++j) {
        const int64_t col = panel * kCols + j;
        if (col >= n) continue;
        const uint32_t lo = to_bf16(b[2 * p * ldb + col]);
        const uint32_t hi = 2 * p + 1 < k ? to_bf16(b[(2 * p + 1) * ldb + col]) : 0u;
        out[static_cast<size_t>((panel * pairs + p) * kCols + j)] = lo | (hi << 16);
      }
    }
  }
  return out;
}

Bf16RowsFn bf16_pack_rows() {
  static const Bf16RowsFn chosen =
      cpu_features().avx512bf16 ? &bf16_pack_rows__avx512bf16 : nullptr;
  return chosen;
}

Bf16GemmPackedFn bf16_gemm_packed() {
  static const Bf16GemmPackedFn chosen =
      cpu_features().avx512bf16 ? &bf16_gemm_packed__avx512bf16 : nullptr;
  return chosen;
}

Bf16GemmSourceFn bf16_gemm_source() {
  static const Bf16GemmSourceFn chosen =
      cpu_features().avx512bf16 ? &bf16_gemm_source__avx512bf16 : nullptr;
  return chosen;
}

}  // namespace pixlake
