#include "pixlake/tensor.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace pixlake {

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::kUndefined: return 0;
    case DType::kF32: return 4;
    case DType::kF16: return 2;
    case DType::kBF16: return 2;
    case DType::kF64: return 8;
    case DType::kI8: return 1;
    case DType::kU8: return 1;
    case DType::kI16: return 2;
    case DType::kU16: return 2;
    case DType::kI32: return 4;
    case DType::kU32: return 4;
    case DType::kI64: return 8;
    case DType::kU64: return 8;
    case DType::kBool: return 1;
  }
  return 0;
}

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::kUndefined: return "undefined";
    case DType::kF32: return "f32";
    case DType::kF16: return "f16";
    case DType::kBF16: return "bf16";
    case DType::kF64: return "f64";
    case DType::kI8: return "i8";
    case DType::kU8: return "u8";
    case DType::kI16: return "i16";
    case DType::kU16: return "u16";
    case DType::kI32: return "i32";
    case DType::kU32: return "u32";
    case DType::kI64: return "i64";
    case DType::kU64: return "u64";
    case DType::kBool: return "bool";
  }
  return "unknown";
}

bool dtype_is_float(DType dtype) {
  return dtype == DType::kF32 || dtype == DType::kF16 || dtype == DType::kBF16 ||
         dtype == DType::kF64;
}

int64_t shape_numel(const Shape& shape) {
  for (int64_t d : shape) {
    if (d == 0) return 0;
  }
  int64_t n = 1;
  for (int64_t d : shape) {
    if (__builtin_mul_overflow(n, d, &n)) return std::numeric_limits<int64_t>::max();
  }
  return n;
}

std::string shape_to_string(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::vector<int64_t> shape_strides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

Tensor::Tensor(DType dtype, Shape shape) : Tensor(uninitialized(dtype, std::move(shape))) {
  std::memset(data_, 0, nbytes());
}

Tensor Tensor::uninitialized(DType dtype, Shape shape) {
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.numel_ = shape_numel(t.shape_);
  // Callers check sizes coming from user data first (check_output_size, tensor_from_proto).
  PIXLAKE_ASSERT(t.numel_ >= 0 &&
                 t.numel_ <= std::numeric_limits<int64_t>::max() / 8 /
                                 std::max<int64_t>(1, static_cast<int64_t>(dtype_size(dtype))));
  // 64-byte alignment so kernels may use aligned vector loads; never a zero-size allocation.
  size_t bytes = (t.nbytes() + 63) / 64 * 64;
  if (bytes == 0) bytes = 64;
  // malloc and align by hand rather than aligned_alloc: glibc's memalign splits a chunk to
  // reach the alignment and leaves the pieces behind, and with activations of a hundred
  // different sizes allocated and freed on every run, the heap grew by megabytes per image
  // (ResNet-50: +15 MB a run; MobileNetV2 settled at 3x its first-run size).
  void* block = std::malloc(bytes + 64);
  PIXLAKE_ASSERT(block != nullptr);
  void* p = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(block) + 64) & ~uintptr_t{63});
  t.storage_ = std::shared_ptr<void>(block, std::free);
  t.data_ = p;
  return t;
}

Tensor Tensor::shape_only(DType dtype, Shape shape) {
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.numel_ = shape_numel(t.shape_);
  return t;
}

Tensor Tensor::reshaped(Shape shape) const {
  PIXLAKE_ASSERT(shape_numel(shape) == numel_);
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::clone() const {
  Tensor t(dtype_, shape_);
  if (nbytes()) std::memcpy(t.data_, data_, nbytes());
  return t;
}

namespace {

// Reads element i of any numeric tensor as a double (exact for every integer below 2^53).
double element_as_double(const Tensor& t, int64_t i) {
  const void* p = t.raw();
  switch (t.dtype()) {
    case DType::kF32: return static_cast<const float*>(p)[i];
    case DType::kF16: return f16_to_f32(static_cast<const uint16_t*>(p)[i]);
    case DType::kBF16: return bf16_to_f32(static_cast<const uint16_t*>(p)[i]);
    case DType::kF64: return static_cast<const double*>(p)[i];
    case DType::kI8: return static_cast<const int8_t*>(p)[i];
    case DType::kU8: return static_cast<const uint8_t*>(p)[i];
    case DType::kI16: return static_cast<const int16_t*>(p)[i];
    case DType::kU16: return static_cast<const uint16_t*>(p)[i];
    case DType::kI32: return static_cast<const int32_t*>(p)[i];
    case DType::kU32: return static_cast<const uint32_t*>(p)[i];
    case DType::kI64: return static_cast<double>(static_cast<const int64_t*>(p)[i]);
    case DType::kU64: return static_cast<double>(static_cast<const uint64_t*>(p)[i]);
    case DType::kBool: return static_cast<const uint8_t*>(p)[i] ? 1.0 : 0.0;
    case DType::kUndefined: break;
  }
  PIXLAKE_ASSERT(false);
  return 0;
}

// Saturating-free conversion of a finite double to an integer type (ONNX leaves
// out-of-range values undefined; we clamp so UBSan stays quiet).
template <typename T>
T double_to_int(double v) {
  if (std::isnan(v)) return 0;
  double lo = static_cast<double>(std::numeric_limits<T>::lowest());
  double hi = static_cast<double>(std::numeric_limits<T>::max());
  if (v <= lo) return std::numeric_limits<T>::lowest();
  if (v >= hi) return std::numeric_limits<T>::max();
  return static_cast<T>(v);
}

void store_element(Tensor& t, int64_t i, double v) {
  void* p = t.raw();
  switch (t.dtype()) {
    case DType::kF32: static_cast<float*>(p)[i] = static_cast<float>(v); return;
    case DType::kF16: static_cast<uint16_t*>(p)[i] = f32_to_f16(static_cast<float>(v)); return;
    case DType::kBF16: static_cast<uint16_t*>(p)[i] = f32_to_bf16(static_cast<float>(v)); return;
    case DType::kF64: static_cast<double*>(p)[i] = v; return;
    case DType::kI8: static_cast<int8_t*>(p)[i] = double_to_int<int8_t>(v); return;
    case DType::kU8: static_cast<uint8_t*>(p)[i] = double_to_int<uint8_t>(v); return;
    case DType::kI16: static_cast<int16_t*>(p)[i] = double_to_int<int16_t>(v); return;
    case DType::kU16: static_cast<uint16_t*>(p)[i] = double_to_int<uint16_t>(v); return;
    case DType::kI32: static_cast<int32_t*>(p)[i] = double_to_int<int32_t>(v); return;
    case DType::kU32: static_cast<uint32_t*>(p)[i] = double_to_int<uint32_t>(v); return;
    case DType::kI64: static_cast<int64_t*>(p)[i] = double_to_int<int64_t>(v); return;
    case DType::kU64: static_cast<uint64_t*>(p)[i] = double_to_int<uint64_t>(v); return;
    case DType::kBool: static_cast<uint8_t*>(p)[i] = v != 0.0; return;
    case DType::kUndefined: break;
  }
  PIXLAKE_ASSERT(false);
}

}  // namespace

std::vector<float> Tensor::to_floats() const {
  std::vector<float> out(static_cast<size_t>(numel_));
  if (dtype_ == DType::kF32) {
    if (numel_) std::memcpy(out.data(), data_, nbytes());
    return out;
  }
  for (int64_t i = 0; i < numel_; ++i) out[i] = static_cast<float>(element_as_double(*this, i));
  return out;
}

std::vector<int64_t> Tensor::to_ints() const {
  std::vector<int64_t> out(static_cast<size_t>(numel_));
  if (dtype_ == DType::kI64) {
    if (numel_) std::memcpy(out.data(), data_, nbytes());
    return out;
  }
  for (int64_t i = 0; i < numel_; ++i) out[i] = double_to_int<int64_t>(element_as_double(*this, i));
  return out;
}

std::string Tensor::describe() const {
  return std::string(dtype_name(dtype_)) + shape_to_string(shape_);
}

Tensor cast_tensor(const Tensor& src, DType to) {
  if (src.dtype() == to) return src;
  Tensor out(to, src.shape());
  // int64 <-> int64-like paths keep exactness by going through to_ints().
  if ((to == DType::kI64 || to == DType::kI32) && !dtype_is_float(src.dtype())) {
    std::vector<int64_t> v = src.to_ints();
    for (int64_t i = 0; i < src.numel(); ++i) store_element(out, i, static_cast<double>(v[i]));
    if (to == DType::kI64) std::memcpy(out.raw(), v.data(), out.nbytes());
    return out;
  }
  for (int64_t i = 0; i < src.numel(); ++i) store_element(out, i, element_as_double(src, i));
  return out;
}

float f16_to_f32(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exp = 127 - 15 + 1;
      while ((mant & 0x400) == 0) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3ff;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t f32_to_f16(float value) {
  uint32_t x;
  std::memcpy(&x, &value, 4);
  uint32_t sign = (x >> 16) & 0x8000;
  uint32_t abs = x & 0x7fffffff;
  if (abs >= 0x7f800000)
    return static_cast<uint16_t>(sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
  if (abs >= 0x477ff000) return static_cast<uint16_t>(sign | 0x7c00);  // overflow to inf
  if (abs < 0x38800000) {                                              // subnormal or zero in f16
    if (abs < 0x33000000) return static_cast<uint16_t>(sign);
    uint32_t exp = abs >> 23;
    uint32_t mant = (abs & 0x7fffff) | 0x800000;
    // An f16 subnormal is m * 2^-24, so m = mant * 2^(exp - 126): shift right by 126 - exp and
    // round to nearest even on the bits shifted out.
    uint32_t shift = 126 - exp;
    uint32_t result = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (result & 1))) ++result;
    return static_cast<uint16_t>(sign | result);
  }
  uint32_t result = ((abs - 0x38000000) >> 13);
  uint32_t rem = abs & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (result & 1))) ++result;
  return static_cast<uint16_t>(sign | result);
}

float bf16_to_f32(uint16_t bits) {
  uint32_t x = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

uint16_t f32_to_bf16(float value) {
  uint32_t x;
  std::memcpy(&x, &value, 4);
  if ((x & 0x7fffffff) > 0x7f800000) return static_cast<uint16_t>((x >> 16) | 0x40);  // NaN
  uint32_t rounding = 0x7fff + ((x >> 16) & 1);
  return static_cast<uint16_t>((x + rounding) >> 16);
}

}  // namespace pixlake
