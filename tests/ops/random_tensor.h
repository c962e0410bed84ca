// Deterministic pseudo-random float tensors for operator tests that compare against a naive
// loop written in the test.
#pragma once

#include <cstdint>
#include <vector>

#include "pixlake/tensor.h"

namespace pixlake::testing {

// Values in [-1, 1), the same for the same seed on every platform.
inline Tensor random_tensor(Shape shape, uint32_t seed) {
  Tensor t(DType::kF32, std::move(shape));
  uint32_t state = seed * 2654435761u + 12345u;
  for (int64_t i = 0; i < t.numel(); ++i) {
    state = state * 1664525u + 1013904223u;
    t.data<float>()[i] = static_cast<float>(state >> 8) / static_cast<float>(1u << 23) - 1.0f;
  }
  return t;
}

// Spatial sizes padded with leading ones to three dimensions, so that one 3-D naive loop in
// a test covers 1-D, 2-D and 3-D cases.
inline std::vector<int64_t> to_3d(const std::vector<int64_t>& v, int64_t fill) {
  std::vector<int64_t> out(3 - v.size(), fill);
  out.insert(out.end(), v.begin(), v.end());
  return out;
}

}  // namespace pixlake::testing
