// The operator interface. An operator is created once per graph node, configured from the
// node's attributes by init(), then run() any number of times. Output shapes are computed
// in run() from the actual inputs, so dynamic shapes (Shape -> Reshape) just work.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ops/attributes.h"
#include "pixlake/precision.h"
#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace pixlake {

class ThreadPool;

// What an operator may look at while it is being configured.
struct OpSetup {
  std::string node_name;
  std::string op_type;
  int opset = 0;  // opset version of the default ONNX domain the model imports
  Attributes attrs;
  size_t n_inputs = 0;   // as written in the node, omitted optional inputs included
  size_t n_outputs = 0;  // as written in the node
  // Inputs whose value is known at load time (initializers, Constant outputs); nullptr otherwise.
  std::vector<const Tensor*> constants;
  // The largest output an operator may create when its size comes from input values or
  // attributes (see check_output_size); ExecutorOptions::max_tensor_bytes.
  int64_t max_tensor_bytes = int64_t{16} << 30;
  Precision precision = Precision::kFp32;  // float layers may run in bf16 (pixlake/precision.h)
  // The engine's intra-op threads (EngineOptions::threads); nullptr: run on the calling thread.
  ThreadPool* pool = nullptr;
  // 3x3 convolutions may use Winograd F(4x4, 3x3) (EngineOptions::winograd).
  bool winograd = true;
};

class Op {
 public:
  virtual ~Op() = default;
  // Reads attributes (ONNX defaults) and refuses values it does not support, with a message
  // naming the attribute: "auto_pad=SAME_LOWER is not supported". Attributes never read are
  // refused by the caller.
  virtual Status init(const OpSetup& setup) = 0;
  // Computes every output. inputs[i] is nullptr for an omitted optional input. Errors name
  // the offending input or shape; the caller prefixes the node name and op type.
  virtual Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) = 0;

  // For operators that can clamp their output in the same pass (Conv followed by Relu or
  // Clip): a configured copy that computes min(max(y, lo), hi) instead of y; nullptr when
  // the operator cannot. The executor decides when fusing is allowed (see executor.h).
  virtual std::unique_ptr<Op> fused_with_clamp(float lo, float hi) const {
    (void)lo;
    (void)hi;
    return nullptr;
  }

  // For operators that can add a bias row in the same pass (MatMul against constant weights
  // followed by Add of a constant [n]): a configured copy that computes y + bias; nullptr when
  // the operator cannot. Planned by the executor like fused_with_clamp.
  virtual std::unique_ptr<Op> fused_with_bias(const Tensor& bias) const {
    (void)bias;
    return nullptr;
  }

  // True when init() made its own prepared copy of constant input `input` (packed weights)
  // and run() reads only that input's shape: the executor may then drop the original's
  // values (when no other node reads them), so the weights are not held twice.
  virtual bool keeps_own_copy_of_input(size_t input) const {
    (void)input;
    return false;
  }
};

}  // namespace pixlake
