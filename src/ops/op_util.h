// Small helpers shared by operator implementations: argument checks, axis handling and
// NumPy-style broadcasting.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace pixlake {

// "input 0 must be f32, got i64[2,3]"
Status expect_dtype(const Tensor* t, DType dtype, const char* what);
// Requires the input to be present (not an omitted optional input).
Status expect_present(const Tensor* t, const char* what);
// Maps a possibly negative axis into [0, rank); error names the axis.
Result<int64_t> normalize_axis(int64_t axis, int64_t rank);

// Refuses an output of `shape` over `max_bytes` (OpSetup::max_tensor_bytes) before it is
// allocated, and any shape whose element count overflows. Zero dimensions count as 1, so an
// empty tensor cannot carry dimensions whose partial products overflow. Operators whose output size
// comes from the *values* of an input or attribute (ConstantOfShape, Expand, Tile, Reshape) call
// it: there a few bytes of model can ask for terabytes. "output f32[100000,100000] (40000000000
// bytes) exceeds the limit of 17179869184 bytes".
Status check_output_size(const Shape& shape, DType dtype, int64_t max_bytes);

// Multidirectional (NumPy) broadcasting of any number of shapes.
Result<Shape> broadcast_shapes(const std::vector<Shape>& shapes);

// Walks the elements of a broadcast output and yields, for each, the matching element offset
// of every input. Reference implementations use it as:
//   BroadcastIterator it(out_shape, {a.shape(), b.shape()});
//   for (int64_t i = 0; i < n; ++i, it.next()) out[i] = a[it.offset(0)] + b[it.offset(1)];
class BroadcastIterator {
 public:
  BroadcastIterator(const Shape& out_shape, const std::vector<Shape>& in_shapes);
  int64_t offset(size_t input) const { return offsets_[input]; }
  void next();

 private:
  Shape out_shape_;
  std::vector<int64_t> index_;                 // current multi-index in the output
  std::vector<std::vector<int64_t>> strides_;  // per input, 0 where broadcast, right-aligned
  std::vector<int64_t> offsets_;
};

// Sum of f(v[i]) over n values in 16 interleaved float partial sums (which the compiler turns
// into vector adds; one running sum cannot be reordered), combined in double.
template <typename F>
double partial_sums(const float* v, int64_t n, F f) {
  constexpr int kLanes = 16;
  float lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int lane = 0; lane < kLanes; ++lane) lanes[lane] += f(v[i + lane]);
  }
  double total = 0.0;
  for (; i < n; ++i) total += f(v[i]);
  for (float lane : lanes) total += lane;
  return total;
}

}  // namespace pixlake
