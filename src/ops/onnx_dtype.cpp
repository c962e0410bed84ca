#include "ops/onnx_dtype.h"

namespace pixlake {
namespace {

struct OnnxType {
  int code;
  const char* name;
  DType dtype;
};

// From onnx.proto, TensorProto.DataType.
constexpr OnnxType kOnnxTypes[] = {
    {1, "FLOAT", DType::kF32},      {2, "UINT8", DType::kU8},    {3, "INT8", DType::kI8},
    {4, "UINT16", DType::kU16},     {5, "INT16", DType::kI16},   {6, "INT32", DType::kI32},
    {7, "INT64", DType::kI64},      {9, "BOOL", DType::kBool},   {10, "FLOAT16", DType::kF16},
    {11, "DOUBLE", DType::kF64},    {12, "UINT32", DType::kU32}, {13, "UINT64", DType::kU64},
    {16, "BFLOAT16", DType::kBF16},
};

}  // namespace

std::optional<DType> dtype_from_onnx(int code) {
  for (const OnnxType& t : kOnnxTypes) {
    if (t.code == code) return t.dtype;
  }
  return std::nullopt;
}

std::optional<DType> dtype_from_onnx_name(std::string_view name) {
  for (const OnnxType& t : kOnnxTypes) {
    if (name == t.name) return t.dtype;
  }
  return std::nullopt;
}

}  // namespace pixlake
