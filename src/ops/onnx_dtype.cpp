#include "ops/onnx_dtype.h"

namespace pixlake {
namespace {

struct OnnxTypeName {
  const char* name;
  int code;
};

// From onnx.proto, TensorProto.DataType: the types pixlake holds.
constexpr OnnxTypeName kOnnxTypeNames[] = {
    {"FLOAT", 1},   {"UINT8", 2},   {"INT8", 3},      {"UINT16", 4},   {"INT16", 5},
    {"INT32", 6},   {"INT64", 7},   {"BOOL", 9},      {"FLOAT16", 10}, {"DOUBLE", 11},
    {"UINT32", 12}, {"UINT64", 13}, {"BFLOAT16", 16},
};

}  // namespace

std::optional<int> onnx_type_code(std::string_view name) {
  for (const OnnxTypeName& t : kOnnxTypeNames) {
    if (name == t.name) return t.code;
  }
  return std::nullopt;
}

}  // namespace pixlake
