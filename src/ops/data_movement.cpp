#include "ops/data_movement.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "ops/op_util.h"

namespace pixlake {
namespace {

// The copy loop for one element width: an odometer over every axis but the last, then a tight
// loop along the last axis (a memcpy when that axis is contiguous).
template <typename T>
void strided_copy_typed(const T* src, int64_t src_offset, const std::vector<int64_t>& strides,
                        T* dst, const Shape& shape) {
  const size_t rank = shape.size();
  if (shape_numel(shape) == 0) return;
  if (rank == 0) {
    dst[0] = src[src_offset];
    return;
  }
  const int64_t n_inner = shape[rank - 1];
  const int64_t inner_stride = strides[rank - 1];
  std::vector<int64_t> index(rank - 1, 0);
  int64_t offset = src_offset;
  const int64_t n_rows = shape_numel(shape) / n_inner;
  for (int64_t row = 0; row < n_rows; ++row) {
    if (inner_stride == 1) {
      std::memcpy(dst, src + offset, static_cast<size_t>(n_inner) * sizeof(T));
    } else {
      for (int64_t i = 0; i < n_inner; ++i) dst[i] = src[offset + i * inner_stride];
    }
    dst += n_inner;
    for (size_t axis = rank - 1; axis-- > 0;) {
      ++index[axis];
      offset += strides[axis];
      if (index[axis] < shape[axis]) break;
      offset -= strides[axis] * shape[axis];
      index[axis] = 0;
    }
  }
}

}  // namespace

void strided_copy(const void* src, int64_t src_offset, const std::vector<int64_t>& src_strides,
                  void* dst, const Shape& out_shape, size_t elem_size) {
  PIXLAKE_ASSERT(src_strides.size() == out_shape.size());
  switch (elem_size) {
    case 1:
      return strided_copy_typed(static_cast<const uint8_t*>(src), src_offset, src_strides,
                                static_cast<uint8_t*>(dst), out_shape);
    case 2:
      return strided_copy_typed(static_cast<const uint16_t*>(src), src_offset, src_strides,
                                static_cast<uint16_t*>(dst), out_shape);
    case 4:
      return strided_copy_typed(static_cast<const uint32_t*>(src), src_offset, src_strides,
                                static_cast<uint32_t*>(dst), out_shape);
    case 8:
      return strided_copy_typed(static_cast<const uint64_t*>(src), src_offset, src_strides,
                                static_cast<uint64_t*>(dst), out_shape);
  }
  PIXLAKE_ASSERT(false);
}

namespace {
template <typename T>
void fill_typed(void* dst, const void* value, int64_t n) {
  T v;
  std::memcpy(&v, value, sizeof(T));
  std::fill_n(static_cast<T*>(dst), n, v);
}
}  // namespace

void fill_with(Tensor& t, const Tensor& value) {
  PIXLAKE_ASSERT(value.dtype() == t.dtype() && value.numel() == 1);
  // A plain fill: ConstantOfShape generates whole weight tensors this way at load (the light
  // networks: 150 MB for one Gemm weight), where a stride-0 element copy took seconds.
  switch (dtype_size(t.dtype())) {
    case 1: return fill_typed<uint8_t>(t.raw(), value.raw(), t.numel());
    case 2: return fill_typed<uint16_t>(t.raw(), value.raw(), t.numel());
    case 4: return fill_typed<uint32_t>(t.raw(), value.raw(), t.numel());
    case 8: return fill_typed<uint64_t>(t.raw(), value.raw(), t.numel());
  }
  PIXLAKE_ASSERT(false);
}

Result<std::vector<int64_t>> read_int_input(const Tensor* t, const char* what) {
  PIXLAKE_RETURN_IF_ERROR(expect_present(t, what));
  if (t->dtype() != DType::kI64 && t->dtype() != DType::kI32) {
    return invalid_argument(std::string(what) + " must be i64 or i32, got " + t->describe());
  }
  if (t->rank() > 1) {
    return invalid_argument(std::string(what) + " must be 1-D, got " + t->describe());
  }
  return t->to_ints();
}

Result<std::vector<int64_t>> normalize_axes(const std::vector<int64_t>& axes, int64_t rank) {
  std::vector<int64_t> out;
  std::vector<bool> seen(static_cast<size_t>(std::max<int64_t>(rank, 1)), false);
  for (int64_t axis : axes) {
    PIXLAKE_ASSIGN_OR_RETURN(int64_t a, normalize_axis(axis, rank));
    if (seen[static_cast<size_t>(a)]) {
      return invalid_argument("axis " + std::to_string(axis) + " is repeated");
    }
    seen[static_cast<size_t>(a)] = true;
    out.push_back(a);
  }
  return out;
}

}  // namespace pixlake
