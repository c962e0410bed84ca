#include "graph/passes/fuse_gelu.h"

#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace pixlake {
namespace {

class Matcher {
 public:
  explicit Matcher(const Graph& g) : g_(g) {
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const Node& node = g.nodes[i];
      for (const std::string& in : node.inputs) ++readers_[in];
      if (node.op_type == "Constant" && node.outputs.size() == 1) {
        if (auto value = node.attrs.get_tensor("value")) constant_nodes_[node.outputs[0]] = *value;
      }
    }
    for (const ValueInfo& out : g.outputs) ++readers_[out.name];
  }

  // The single float value of a constant tensor (initializer or Constant node), if any.
  std::optional<float> scalar(const std::string& name) const {
    const Tensor* t = nullptr;
    if (auto it = g_.constants.find(name); it != g_.constants.end()) t = &it->second;
    if (auto it = constant_nodes_.find(name); it != constant_nodes_.end()) t = &it->second;
    if (t == nullptr || t->numel() != 1 || t->dtype() != DType::kF32 || !t->has_values()) {
      return std::nullopt;
    }
    return t->data<float>()[0];
  }

  // The node reading `tensor` when it is its only reader, with op type `op`.
  const Node* sole_reader(const std::string& tensor, const char* op, size_t* index) const {
    auto count = readers_.find(tensor);
    if (count == readers_.end() || count->second != 1) return nullptr;
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const Node& node = g_.nodes[i];
      for (const std::string& in : node.inputs) {
        if (in == tensor) {
          if (node.op_type != op || !node.domain.empty()) return nullptr;
          *index = i;
          return &node;
        }
      }
    }
    return nullptr;
  }

 private:
  const Graph& g_;
  std::map<std::string, int> readers_;
  std::map<std::string, Tensor> constant_nodes_;
};

bool near(std::optional<float> value, double target) {
  return value && std::abs(*value - target) <= 1e-6 * std::abs(target);
}

// The operand of a two-input node that is not `known`, or "" when neither is.
std::string other_input(const Node& node, const std::string& known) {
  if (node.inputs.size() != 2) return "";
  if (node.inputs[0] == known) return node.inputs[1];
  if (node.inputs[1] == known) return node.inputs[0];
  return "";
}

}  // namespace

int fuse_gelu(Graph& graph) {
  int fused = 0;
  bool changed = true;
  while (changed) {
    changed = false;
    const Matcher m(graph);
    for (size_t d = 0; d < graph.nodes.size() && !changed; ++d) {
      const Node& div = graph.nodes[d];
      if (div.op_type != "Div" || div.inputs.size() != 2 || !div.domain.empty()) continue;
      if (!near(m.scalar(div.inputs[1]), std::sqrt(2.0))) continue;
      const std::string x = div.inputs[0];
      size_t e = 0, a = 0, m1 = 0, m2 = 0;
      const Node* erf = m.sole_reader(div.outputs[0], "Erf", &e);
      if (erf == nullptr) continue;
      const Node* add = m.sole_reader(erf->outputs[0], "Add", &a);
      if (add == nullptr || !near(m.scalar(other_input(*add, erf->outputs[0])), 1.0)) continue;
      const Node* mul = m.sole_reader(add->outputs[0], "Mul", &m1);
      if (mul == nullptr || other_input(*mul, add->outputs[0]) != x) continue;
      const Node* half = m.sole_reader(mul->outputs[0], "Mul", &m2);
      if (half == nullptr || !near(m.scalar(other_input(*half, mul->outputs[0])), 0.5)) continue;
      const std::vector<std::string> removed = {div.outputs[0], erf->outputs[0], add->outputs[0],
                                                mul->outputs[0]};
      Node gelu;
      gelu.name = half->name + "/gelu";
      gelu.op_type = "Gelu";
      gelu.inputs = {x};
      gelu.outputs = {half->outputs[0]};
      // The Gelu takes the last node's place (all inputs are produced before it); the other
      // four go.
      const std::set<size_t> gone = {d, e, a, m1};
      std::vector<Node> nodes;
      for (size_t i = 0; i < graph.nodes.size(); ++i) {
        if (i == m2) {
          nodes.push_back(gelu);
        } else if (gone.count(i) == 0) {
          nodes.push_back(std::move(graph.nodes[i]));
        }
      }
      graph.nodes = std::move(nodes);
      for (const std::string& name : removed) graph.value_info.erase(name);
      ++fused;
      changed = true;
    }
  }
  return fused;
}

}  // namespace pixlake
