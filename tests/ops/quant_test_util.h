// Helpers for the quantised-operator tests: deterministic random quantised tensors and the
// float reference quantiser (round half to even, saturate) that the naive references use.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "pixlake/tensor.h"

namespace pixlake::testing {

inline int32_t qmin(DType dtype) { return dtype == DType::kI8 ? -128 : 0; }
inline int32_t qmax(DType dtype) { return dtype == DType::kI8 ? 127 : 255; }

// A u8 or i8 tensor of uniformly random values over the whole range.
inline Tensor random_quantized(DType dtype, Shape shape, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> dist(qmin(dtype), qmax(dtype));
  Tensor t(dtype, std::move(shape));
  for (int64_t i = 0; i < t.numel(); ++i) {
    if (dtype == DType::kU8) {
      t.data<uint8_t>()[i] = static_cast<uint8_t>(dist(rng));
    } else {
      t.data<int8_t>()[i] = static_cast<int8_t>(dist(rng));
    }
  }
  return t;
}

// A zero-point tensor (scalar when values has one element, else 1-D).
inline Tensor zero_point_tensor(DType dtype, const std::vector<int32_t>& values) {
  Shape shape = values.size() == 1 ? Shape{} : Shape{static_cast<int64_t>(values.size())};
  Tensor t(dtype, shape);
  for (size_t i = 0; i < values.size(); ++i) {
    if (dtype == DType::kU8) {
      t.data<uint8_t>()[i] = static_cast<uint8_t>(values[i]);
    } else {
      t.data<int8_t>()[i] = static_cast<int8_t>(values[i]);
    }
  }
  return t;
}

inline Tensor scale_tensor(const std::vector<float>& values) {
  Shape shape = values.size() == 1 ? Shape{} : Shape{static_cast<int64_t>(values.size())};
  return Tensor::from_vector<float>(shape, values);
}

// The ONNX definition, evaluated in double: saturate(round_half_even(value / scale) + zp).
inline int32_t reference_quantize(double value, double scale, int32_t zero_point, DType dtype) {
  double q = std::nearbyint(value / scale) + zero_point;
  return static_cast<int32_t>(std::fmin(std::fmax(q, qmin(dtype)), qmax(dtype)));
}

// Compares a quantised result with a reference computed in double: values may differ by one step
// where the real value sits within float rounding of a .5 tie, which must stay rare.
inline void expect_quantized_near(const Tensor& actual, const std::vector<int32_t>& expected,
                                  double max_off_by_one_fraction = 0.01) {
  std::vector<int64_t> got = actual.to_ints();
  ASSERT_EQ(got.size(), expected.size());
  size_t off_by_one = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    int64_t diff = std::abs(got[i] - expected[i]);
    ASSERT_LE(diff, 1) << "at element " << i << ": got " << got[i] << ", expected " << expected[i];
    off_by_one += diff;
  }
  EXPECT_LE(static_cast<double>(off_by_one), max_off_by_one_fraction * got.size() + 0.5)
      << off_by_one << " of " << got.size() << " elements are one step off";
}

}  // namespace pixlake::testing
