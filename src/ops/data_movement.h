// Helpers shared by the data-movement operators (Transpose, Slice, Expand, Tile, Pad, ...).
// They move elements as raw bytes of dtype_size(), so every dtype works, f16 bits included.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace pixlake {

// Fills the dense row-major `dst` of shape `out_shape`: the element at output index
// (i_0, ..., i_n) is read from element `src_offset + sum(i_k * src_strides[k])` of `src`.
// Strides may be 0 (broadcast) or negative (reversed slices). Elements are `elem_size` bytes.
void strided_copy(const void* src, int64_t src_offset, const std::vector<int64_t>& src_strides,
                  void* dst, const Shape& out_shape, size_t elem_size);

// Sets every element of `t` to the one element of `value`, which must have t's dtype.
void fill_with(Tensor& t, const Tensor& value);

// Reads a 1-D (or scalar) i64/i32 input such as Reshape's shape or Slice's starts.
Result<std::vector<int64_t>> read_int_input(const Tensor* t, const char* what);

// Normalises a list of possibly negative axes against `rank`, refusing duplicates.
Result<std::vector<int64_t>> normalize_axes(const std::vector<int64_t>& axes, int64_t rank);

}  // namespace pixlake
