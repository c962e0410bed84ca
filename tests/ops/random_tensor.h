// Deterministic pseudo-random float tensors for operator tests that compare against a naive
// loop written in the test.
#pragma once

#include <cstdint>
#include <vector>

#include "pixlake/tensor.h"

namespace pixlake::testing {

// n values in [-1, 1), the same for the same seed on every platform.
inline std::vector<float> random_values(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  uint32_t state = seed * 2654435761u + 12345u;
  for (float& x : v) {
    state = state * 1664525u + 1013904223u;
    x = static_cast<float>(state >> 8) / static_cast<float>(1u << 23) - 1.0f;
  }
  return v;
}

// Values in [-1, 1), the same for the same seed on every platform.
inline Tensor random_tensor(Shape shape, uint32_t seed) {
  const int64_t n = shape_numel(shape);
  return Tensor::from_vector<float>(std::move(shape), random_values(static_cast<size_t>(n), seed));
}

// Spatial sizes padded with leading ones to three dimensions, so that one 3-D naive loop in
// a test covers 1-D, 2-D and 3-D cases.
inline std::vector<int64_t> to_3d(const std::vector<int64_t>& v, int64_t fill) {
  std::vector<int64_t> out(3 - v.size(), fill);
  out.insert(out.end(), v.begin(), v.end());
  return out;
}

}  // namespace pixlake::testing
