// libFuzzer target: arbitrary bytes as an ONNX model. Import (parser, checker, shape inference,
// graph conversion) and operator configuration must return a Status, never crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/executor.h"
#include "onnx/onnx_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  // External data would read files named by the input; keep the fuzzer inside a dead folder.
  // libonnx 1.12's shape inference (optional, third-party) crashes on malformed models in ways
  // pixlake cannot fix (docs/engine.md, Fuzzing); fuzz pixlake's own code on untrusted bytes,
  // as a server would load them.
  pixlake::ImportOptions import_options;
  import_options.infer_shapes = false;
  auto graph =
      pixlake::import_onnx_bytes(bytes, "fuzz.onnx", "/nonexistent-fuzz-dir", import_options);
  if (graph.is_ok()) {
    // Constant folding runs operators at load; keep what they may allocate under the fuzzer's
    // -malloc_limit_mb, as DecodeLimits does for the image target.
    pixlake::ExecutorOptions options;
    options.max_tensor_bytes = int64_t{256} << 20;
    auto executor = pixlake::Executor::create(std::move(graph).value(), options);
    (void)executor;
  }
  return 0;
}
