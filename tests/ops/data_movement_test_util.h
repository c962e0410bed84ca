// Helpers for the data-movement operator tests: run an operator expecting success, and compare
// a tensor's dtype, shape and exact element bits.
#pragma once

#include <cstring>

#include "op_test_util.h"

namespace pixlake::testing {

// Runs the operator; on failure records the error and returns undefined tensors.
inline std::vector<Tensor> run_ok(const OpRun& run) {
  auto out = run_op(run);
  EXPECT_TRUE(out.is_ok()) << out.status().message();
  if (!out.is_ok()) return std::vector<Tensor>(run.n_outputs);
  return out.value();
}

// The status message of a run expected to fail ("" if it unexpectedly succeeded).
inline std::string run_error(const OpRun& run) {
  auto out = run_op(run);
  EXPECT_FALSE(out.is_ok());
  return out.is_ok() ? "" : out.status().message();
}

template <typename T>
void expect_tensor(const Tensor& actual, DType dtype, const Shape& shape,
                   const std::vector<T>& values) {
  ASSERT_EQ(dtype_name(actual.dtype()), std::string(dtype_name(dtype)));
  ASSERT_EQ(shape_to_string(actual.shape()), shape_to_string(shape));
  ASSERT_EQ(static_cast<size_t>(actual.numel()), values.size());
  ASSERT_EQ(sizeof(T), dtype_size(dtype));
  for (size_t i = 0; i < values.size(); ++i) {
    T a;
    std::memcpy(&a, static_cast<const uint8_t*>(actual.raw()) + i * sizeof(T), sizeof(T));
    ASSERT_EQ(a, values[i]) << "at element " << i;
  }
}

template <typename T>
void expect_tensor(const Tensor& actual, const Shape& shape, const std::vector<T>& values) {
  expect_tensor<T>(actual, dtype_of<T>(), shape, values);
}

// 0, 1, 2, ... in the given dtype and shape.
template <typename T>
Tensor iota(Shape shape) {
  std::vector<T> v(static_cast<size_t>(shape_numel(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<T>(i);
  return Tensor::from_vector<T>(std::move(shape), v);
}

inline Tensor ints(std::vector<int64_t> v) {
  return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v);
}

}  // namespace pixlake::testing
