// ONNX model file -> pixlake Graph. Uses libonnx for parsing, the checker and shape inference;
// never calls kernels.
#pragma once

#include <string>

#include "graph/graph.h"
#include "pixlake/status.h"

namespace pixlake {

// Memory on hostile files: the file (or byte string) is refused over max_file_bytes before
// protobuf parses it, so the parsed message is bounded by that size; every tensor (initializer
// or TENSOR attribute) is allocated only after its declared dtype x dims has been checked
// against the bytes or values the file actually holds for it (external data: against the
// length it declares inside its data file). A few bytes of header cannot make the importer
// allocate gigabytes.
struct ImportOptions {
  // Refuse model files larger than this before parsing (protobuf's own limit is 2 GiB).
  int64_t max_file_bytes = int64_t{2} << 30;
  // Run ONNX's model checker and refuse models it rejects.
  bool run_checker = true;
  // Run libonnx shape inference, which only adds the types of intermediate tensors (listed by
  // `pixlake models`). libonnx 1.12's inference is not hardened: on malformed models it has
  // crashed the process (SEGV on a Gemm-6 with a rank-1 input, found by fuzz_onnx_import) where
  // no catch can help. Turn it off for models from untrusted sources.
  bool infer_shapes = true;
  // The file the bytes came from, if any (set by import_onnx_file): lets the checker find
  // external data files.
  std::string file_path;
};

// Loads and validates a model. Errors name the file, and the node / op / attribute at fault:
//   "model 'x.onnx': node 'conv_12' (Foo): operator Foo is not supported"
Result<Graph> import_onnx_file(const std::string& path, const ImportOptions& options = {});
Result<Graph> import_onnx_bytes(const std::string& bytes, const std::string& name,
                                const std::string& model_dir, const ImportOptions& options = {});

}  // namespace pixlake
