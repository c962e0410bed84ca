#include "pixlake/engine.h"

#include <malloc.h>

#include <cstring>
#include <map>
#include <mutex>
#include <set>

#include "graph/batch_split.h"
#include "graph/executor.h"
#include "graph/passes/dequantize.h"
#include "graph/passes/fuse_gelu.h"
#include "onnx/onnx_importer.h"

namespace pixlake {

struct Engine::Impl {
  std::unique_ptr<Executor> executor;
  bool split_batch = true;
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

// While a model loads, blocks of a megabyte and more are mapped on their own: the protobuf's
// copy of each weight is freed as its tensor is made, and a mapped block goes straight back to
// the system, where on the heap it left a hole the slightly larger tensor could not reuse
// (ViT-B/16's load peaked at 1.8x its weights). Restores the activation policy at the end.
class LoadMemoryPolicy {
 public:
  LoadMemoryPolicy() { mallopt(M_MMAP_THRESHOLD, 1 << 20); }
  ~LoadMemoryPolicy() {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    // Hand back what the load freed inside the heap (prepared copies replaced originals).
    malloc_trim(0);
  }
};

}  // namespace

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::load(const std::string& path,
                                             const EngineOptions& options) {
  keep_activation_memory();
  LoadMemoryPolicy load_policy;
  ImportOptions import_options;
  import_options.run_checker = options.run_checker;
  PIXLAKE_ASSIGN_OR_RETURN(Graph graph, import_onnx_file(path, import_options));
  if (options.dequantize) {
    Status status = dequantize_graph(graph);
    if (!status.is_ok()) return status.with_context("model '" + path + "'");
  }
  fuse_gelu(graph);
  ExecutorOptions executor_options;
  executor_options.precision = options.precision;
  executor_options.threads = options.threads;
  executor_options.winograd = options.winograd;
  auto executor = Executor::create(std::move(graph), executor_options);
  if (!executor.is_ok()) return executor.status().with_context("model '" + path + "'");
  auto impl = std::make_unique<Impl>();
  impl->executor = std::move(executor).value();
  impl->split_batch = options.split_batch;
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

namespace {

// Item `item` of a batch, as a batch of one.
Tensor batch_item(const Tensor& x, int64_t item) {
  Shape shape = x.shape();
  shape[0] = 1;
  Tensor one = Tensor::uninitialized(x.dtype(), shape);
  const size_t bytes = one.nbytes();
  std::memcpy(one.raw(), static_cast<const char*>(x.raw()) + bytes * item, bytes);
  return one;
}

// Runs the items of the one fed batch separately (on the pool's threads when it has at least
// as many items as threads) and stacks each output back along axis 0.
Result<std::vector<Tensor>> run_items(const Executor& executor, const NamedTensor& feed,
                                      const std::vector<std::string>& outputs) {
  const Tensor& x = feed.second;
  const int64_t n_items = x.dim(0);
  std::vector<Result<std::vector<Tensor>>> results(static_cast<size_t>(n_items),
                                                   Result<std::vector<Tensor>>(Status::ok()));
  auto one = [&](int64_t item) {
    results[static_cast<size_t>(item)] = executor.run({{feed.first, batch_item(x, item)}}, outputs);
  };
  ThreadPool* pool = executor.pool();
  if (pool != nullptr && n_items >= pool->size()) {
    pool->run(n_items, one);
  } else {
    for (int64_t item = 0; item < n_items; ++item) one(item);
  }
  for (auto& r : results) {
    if (!r.is_ok()) return r.status();
  }
  std::vector<Tensor> stacked;
  for (size_t o = 0; o < outputs.size(); ++o) {
    const Tensor& first = results[0].value()[o];
    if (first.rank() < 1 || first.dim(0) != 1) {
      return internal_error("batch split: output '" + outputs[o] + "' of one item is " +
                            first.describe());
    }
    Shape shape = first.shape();
    shape[0] = n_items;
    Tensor out = Tensor::uninitialized(first.dtype(), shape);
    const size_t bytes = first.nbytes();
    for (int64_t item = 0; item < n_items; ++item) {
      const Tensor& part = results[static_cast<size_t>(item)].value()[o];
      if (part.shape() != first.shape() || part.dtype() != first.dtype()) {
        return internal_error("batch split: output '" + outputs[o] + "' differs between items");
      }
      std::memcpy(static_cast<char*>(out.raw()) + bytes * item, part.raw(), bytes);
    }
    stacked.push_back(std::move(out));
  }
  return stacked;
}

}  // namespace

Result<std::vector<Tensor>> Engine::run(const std::vector<std::pair<std::string, Tensor>>& feeds,
                                        const std::vector<std::string>& outputs) const {
  if (impl_->split_batch && feeds.size() == 1 && feeds[0].second.rank() >= 1 &&
      feeds[0].second.dim(0) > 1 && impl_->executor->graph().inputs.size() == 1 &&
      feeds[0].first == impl_->executor->graph().inputs[0].name &&
      splits_by_batch(impl_->executor->graph(), outputs)) {
    return run_items(*impl_->executor, feeds[0], outputs);
  }
  return impl_->executor->run(feeds, outputs);
}

Result<double> Engine::count_flops(const std::vector<std::pair<std::string, Tensor>>& feeds) const {
  const Graph& g = impl_->executor->graph();
  static const std::set<std::string> kCounted = {"Conv", "QLinearConv", "Gemm", "MatMul",
                                                 "QLinearMatMul"};
  std::vector<std::string> wanted;
  std::set<std::string> seen;
  auto want = [&](const std::string& name) {
    if (!name.empty() && g.constants.count(name) == 0 && seen.insert(name).second) {
      wanted.push_back(name);
    }
  };
  for (const Node& node : g.nodes) {
    if (!kCounted.count(node.op_type) || node.outputs.empty() || node.inputs.empty()) continue;
    want(node.outputs[0]);
    if (node.op_type == "MatMul" || node.op_type == "QLinearMatMul" || node.op_type == "Gemm") {
      want(node.inputs[0]);
    }
    const size_t w = node.op_type == "QLinearConv" ? 3 : 1;
    if ((node.op_type == "Conv" || node.op_type == "QLinearConv") && node.inputs.size() > w) {
      want(node.inputs[w]);
    }
  }
  if (wanted.empty()) return 0.0;
  PIXLAKE_ASSIGN_OR_RETURN(std::vector<Tensor> values, impl_->executor->run(feeds, wanted));
  std::map<std::string, Shape> shapes;
  for (size_t i = 0; i < wanted.size(); ++i) shapes[wanted[i]] = values[i].shape();
  for (const auto& [name, t] : g.constants) shapes[name] = t.shape();
  auto shape_of = [&](const std::string& name) -> const Shape* {
    auto it = shapes.find(name);
    return it == shapes.end() ? nullptr : &it->second;
  };
  double macs = 0;
  for (const Node& node : g.nodes) {
    if (!kCounted.count(node.op_type) || node.outputs.empty() || node.inputs.empty()) continue;
    const Shape* out = shape_of(node.outputs[0]);
    if (out == nullptr) continue;
    const double outputs = static_cast<double>(shape_numel(*out));
    double depth = 0;  // multiply-adds per output value
    if (node.op_type == "Conv" || node.op_type == "QLinearConv") {
      const size_t w = node.op_type == "Conv" ? 1 : 3;
      const Shape* ws = node.inputs.size() > w ? shape_of(node.inputs[w]) : nullptr;
      if (ws != nullptr && ws->size() >= 2)
        depth = static_cast<double>(shape_numel(*ws) / (*ws)[0]);
    } else if (node.op_type == "Gemm") {
      const Shape* a = shape_of(node.inputs[0]);
      Attributes attrs = node.attrs;  // a copy: the getters mark attributes as read
      if (a != nullptr && a->size() == 2) {
        depth = static_cast<double>(attrs.get_int("transA", 0) ? (*a)[0] : (*a)[1]);
      }
    } else {
      const Shape* a = shape_of(node.inputs[0]);
      if (a != nullptr && !a->empty()) depth = static_cast<double>(a->back());
    }
    macs += outputs * depth;
  }
  return 2.0 * macs;
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
