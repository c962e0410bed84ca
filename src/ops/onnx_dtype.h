// Mapping between ONNX TensorProto element-type codes / names and pixlake's DType. Shared by
// the Cast operator and the ONNX importer.
#pragma once

#include <optional>
#include <string_view>

#include "pixlake/tensor.h"

namespace pixlake {

// ONNX TensorProto.DataType code (FLOAT=1, UINT8=2, ... BFLOAT16=16) to DType; nullopt for codes
// pixlake does not handle (STRING, COMPLEX*, FLOAT8*, INT4, ...).
std::optional<DType> dtype_from_onnx(int code);
// The name form used by Cast before opset 6: "FLOAT", "INT64", "FLOAT16", ...
std::optional<DType> dtype_from_onnx_name(std::string_view name);

}  // namespace pixlake
