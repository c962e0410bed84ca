#include "graph/executor.h"

#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "ops/registry.h"

namespace pixlake {

std::string node_label(const Node& node) {
  return "node '" + node.name + "' (" + node.op_type + ")";
}

Result<std::unique_ptr<Executor>> Executor::create(Graph graph, const ExecutorOptions& options) {
  std::unique_ptr<Executor> ex(new Executor());
  ex->graph_ = std::move(graph);
  if (options.threads > 1) ex->pool_ = std::make_unique<ThreadPool>(options.threads);
  PIXLAKE_RETURN_IF_ERROR(ex->build_ops(options));
  PIXLAKE_RETURN_IF_ERROR(ex->fold_constants());
  ex->plan_clamp_fusion();
  return ex;
}

Status Executor::build_ops(const ExecutorOptions& options) {
  // Readers of each constant (graph outputs count: they are returned as values). A constant
  // whose every reader keeps a prepared copy (Op::keeps_own_copy_of_input) loses its values
  // as soon as the last of them is set up, so that the load never holds the weights twice.
  std::map<std::string, size_t> readers, owners;
  for (const Node& node : graph_.nodes) {
    for (const std::string& in : node.inputs) {
      if (!in.empty() && graph_.constants.count(in) != 0) ++readers[in];
    }
  }
  for (const ValueInfo& out : graph_.outputs) ++readers[out.name];
  for (const Node& node : graph_.nodes) {
    auto type = op_type_from_name(node.op_type);
    if (!type)
      return unsupported(node_label(node) + ": operator " + node.op_type + " is not supported");
    std::unique_ptr<Op> op = make_op(*type);
    OpSetup setup;
    setup.node_name = node.name;
    setup.op_type = node.op_type;
    setup.opset = graph_.opset;
    setup.max_tensor_bytes = options.max_tensor_bytes;
    setup.precision = options.precision;
    setup.winograd = options.winograd;
    setup.pool = pool_.get();
    setup.attrs = node.attrs;
    setup.n_inputs = node.inputs.size();
    setup.n_outputs = node.outputs.size();
    for (const std::string& in : node.inputs) {
      auto it = graph_.constants.find(in);
      setup.constants.push_back(it == graph_.constants.end() ? nullptr : &it->second);
    }
    Status status = op->init(setup);
    if (!status.is_ok()) return status.with_context(node_label(node));
    if (!setup.attrs.error().empty())
      return invalid_argument(node_label(node) + ": " + setup.attrs.error());
    std::vector<std::string> unread = setup.attrs.unread();
    if (!unread.empty()) {
      return unsupported(node_label(node) + ": attribute '" + unread.front() +
                         "' is not supported");
    }
    for (size_t input = 0; input < node.inputs.size(); ++input) {
      const std::string& name = node.inputs[input];
      if (name.empty() || !op->keeps_own_copy_of_input(input)) continue;
      if (++owners[name] != readers[name]) continue;
      Tensor& t = graph_.constants[name];
      t = Tensor::shape_only(t.dtype(), t.shape());
      released_.insert(name);
    }
    ops_.push_back(std::move(op));
  }
  return Status::ok();
}

Status Executor::fold_constants() {
  std::vector<Node> kept_nodes;
  std::vector<std::unique_ptr<Op>> kept_ops;
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    const Node& node = graph_.nodes[i];
    std::vector<const Tensor*> inputs;
    bool all_constant = true;
    for (const std::string& in : node.inputs) {
      if (in.empty()) {
        inputs.push_back(nullptr);
        continue;
      }
      auto it = graph_.constants.find(in);
      if (it == graph_.constants.end()) {
        all_constant = false;
        break;
      }
      inputs.push_back(&it->second);
    }
    if (!all_constant) {
      kept_nodes.push_back(std::move(graph_.nodes[i]));
      kept_ops.push_back(std::move(ops_[i]));
      continue;
    }
    std::vector<Tensor> outputs(node.outputs.size());
    PIXLAKE_RETURN_IF_ERROR(run_node(i, inputs, outputs));
    for (size_t o = 0; o < outputs.size(); ++o) {
      if (!node.outputs[o].empty()) graph_.constants[node.outputs[o]] = std::move(outputs[o]);
    }
  }
  graph_.nodes = std::move(kept_nodes);
  ops_ = std::move(kept_ops);
  return Status::ok();
}

namespace {

// The bounds of a Relu, or of a Clip whose bounds are known at load time, as f32.
std::optional<std::pair<float, float>> clamp_bounds(
    const Node& node, int opset, const std::map<std::string, Tensor>& constants) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  if (node.op_type == "Relu" && node.inputs.size() == 1) return std::make_pair(0.0f, kInf);
  if (node.op_type != "Clip") return std::nullopt;
  std::pair<float, float> bounds(-kInf, kInf);
  if (opset < 11) {
    Attributes attrs = node.attrs;  // a copy: the getters mark attributes as read
    if (attrs.has("min")) bounds.first = attrs.get_float("min", 0.0f);
    if (attrs.has("max")) bounds.second = attrs.get_float("max", 0.0f);
    return bounds;
  }
  for (size_t slot = 1; slot < node.inputs.size() && slot <= 2; ++slot) {
    if (node.inputs[slot].empty()) continue;
    auto it = constants.find(node.inputs[slot]);
    if (it == constants.end() || it->second.dtype() != DType::kF32 || it->second.numel() != 1) {
      return std::nullopt;
    }
    (slot == 1 ? bounds.first : bounds.second) = it->second.data<float>()[0];
  }
  return bounds;
}

}  // namespace

void Executor::plan_clamp_fusion() {
  std::unordered_map<std::string, std::vector<size_t>> consumers;
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    for (const std::string& in : graph_.nodes[i].inputs) {
      if (!in.empty()) consumers[in].push_back(i);
    }
  }
  std::set<std::string> graph_outputs;
  for (const ValueInfo& out : graph_.outputs) graph_outputs.insert(out.name);
  fusions_.resize(graph_.nodes.size());
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    const Node& node = graph_.nodes[i];
    if (node.outputs.size() != 1 || graph_outputs.count(node.outputs[0])) continue;
    auto users = consumers.find(node.outputs[0]);
    if (users == consumers.end() || users->second.size() != 1) continue;
    const size_t consumer = users->second.front();
    const Node& clamp = graph_.nodes[consumer];
    if (clamp.inputs.empty() || (clamp.inputs[0] != node.outputs[0] &&
                                 !(clamp.op_type == "Add" && clamp.inputs.size() == 2 &&
                                   clamp.inputs[1] == node.outputs[0]))) {
      continue;
    }
    auto bounds = clamp_bounds(clamp, graph_.opset, graph_.constants);
    std::unique_ptr<Op> fused;
    if (bounds) {
      fused = ops_[i]->fused_with_clamp(bounds->first, bounds->second);
    } else if (clamp.op_type == "Add" && clamp.inputs.size() == 2 && clamp.domain.empty()) {
      // Add(y, bias) or Add(bias, y) with a constant 1-D bias: the producer adds it.
      const std::string& other =
          clamp.inputs[0] == node.outputs[0] ? clamp.inputs[1] : clamp.inputs[0];
      auto bias = graph_.constants.find(other);
      if (other != node.outputs[0] && bias != graph_.constants.end() && bias->second.rank() == 1 &&
          bias->second.dtype() == DType::kF32) {
        fused = ops_[i]->fused_with_bias(bias->second);
      }
    }
    if (fused) fusions_[i] = ClampFusion{consumer, std::move(fused)};
  }
}

bool Executor::has_tensor(const std::string& name) const {
  if (graph_.constants.count(name)) return true;
  for (const ValueInfo& in : graph_.inputs) {
    if (in.name == name) return true;
  }
  for (const Node& node : graph_.nodes) {
    for (const std::string& out : node.outputs) {
      if (out == name) return true;
    }
  }
  return false;
}

Status Executor::check_feeds(const std::vector<NamedTensor>& feeds) const {
  std::map<std::string, const Tensor*> fed;
  for (const auto& [name, tensor] : feeds) fed[name] = &tensor;
  for (const auto& [name, tensor] : feeds) {
    bool known = false;
    for (const ValueInfo& in : graph_.inputs) known = known || in.name == name;
    if (!known) return invalid_argument("input '" + name + "' is not an input of the model");
  }
  for (const ValueInfo& in : graph_.inputs) {
    auto it = fed.find(in.name);
    if (it == fed.end()) return invalid_argument("input '" + in.name + "' was not given");
    const Tensor& t = *it->second;
    bool shape_ok = !in.has_shape || t.rank() == static_cast<int64_t>(in.dims.size());
    for (size_t d = 0; shape_ok && in.has_shape && d < in.dims.size(); ++d) {
      shape_ok = in.dims[d] < 0 || in.dims[d] == t.shape()[d];
    }
    if (t.dtype() != in.dtype || !shape_ok) {
      std::string expected = dtype_name(in.dtype);
      if (in.has_shape) {
        expected += "[";
        for (size_t d = 0; d < in.dims.size(); ++d) {
          expected +=
              (d ? "," : "") + (in.dims[d] < 0 ? std::string("?") : std::to_string(in.dims[d]));
        }
        expected += "]";
      }
      return invalid_argument("input '" + in.name + "': expected " + expected + ", got " +
                              t.describe());
    }
  }
  return Status::ok();
}

Status Executor::run_node(size_t index, const std::vector<const Tensor*>& inputs,
                          std::vector<Tensor>& outputs) const {
  const Node& node = graph_.nodes[index];
  Status status = ops_[index]->run(inputs, outputs);
  if (!status.is_ok()) return status.with_context(node_label(node));
  for (size_t o = 0; o < outputs.size(); ++o) {
    if (!node.outputs[o].empty() && !outputs[o].defined()) {
      return internal_error(node_label(node) + ": output " + std::to_string(o) +
                            " was not computed");
    }
  }
  return Status::ok();
}

Result<std::vector<Tensor>> Executor::run(const std::vector<NamedTensor>& feeds,
                                          const std::vector<std::string>& output_names) const {
  PIXLAKE_RETURN_IF_ERROR(check_feeds(feeds));
  std::unordered_map<std::string, size_t> producer;
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    for (const std::string& out : graph_.nodes[i].outputs) producer[out] = i;
  }
  for (const std::string& name : output_names) {
    if (!has_tensor(name)) return not_found("tensor '" + name + "' does not exist in the model");
    if (released_.count(name) != 0) {
      return invalid_argument("tensor '" + name +
                              "' is a weight matrix its operator keeps in a packed form; its "
                              "values are not kept (EngineOptions::precision / packing)");
    }
  }

  // Mark the nodes the requested outputs depend on, walking backwards.
  std::vector<bool> needed(graph_.nodes.size(), false);
  std::vector<std::string> stack(output_names.begin(), output_names.end());
  while (!stack.empty()) {
    std::string name = stack.back();
    stack.pop_back();
    auto it = producer.find(name);
    if (it == producer.end() || needed[it->second]) continue;
    needed[it->second] = true;
    for (const std::string& in : graph_.nodes[it->second].inputs) {
      if (!in.empty()) stack.push_back(in);
    }
  }
  // Last node that reads each tensor, so it can be freed right after.
  std::unordered_map<std::string, size_t> last_use;
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (!needed[i]) continue;
    for (const std::string& in : graph_.nodes[i].inputs) last_use[in] = i;
  }
  std::set<std::string> keep(output_names.begin(), output_names.end());

  std::unordered_map<std::string, Tensor> values;
  for (const auto& [name, tensor] : feeds) values[name] = tensor;
  auto lookup = [&](const std::string& name) -> const Tensor* {
    auto v = values.find(name);
    if (v != values.end()) return &v->second;
    auto c = graph_.constants.find(name);
    return c == graph_.constants.end() ? nullptr : &c->second;
  };

  std::vector<bool> done_by_fusion(graph_.nodes.size(), false);
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (!needed[i] || done_by_fusion[i]) continue;
    const Node& node = graph_.nodes[i];
    std::vector<const Tensor*> inputs;
    for (const std::string& in : node.inputs) inputs.push_back(in.empty() ? nullptr : lookup(in));
    std::vector<Tensor> outputs(node.outputs.size());
    const ClampFusion* fusion = fusions_[i] ? &*fusions_[i] : nullptr;
    if (fusion != nullptr && needed[fusion->consumer] && !keep.count(node.outputs[0])) {
      // The clamp's output is written directly; the unclamped tensor never exists.
      Status status = fusion->fused->run(inputs, outputs);
      if (!status.is_ok()) return status.with_context(node_label(node));
      done_by_fusion[fusion->consumer] = true;
      values[graph_.nodes[fusion->consumer].outputs[0]] = std::move(outputs[0]);
    } else {
      PIXLAKE_RETURN_IF_ERROR(run_node(i, inputs, outputs));
      for (size_t o = 0; o < outputs.size(); ++o) {
        if (!node.outputs[o].empty()) values[node.outputs[o]] = std::move(outputs[o]);
      }
    }
    for (const std::string& in : node.inputs) {
      auto lu = last_use.find(in);
      if (lu != last_use.end() && lu->second == i && !keep.count(in)) values.erase(in);
    }
  }

  std::vector<Tensor> results;
  for (const std::string& name : output_names) {
    const Tensor* t = lookup(name);
    if (!t) return internal_error("tensor '" + name + "' was not computed");
    results.push_back(*t);
  }
  return results;
}

}  // namespace pixlake
