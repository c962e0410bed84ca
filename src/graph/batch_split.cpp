#include "graph/batch_split.h"

#include <map>
#include <optional>
#include <set>

namespace pixlake {
namespace {

// Operators whose output item i depends only on item i of input 0 (the others being
// batch-free: weights, scales, bias), keeping the rank.
const std::set<std::string>& per_item_ops() {
  static const std::set<std::string> kOps = {"Conv",
                                             "ConvTranspose",
                                             "MaxPool",
                                             "AveragePool",
                                             "GlobalAveragePool",
                                             "GlobalMaxPool",
                                             "BatchNormalization",
                                             "InstanceNormalization",
                                             "LRN",
                                             "Relu",
                                             "Elu",
                                             "Selu",
                                             "LeakyRelu",
                                             "Sigmoid",
                                             "Tanh",
                                             "HardSigmoid",
                                             "HardSwish",
                                             "Softplus",
                                             "Softsign",
                                             "Erf",
                                             "Gelu",
                                             "Exp",
                                             "Log",
                                             "Neg",
                                             "Abs",
                                             "Sqrt",
                                             "Reciprocal",
                                             "Clip",
                                             "Cast",
                                             "Dropout",
                                             "Identity",
                                             "QuantizeLinear",
                                             "DequantizeLinear",
                                             "QLinearConv",
                                             "QLinearGlobalAveragePool"};
  return kOps;
}

// Element-wise operators with NumPy broadcasting: per item when every input carrying the
// batch has the output's rank and no batch-free input reaches axis 0 with an extent above 1.
const std::set<std::string>& broadcast_ops() {
  static const std::set<std::string> kOps = {"Add", "Sub", "Mul",  "Div",   "Pow",       "Max",
                                             "Min", "Sum", "Mean", "PRelu", "QLinearAdd"};
  return kOps;
}

}  // namespace

bool splits_by_batch(const Graph& graph, const std::vector<std::string>& outputs) {
  if (graph.inputs.size() != 1 || outputs.empty()) return false;
  const ValueInfo& input = graph.inputs[0];
  // A fixed batch size (dims[0] >= 0) would refuse a batch of one.
  if (!input.has_shape || input.dims.empty() || input.dims[0] >= 0) return false;
  // Rank of every tensor carrying the batch on axis 0.
  std::map<std::string, int64_t> batched = {{input.name, static_cast<int64_t>(input.dims.size())}};
  auto rank_of = [&](const std::string& name) -> int64_t {
    auto it = batched.find(name);
    return it == batched.end() ? -1 : it->second;
  };
  // A batch-free input that broadcasts against rank `rank` without reaching axis 0.
  auto stays_off_axis0 = [&](const std::string& name, int64_t rank) {
    if (name.empty()) return true;
    auto c = graph.constants.find(name);
    if (c == graph.constants.end()) return false;  // shape unknown here: be safe
    const Tensor& t = c->second;
    return t.rank() < rank || (t.rank() == rank && t.dim(0) == 1);
  };
  // Shape arithmetic on the batch size, as PyTorch exports `x.view(x.size(0), -1)`:
  // Shape(x) -> Gather(index 0) -> Unsqueeze -> Concat with constants -> Reshape(x, ...). Each
  // value below holds the batch size at element 0; run item by item it holds 1, so the
  // Reshape keeps every item's own [1, ...] shape. `length` is the value's element count.
  enum class BatchShape { kShape, kScalar, kLeading };  // Shape(x), x.size(0), [x.size(0), ...]
  struct ShapeValue {
    BatchShape kind;
    int64_t length;
  };
  std::map<std::string, ShapeValue> shape_values;
  auto constant_ints = [&](const std::string& name) -> std::optional<std::vector<int64_t>> {
    auto c = graph.constants.find(name);
    if (c == graph.constants.end()) return std::nullopt;
    if (c->second.dtype() != DType::kI64 && c->second.dtype() != DType::kI32) return std::nullopt;
    return c->second.to_ints();
  };
  // Returns true when `node` is one of the steps above (and records its output), false when it
  // reads none of those values; refuse = it reads one in any other way.
  bool refuse = false;
  auto shape_step = [&](const Node& node) {
    bool reads = false;
    for (const std::string& in : node.inputs) reads = reads || shape_values.count(in) != 0;
    const std::string& op = node.op_type;
    if (op == "Shape" && !node.inputs.empty() && rank_of(node.inputs[0]) >= 1 &&
        node.attrs.get_int("start", 0) == 0) {
      shape_values[node.outputs[0]] = {BatchShape::kShape, rank_of(node.inputs[0])};
      return true;
    }
    if (!reads) return false;
    auto first = shape_values.find(node.inputs[0]);
    if (op == "Gather" && first != shape_values.end() && first->second.kind == BatchShape::kShape &&
        node.attrs.get_int("axis", 0) == 0 && node.inputs.size() == 2) {
      // Index 0 as a scalar gives x.size(0); as [0], the 1-D [x.size(0)].
      const auto index = constant_ints(node.inputs[1]);
      const auto index_tensor = graph.constants.find(node.inputs[1]);
      if (index && index->size() == 1 && (*index)[0] == 0 && index_tensor->second.rank() <= 1) {
        shape_values[node.outputs[0]] = {
            index_tensor->second.rank() == 0 ? BatchShape::kScalar : BatchShape::kLeading, 1};
        return true;
      }
    }
    if (op == "Unsqueeze" && first != shape_values.end() &&
        first->second.kind == BatchShape::kScalar) {
      std::optional<std::vector<int64_t>> axes =
          node.inputs.size() > 1 ? constant_ints(node.inputs[1])
                                 : std::optional<std::vector<int64_t>>(node.attrs.get_ints("axes"));
      if (axes && axes->size() == 1 && (*axes)[0] == 0) {
        shape_values[node.outputs[0]] = {BatchShape::kLeading, 1};
        return true;
      }
    }
    if (op == "Concat" && node.attrs.get_int("axis", 0) == 0 && first != shape_values.end() &&
        first->second.kind == BatchShape::kLeading) {
      int64_t length = first->second.length;
      for (size_t i = 1; i < node.inputs.size(); ++i) {
        const auto part = constant_ints(node.inputs[i]);
        if (!part) {
          refuse = true;
          return true;
        }
        length += static_cast<int64_t>(part->size());
      }
      shape_values[node.outputs[0]] = {BatchShape::kLeading, length};
      return true;
    }
    if (op == "Reshape" && node.inputs.size() == 2 && rank_of(node.inputs[0]) >= 1 &&
        first == shape_values.end() && node.attrs.get_int("allowzero", 0) == 0) {
      auto target = shape_values.find(node.inputs[1]);
      if (target != shape_values.end() && target->second.kind == BatchShape::kLeading) {
        batched[node.outputs[0]] = target->second.length;
        return true;
      }
    }
    refuse = true;
    return true;
  };
  for (const Node& node : graph.nodes) {
    if (shape_step(node)) {
      if (refuse) return false;
      continue;
    }
    int64_t rank = -1;
    bool any = false;
    for (const std::string& in : node.inputs) {
      if (rank_of(in) >= 0) {
        any = true;
        if (rank >= 0 && rank != rank_of(in)) return false;
        rank = rank_of(in);
      }
    }
    if (!any) continue;  // computed from constants only: the same for every item
    const std::string& op = node.op_type;
    int64_t out_rank = -1;
    if (per_item_ops().count(op)) {
      // Only the data input (0) may carry the batch.
      for (size_t i = 1; i < node.inputs.size(); ++i) {
        if (rank_of(node.inputs[i]) >= 0) return false;
      }
      if (rank_of(node.inputs[0]) < 0) return false;
      // Batch statistics (training mode), or scales along axis 0 (one per item).
      if (op == "BatchNormalization" && node.attrs.get_int("training_mode", 0) != 0) return false;
      if ((op == "QuantizeLinear" || op == "DequantizeLinear") &&
          node.attrs.get_int("axis", 1) == 0) {
        return false;
      }
      out_rank = rank;
    } else if (broadcast_ops().count(op)) {
      for (const std::string& in : node.inputs) {
        if (rank_of(in) < 0 && !stays_off_axis0(in, rank)) return false;
      }
      out_rank = rank;
    } else if (op == "Flatten") {
      if (node.attrs.get_int("axis", 1) < 1) return false;
      out_rank = 2;
    } else if (op == "Gemm") {
      // A [batch, k] (not transposed) times batch-free B, plus C not reaching axis 0.
      if (rank_of(node.inputs[0]) != 2 || node.attrs.get_int("transA", 0) != 0) return false;
      if (node.inputs.size() > 1 && rank_of(node.inputs[1]) >= 0) return false;
      if (node.inputs.size() > 2 && !stays_off_axis0(node.inputs[2], 2)) return false;
      out_rank = 2;
    } else if (op == "MatMul" || op == "QLinearMatMul") {
      // A [batch, ..., m, k] x constant B of rank <= 2 (QLinearMatMul: B is input 3, the
      // others scales and zero points).
      const size_t b_input = op == "MatMul" ? 1 : 3;
      if (node.inputs.size() <= b_input || rank_of(node.inputs[0]) < 2) return false;
      for (size_t i = 1; i < node.inputs.size(); ++i) {
        if (rank_of(node.inputs[i]) >= 0) return false;
      }
      auto b = graph.constants.find(node.inputs[b_input]);
      if (b == graph.constants.end() || b->second.rank() > 2) return false;
      // A's and Y's scales may be per row, and with A 2-D a row is an item.
      for (size_t i : {1, 2, 6, 7}) {
        if (op == "QLinearMatMul" && i < node.inputs.size()) {
          auto c = graph.constants.find(node.inputs[i]);
          if (c == graph.constants.end() || c->second.numel() != 1) return false;
        }
      }
      out_rank = b->second.rank() == 1 ? rank - 1 : rank;
    } else if (op == "Concat" || op == "Softmax" || op == "LogSoftmax") {
      const bool concat = op == "Concat";
      // Softmax before opset 13 flattens to 2-D around `axis` (default 1): per item from 1.
      const int64_t fallback = concat ? 0 : (graph.opset < 13 ? 1 : -1);
      int64_t axis = node.attrs.get_int("axis", fallback);
      if (axis < 0) axis += rank;
      if (axis < 1 || axis >= rank) return false;
      for (const std::string& in : node.inputs) {
        if (rank_of(in) < 0) return false;  // a batch-free piece has no batch axis to join
      }
      out_rank = rank;
    } else {
      return false;
    }
    if (out_rank < 1) return false;
    for (const std::string& out : node.outputs) {
      if (!out.empty()) batched[out] = out_rank;
    }
  }
  for (const std::string& name : outputs) {
    if (rank_of(name) < 1) return false;
  }
  return true;
}

}  // namespace pixlake
