#include "graph/executor.h"

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
  PIXLAKE_RETURN_IF_ERROR(ex->build_ops(options));
  PIXLAKE_RETURN_IF_ERROR(ex->fold_constants());
  return ex;
}

Status Executor::build_ops(const ExecutorOptions& options) {
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

  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (!needed[i]) continue;
    const Node& node = graph_.nodes[i];
    std::vector<const Tensor*> inputs;
    for (const std::string& in : node.inputs) inputs.push_back(in.empty() ? nullptr : lookup(in));
    std::vector<Tensor> outputs(node.outputs.size());
    PIXLAKE_RETURN_IF_ERROR(run_node(i, inputs, outputs));
    for (size_t o = 0; o < outputs.size(); ++o) {
      if (!node.outputs[o].empty()) values[node.outputs[o]] = std::move(outputs[o]);
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
