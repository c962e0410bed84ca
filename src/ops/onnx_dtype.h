// The ONNX TensorProto.DataType names used by Cast before opset 6 ("FLOAT", "INT64", ...).
// The code-to-DType mapping itself is dtype_from_onnx() in onnx/tensor_proto.h, shared with
// the importer.
#pragma once

#include <optional>
#include <string_view>

namespace pixlake {

// "FLOAT" -> 1, "INT64" -> 7, ...; nullopt for names pixlake does not handle.
std::optional<int> onnx_type_code(std::string_view name);

}  // namespace pixlake
