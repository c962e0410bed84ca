#include "pixlake/engine.h"

#include <malloc.h>

#include <mutex>
#include <set>

#include "graph/executor.h"
#include "graph/passes/dequantize.h"
#include "onnx/onnx_importer.h"

namespace pixlake {

struct Engine::Impl {
  std::unique_ptr<Executor> executor;
  std::vector<TensorInfo> inputs;
  std::vector<TensorInfo> outputs;
};

namespace {

TensorInfo info_from_value(const ValueInfo& v, const std::string& producer) {
  return TensorInfo{v.name, v.dtype, v.dims, v.has_shape, producer};
}

// Which inputs of a quantising node hold the scale and zero point of its output.
std::optional<std::pair<size_t, size_t>> output_quant_inputs(const std::string& op_type) {
  if (op_type == "QuantizeLinear") return std::make_pair(1, 2);
  if (op_type == "QLinearConv" || op_type == "QLinearMatMul" || op_type == "QLinearAdd" ||
      op_type == "QLinearMul") {
    return std::make_pair(6, 7);
  }
  if (op_type == "QLinearGlobalAveragePool") return std::make_pair(3, 4);
  return std::nullopt;
}

// Operators that move quantised values without changing their scale.
bool preserves_quantization(const std::string& op_type) {
  static const std::set<std::string> kOps = {"Reshape",   "Flatten",  "Squeeze", "Unsqueeze",
                                             "Transpose", "Identity", "MaxPool"};
  return kOps.count(op_type) != 0;
}

// Every run allocates and frees the same few-megabyte activations. glibc serves blocks that
// large with mmap and gives them back on free (or trims the heap top), so each layer of each
// image paid fresh page faults and zeroing in the kernel: 15% of an embedding run in profiles.
// Keeping such blocks on the heap makes the second image reuse the first one's pages. Set
// once per process, on the first model load.
void keep_activation_memory() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
  });
}

}  // namespace

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::load(const std::string& path,
                                             const EngineOptions& options) {
  keep_activation_memory();
  ImportOptions import_options;
  import_options.run_checker = options.run_checker;
  PIXLAKE_ASSIGN_OR_RETURN(Graph graph, import_onnx_file(path, import_options));
  if (options.dequantize) {
    Status status = dequantize_graph(graph);
    if (!status.is_ok()) return status.with_context("model '" + path + "'");
  }
  ExecutorOptions executor_options;
  executor_options.precision = options.precision;
  executor_options.threads = options.threads;
  auto executor = Executor::create(std::move(graph), executor_options);
  if (!executor.is_ok()) return executor.status().with_context("model '" + path + "'");
  auto impl = std::make_unique<Impl>();
  impl->executor = std::move(executor).value();
  for (const ValueInfo& v : impl->executor->graph().inputs)
    impl->inputs.push_back(info_from_value(v, "input"));
  for (const ValueInfo& v : impl->executor->graph().outputs)
    impl->outputs.push_back(info_from_value(v, "output"));
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

const std::vector<TensorInfo>& Engine::inputs() const { return impl_->inputs; }
const std::vector<TensorInfo>& Engine::outputs() const { return impl_->outputs; }
int Engine::opset() const { return impl_->executor->graph().opset; }
bool Engine::has_tensor(const std::string& name) const { return impl_->executor->has_tensor(name); }

std::vector<TensorInfo> Engine::tensors() const {
  const Graph& g = impl_->executor->graph();
  std::vector<TensorInfo> out = impl_->inputs;
  for (const Node& node : g.nodes) {
    for (const std::string& name : node.outputs) {
      if (name.empty()) continue;
      auto it = g.value_info.find(name);
      TensorInfo info;
      if (it != g.value_info.end()) {
        info = info_from_value(it->second, node.op_type);
      } else {
        info.name = name;
        info.producer = node.op_type;
        for (const ValueInfo& o : g.outputs) {
          if (o.name == name) info = info_from_value(o, node.op_type);
        }
      }
      out.push_back(info);
    }
  }
  return out;
}

Result<std::vector<Tensor>> Engine::run(const std::vector<std::pair<std::string, Tensor>>& feeds,
                                        const std::vector<std::string>& outputs) const {
  return impl_->executor->run(feeds, outputs);
}

std::optional<QuantParams> Engine::quantization_of(const std::string& tensor) const {
  const Graph& g = impl_->executor->graph();
  std::string name = tensor;
  // Follow scale-preserving nodes back to the quantising node (bounded by graph size).
  for (size_t hop = 0; hop <= g.nodes.size(); ++hop) {
    const Node* producer = nullptr;
    for (const Node& node : g.nodes) {
      for (const std::string& out : node.outputs) {
        if (out == name) producer = &node;
      }
    }
    if (!producer) return std::nullopt;
    if (preserves_quantization(producer->op_type) && !producer->inputs.empty()) {
      name = producer->inputs[0];
      continue;
    }
    auto slots = output_quant_inputs(producer->op_type);
    if (!slots || producer->inputs.size() <= slots->first) return std::nullopt;
    auto scale = g.constants.find(producer->inputs[slots->first]);
    if (scale == g.constants.end()) return std::nullopt;
    QuantParams params;
    params.scale = scale->second.to_floats();
    params.zero_point.assign(params.scale.size(), 0);
    if (producer->inputs.size() > slots->second) {
      auto zp = g.constants.find(producer->inputs[slots->second]);
      if (zp != g.constants.end()) {
        std::vector<int64_t> z = zp->second.to_ints();
        params.zero_point.assign(z.begin(), z.end());
      }
    }
    params.axis = producer->op_type == "QuantizeLinear" ? producer->attrs.get_int("axis", 1) : 1;
    return params;
  }
  return std::nullopt;
}

}  // namespace pixlake
