// Tensor: a dtype, a shape and a reference-counted, 64-byte aligned buffer.
// Copies share the buffer (like a view); use clone() for a deep copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

// Element types. The numbering is pixlake's own; the ONNX importer maps ONNX codes to it.
enum class DType : uint8_t {
  kUndefined,
  kF32,
  kF16,
  kBF16,
  kF64,
  kI8,
  kU8,
  kI16,
  kU16,
  kI32,
  kU32,
  kI64,
  kU64,
  kBool,
};

size_t dtype_size(DType dtype);
const char* dtype_name(DType dtype);
bool dtype_is_float(DType dtype);

template <typename T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() {
  return DType::kF32;
}
template <>
constexpr DType dtype_of<double>() {
  return DType::kF64;
}
template <>
constexpr DType dtype_of<int8_t>() {
  return DType::kI8;
}
template <>
constexpr DType dtype_of<uint8_t>() {
  return DType::kU8;
}
template <>
constexpr DType dtype_of<int16_t>() {
  return DType::kI16;
}
template <>
constexpr DType dtype_of<uint16_t>() {
  return DType::kU16;
}
template <>
constexpr DType dtype_of<int32_t>() {
  return DType::kI32;
}
template <>
constexpr DType dtype_of<uint32_t>() {
  return DType::kU32;
}
template <>
constexpr DType dtype_of<int64_t>() {
  return DType::kI64;
}
template <>
constexpr DType dtype_of<uint64_t>() {
  return DType::kU64;
}
template <>
constexpr DType dtype_of<bool>() {
  return DType::kBool;
}

using Shape = std::vector<int64_t>;

// The element count. A product that overflows int64 saturates to INT64_MAX (no shape holds
// that many elements, so a comparison with a real count fails) instead of wrapping (UB): shapes
// come from model files. A zero dimension gives 0 whatever the others are.
int64_t shape_numel(const Shape& shape);
std::string shape_to_string(const Shape& shape);  // "[1,3,224,224]"
// Row-major strides in elements.
std::vector<int64_t> shape_strides(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;
  // Allocates a zero-filled tensor.
  Tensor(DType dtype, Shape shape);
  // Allocates without filling, for kernels that write every element: zero-filling a large
  // output first costs a pass over memory (and, for fresh pages, the page faults) for nothing.
  static Tensor uninitialized(DType dtype, Shape shape);
  // A tensor with a type and shape but no values (data() refuses): what an engine keeps of a
  // weight whose operator holds a prepared copy.
  static Tensor shape_only(DType dtype, Shape shape);
  bool has_values() const { return data_ != nullptr || numel_ == 0; }

  // Builds a tensor from values (copied).
  template <typename T>
  static Tensor from_vector(Shape shape, const std::vector<T>& values) {
    Tensor t(dtype_of<T>(), std::move(shape));
    PIXLAKE_ASSERT(static_cast<size_t>(t.numel()) == values.size());
    for (size_t i = 0; i < values.size(); ++i) t.data<T>()[i] = values[i];
    return t;
  }
  template <typename T>
  static Tensor scalar(T value) {
    return from_vector<T>({}, {value});
  }

  bool defined() const { return dtype_ != DType::kUndefined; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t dim(int64_t axis) const { return shape_[static_cast<size_t>(axis)]; }
  int64_t numel() const { return numel_; }
  size_t nbytes() const { return static_cast<size_t>(numel_) * dtype_size(dtype_); }

  void* raw() { return data_; }
  const void* raw() const { return data_; }
  template <typename T>
  T* data() {
    PIXLAKE_ASSERT(dtype_ == dtype_of<T>() && has_values());
    return static_cast<T*>(data_);
  }
  template <typename T>
  const T* data() const {
    PIXLAKE_ASSERT(dtype_ == dtype_of<T>() && has_values());
    return static_cast<const T*>(data_);
  }
  // float16 / bfloat16 storage, which has no C++ type of its own.
  uint16_t* data_u16_bits() { return static_cast<uint16_t*>(data_); }
  const uint16_t* data_u16_bits() const { return static_cast<const uint16_t*>(data_); }

  // Same buffer, new shape with the same number of elements.
  Tensor reshaped(Shape shape) const;
  Tensor clone() const;
  // Elements converted to float32 / int64 (any numeric dtype), for attributes and small tensors.
  std::vector<float> to_floats() const;
  std::vector<int64_t> to_ints() const;

  std::string describe() const;  // "f32[1,3,224,224]"

 private:
  DType dtype_ = DType::kUndefined;
  Shape shape_;
  int64_t numel_ = 0;
  std::shared_ptr<void> storage_;
  void* data_ = nullptr;
};

// Converts between dtypes (ONNX Cast semantics: float to int truncates toward zero,
// anything to bool is "!= 0").
Tensor cast_tensor(const Tensor& src, DType to);

float f16_to_f32(uint16_t bits);
uint16_t f32_to_f16(float value);  // round to nearest even
float bf16_to_f32(uint16_t bits);
uint16_t f32_to_bf16(float value);  // round to nearest even

}  // namespace pixlake
