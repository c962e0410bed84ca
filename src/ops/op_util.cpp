#include "ops/op_util.h"

#include <algorithm>
#include <limits>

namespace pixlake {

Status expect_dtype(const Tensor* t, DType dtype, const char* what) {
  PIXLAKE_RETURN_IF_ERROR(expect_present(t, what));
  if (t->dtype() != dtype) {
    return unsupported(std::string(what) + " must be " + dtype_name(dtype) + ", got " +
                       t->describe());
  }
  return Status::ok();
}

Status check_output_size(const Shape& shape, DType dtype, int64_t max_bytes) {
  for (int64_t d : shape) {
    if (d < 0) return invalid_argument("output shape " + shape_to_string(shape) + " is negative");
  }
  // Zero dimensions count as 1: an empty f32[0,2^62,2^62] would pass on its element count, yet
  // every operator that multiplies a subset of its dimensions would overflow (found by
  // fuzz_onnx_import: Reshape to [huge, 115, 0], then Softmax).
  Shape claimed = shape;
  for (int64_t& d : claimed) d = std::max<int64_t>(d, 1);
  const int64_t numel = shape_numel(claimed);  // saturates at INT64_MAX instead of overflowing
  int64_t bytes = 0;
  const bool overflow =
      numel == std::numeric_limits<int64_t>::max() ||
      __builtin_mul_overflow(numel, static_cast<int64_t>(dtype_size(dtype)), &bytes);
  if (overflow || bytes > max_bytes) {
    return invalid_argument("output " + std::string(dtype_name(dtype)) + shape_to_string(shape) +
                            (overflow ? "" : " (" + std::to_string(bytes) + " bytes)") +
                            " exceeds the limit of " + std::to_string(max_bytes) + " bytes");
  }
  return Status::ok();
}

Status expect_present(const Tensor* t, const char* what) {
  if (t == nullptr || !t->defined()) return invalid_argument(std::string(what) + " is missing");
  return Status::ok();
}

Result<int64_t> normalize_axis(int64_t axis, int64_t rank) {
  int64_t lo = rank == 0 ? -1 : -rank;
  int64_t hi = rank == 0 ? 0 : rank - 1;
  if (axis < lo || axis > hi) {
    return invalid_argument("axis " + std::to_string(axis) + " is out of range for rank " +
                            std::to_string(rank));
  }
  return axis < 0 ? axis + std::max<int64_t>(rank, 1) : axis;
}

Result<Shape> broadcast_shapes(const std::vector<Shape>& shapes) {
  size_t rank = 0;
  for (const Shape& s : shapes) rank = std::max(rank, s.size());
  Shape out(rank, 1);
  for (const Shape& s : shapes) {
    size_t offset = rank - s.size();
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t d = s[i];
      int64_t& o = out[offset + i];
      if (d == o || d == 1) continue;
      if (o == 1) {
        o = d;
        continue;
      }
      std::string msg = "shapes cannot be broadcast:";
      for (const Shape& t : shapes) msg += " " + shape_to_string(t);
      return invalid_argument(msg);
    }
  }
  return out;
}

BroadcastIterator::BroadcastIterator(const Shape& out_shape, const std::vector<Shape>& in_shapes)
    : out_shape_(out_shape), index_(out_shape.size(), 0), offsets_(in_shapes.size(), 0) {
  size_t rank = out_shape.size();
  for (const Shape& s : in_shapes) {
    std::vector<int64_t> strides(rank, 0);
    std::vector<int64_t> own = shape_strides(s);
    size_t offset = rank - s.size();
    for (size_t i = 0; i < s.size(); ++i) strides[offset + i] = s[i] == 1 ? 0 : own[i];
    strides_.push_back(std::move(strides));
  }
}

void BroadcastIterator::next() {
  for (size_t axis = out_shape_.size(); axis-- > 0;) {
    ++index_[axis];
    for (size_t in = 0; in < strides_.size(); ++in) offsets_[in] += strides_[in][axis];
    if (index_[axis] < out_shape_[axis]) return;
    for (size_t in = 0; in < strides_.size(); ++in) {
      offsets_[in] -= strides_[in][axis] * out_shape_[axis];
    }
    index_[axis] = 0;
  }
}

}  // namespace pixlake
