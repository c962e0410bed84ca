// pixlake's inference engine: load an ONNX model, run it, read any named tensor.
//
//   auto engine = pixlake::Engine::load("mobilenetv2.onnx");
//   if (!engine.is_ok()) { puts(engine.status().message().c_str()); return 1; }
//   auto out = (*engine)->run({{"input", batch}}, {"output", "627"});
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pixlake/precision.h"
#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace pixlake {

struct TensorInfo {
  std::string name;
  DType dtype = DType::kUndefined;
  Shape shape;  // -1 for unknown or symbolic dimensions; empty when unknown rank
  bool has_shape = false;
  std::string producer;  // op_type of the node producing it; "input" / "constant"
};

// Scale and zero point of a quantised tensor, found from the QLinear* node that produced it.
struct QuantParams {
  std::vector<float> scale;  // one per tensor, or one per channel of `axis`
  std::vector<int32_t> zero_point;
  int64_t axis = 1;
};

struct EngineOptions {
  bool run_checker = true;  // refuse models the ONNX checker rejects
  // Run a statically quantised model (QuantizeLinear / QLinear* nodes) in float32: weights
  // dequantised at load, activations float with each quantised tensor's range kept and its
  // rounding dropped (src/graph/passes/dequantize.h). Tensor names stay the same.
  bool dequantize = false;
  Precision precision = Precision::kFp32;
  // Threads one run() may use inside operators (convolutions split their output columns).
  // 1: everything on the calling thread, which is what callers that run several engines or
  // batches in parallel want (the lake's ingest does).
  int threads = 1;
  // Run a batch one item at a time when the graph provably computes each item on its own
  // (src/graph/batch_split.h): activations stay the size of one image (faster, far less
  // memory), and with threads > 1 the pool shares out whole items. Outputs are identical.
  bool split_batch = true;
  // float32 3x3 stride-1 convolutions on maps of 13x13 and more use Winograd F(4x4, 3x3):
  // 4x fewer multiplications, rounding differences around 1e-6 of the output scale (see
  // docs/engine.md). false: every convolution is a direct product.
  bool winograd = true;
};

class Engine {
 public:
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Errors name the file and, for unsupported models, the node, op and attribute.
  static Result<std::unique_ptr<Engine>> load(const std::string& path,
                                              const EngineOptions& options = {});

  const std::vector<TensorInfo>& inputs() const;
  const std::vector<TensorInfo>& outputs() const;
  // Every tensor a caller may request, in execution order (inputs first).
  std::vector<TensorInfo> tensors() const;
  bool has_tensor(const std::string& name) const;
  int opset() const;

  // Runs the model. `outputs` may name any tensor (see tensors()).
  // 2 x the multiply-adds of the convolutions and matrix products (Conv, QLinearConv, Gemm,
  // MatMul, QLinearMatMul) for these feeds: runs the model once, keeping those outputs to read
  // their shapes (so it costs a run and that run's activations). Norms, activations, pooling
  // and adds are not counted, as in bench/inference.
  Result<double> count_flops(const std::vector<std::pair<std::string, Tensor>>& feeds) const;

  // Thread safety: run() may be called concurrently.
  Result<std::vector<Tensor>> run(const std::vector<std::pair<std::string, Tensor>>& feeds,
                                  const std::vector<std::string>& outputs) const;

  // Quantisation parameters of a u8/i8 tensor produced by a quantising node; nullopt otherwise.
  std::optional<QuantParams> quantization_of(const std::string& tensor) const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pixlake
