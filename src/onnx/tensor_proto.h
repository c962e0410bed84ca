// ONNX TensorProto <-> pixlake Tensor, including external data files.
#pragma once

#include <optional>
#include <string>

#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace onnx {
class TensorProto;
}

namespace pixlake {

// Decodes a TensorProto. `model_dir` resolves external data locations; they must stay inside
// it. `what` names the tensor in error messages.
Result<Tensor> tensor_from_proto(const onnx::TensorProto& proto, const std::string& model_dir);

// Reads a serialised TensorProto file (the ONNX test suite's input_0.pb / output_0.pb).
Result<Tensor> read_tensor_proto_file(const std::string& path);

}  // namespace pixlake
