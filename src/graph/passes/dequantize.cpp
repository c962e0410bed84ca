#include "graph/passes/dequantize.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "graph/executor.h"
#include "ops/quant_util.h"

namespace pixlake {
namespace {

// Operators that move values without arithmetic: on a dequantised tensor they do exactly
// what they did on the quantised one.
bool moves_values_only(const std::string& op_type) {
  static const std::set<std::string> kOps = {"Reshape",   "Flatten",  "Squeeze", "Unsqueeze",
                                             "Transpose", "Identity", "MaxPool", "Shape"};
  return kOps.count(op_type) != 0;
}

class Dequantizer {
 public:
  explicit Dequantizer(Graph& graph) : graph_(graph) {}

  Status run() {
    for (Node& node : graph_.nodes) {
      Status status = rewrite(node);
      if (!status.is_ok()) {
        return status.with_context("cannot run in float32: " + node_label(node));
      }
    }
    graph_.nodes = std::move(rewritten_);
    for (ValueInfo& v : graph_.outputs) mark_float(v);
    for (auto& [name, v] : graph_.value_info) mark_float(v);
    return topological_sort(graph_);
  }

 private:
  Status rewrite(Node& node) {
    const std::string& op = node.op_type;
    if (op == "QuantizeLinear") return quantize(node);
    if (op == "DequantizeLinear") return dequantize(node);
    if (op == "QLinearConv") return conv(node);
    if (op == "QLinearMatMul") return binary(node, "MatMul", /*a_per_row=*/true);
    if (op == "QLinearAdd") return binary(node, "Add", false);
    if (op == "QLinearMul") return binary(node, "Mul", false);
    if (op == "QLinearGlobalAveragePool") return global_average_pool(node);
    bool reads_quantised = false;
    for (const std::string& in : node.inputs) reads_quantised |= converted_.count(in) != 0;
    if (reads_quantised) {
      if (!moves_values_only(op)) {
        return unsupported("it reads a quantised tensor and has no float32 rewrite");
      }
      // Shape's output is int64, not a dequantised value.
      if (op != "Shape") converted_.insert(node.outputs.begin(), node.outputs.end());
    }
    rewritten_.push_back(std::move(node));
    return Status::ok();
  }

  // QuantizeLinear(x) -> Clip(x) to the range the quantised type holds at that scale.
  Status quantize(const Node& node) {
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams p, params(node, 1, 2, "y"));
    if (!p.per_tensor()) return unsupported("per-axis QuantizeLinear is not supported");
    emit_clip(node.name, node.inputs[0], node.outputs[0], p);
    return Status::ok();
  }

  // DequantizeLinear of a rewritten activation is now a copy; of a constant it folds at load.
  Status dequantize(Node& node) {
    if (converted_.count(node.inputs[0])) {
      emit(node.name, "Identity", {node.inputs[0]}, {node.outputs[0]}, {});
      return Status::ok();
    }
    if (constant(node.inputs[0]) == nullptr) {
      return unsupported("its input '" + node.inputs[0] +
                         "' is neither constant nor quantised here");
    }
    rewritten_.push_back(std::move(node));
    return Status::ok();
  }

  // QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp[, B]) -> Conv + Clip.
  Status conv(const Node& node) {
    PIXLAKE_ASSIGN_OR_RETURN(std::string x, activation(node, 0));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams x_params, params(node, 1, 2, "x"));
    PIXLAKE_ASSIGN_OR_RETURN(std::string w, dequantised_constant(node, 3, 4, 5, 0));
    std::vector<std::string> inputs = {x, w};
    if (node.inputs.size() > 8 && !node.inputs[8].empty()) {
      // B is int32 at scale x_scale * w_scale (per output channel), zero point 0.
      const Tensor* bias = constant(node.inputs[8]);
      if (bias == nullptr || bias->dtype() != DType::kI32) {
        return unsupported("bias '" + node.inputs[8] + "' must be a constant int32 tensor");
      }
      PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams w_params, params(node, 4, 5, "w"));
      if (!w_params.per_tensor() && static_cast<int64_t>(w_params.scale.size()) != bias->numel()) {
        return invalid_argument("w_scale has " + std::to_string(w_params.scale.size()) +
                                " values for " + std::to_string(bias->numel()) + " biases");
      }
      Tensor b(DType::kF32, bias->shape());
      const int32_t* q = bias->data<int32_t>();
      for (int64_t i = 0; i < bias->numel(); ++i) {
        b.data<float>()[i] = static_cast<float>(q[i]) * x_params.scale[0] * w_params.scale_at(i);
      }
      inputs.push_back(add_constant(node.name + "/B_f32", std::move(b)));
    }
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams y, params(node, 6, 7, "y"));
    const std::string raw = node.outputs[0] + "/conv_f32";
    emit(node.name + "/f32", "Conv", inputs, {raw}, node.attrs);
    emit_clip(node.name + "/range", raw, node.outputs[0], y);
    return Status::ok();
  }

  // QLinearMatMul / QLinearAdd / QLinearMul (a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp):
  // the float op on dequantised operands, then the output's Clip.
  // Per-axis parameters of a constant operand follow its last axis (MatMul's B columns), or
  // for MatMul's A its rows.
  Status binary(const Node& node, const char* float_op, bool a_per_row) {
    if (node.inputs.size() < 8) return invalid_argument("expects 8 inputs");
    PIXLAKE_ASSIGN_OR_RETURN(std::string a, operand(node, 0, 1, 2, a_per_row ? -2 : -1));
    PIXLAKE_ASSIGN_OR_RETURN(std::string b, operand(node, 3, 4, 5, -1));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams y, params(node, 6, 7, "y"));
    const std::string raw = node.outputs[0] + "/" + float_op + "_f32";
    emit(node.name + "/f32", float_op, {a, b}, {raw}, {});
    emit_clip(node.name + "/range", raw, node.outputs[0], y);
    return Status::ok();
  }

  // QLinearGlobalAveragePool(x, x_scale, x_zp, y_scale, y_zp), NCHW only.
  Status global_average_pool(const Node& node) {
    Attributes attrs = node.attrs;
    if (attrs.get_int("channels_last", 0) != 0) {
      return unsupported("channels_last=1 is not supported");
    }
    PIXLAKE_ASSIGN_OR_RETURN(std::string x, activation(node, 0));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams y, params(node, 3, 4, "y"));
    const std::string raw = node.outputs[0] + "/pool_f32";
    emit(node.name + "/f32", "GlobalAveragePool", {x}, {raw}, {});
    emit_clip(node.name + "/range", raw, node.outputs[0], y);
    return Status::ok();
  }

  // A quantised operand: a rewritten activation, or a constant dequantised now. For a
  // constant with per-axis parameters, `axis_from_end` says which axis they follow (-1: the
  // last, -2: the one before, or 0 for the first).
  Result<std::string> operand(const Node& node, size_t slot, size_t scale_slot, size_t zp_slot,
                              int64_t axis_from_end) {
    if (converted_.count(node.inputs[slot])) return node.inputs[slot];
    if (constant(node.inputs[slot]) != nullptr) {
      const int64_t rank = constant(node.inputs[slot])->rank();
      const int64_t axis = axis_from_end < 0 ? rank + axis_from_end : axis_from_end;
      return dequantised_constant(node, slot, scale_slot, zp_slot, axis < 0 ? 0 : axis);
    }
    return activation(node, slot);
  }

  Result<std::string> activation(const Node& node, size_t slot) {
    const std::string& name = node.inputs[slot];
    if (converted_.count(name)) return name;
    return unsupported("input '" + name +
                       "' does not come from a QuantizeLinear or QLinear node of this graph");
  }

  // (q - zero_point) * scale for a constant u8/i8 tensor, per tensor or along `axis`.
  Result<std::string> dequantised_constant(const Node& node, size_t slot, size_t scale_slot,
                                           size_t zp_slot, int64_t axis) {
    const std::string& name = node.inputs[slot];
    const Tensor* q = constant(name);
    if (q == nullptr || (q->dtype() != DType::kU8 && q->dtype() != DType::kI8)) {
      return unsupported("input '" + name + "' must be a constant u8/i8 tensor");
    }
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams p, params(node, scale_slot, zp_slot, name));
    const int64_t dim = q->rank() == 0 ? 1 : q->dim(axis);
    if (!p.per_tensor() && static_cast<int64_t>(p.scale.size()) != dim) {
      return invalid_argument("'" + name + "' has " + std::to_string(dim) +
                              " channels along axis " + std::to_string(axis) + " but " +
                              std::to_string(p.scale.size()) + " scales");
    }
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < q->rank(); ++d) inner *= q->dim(d);
    const std::vector<int32_t> values = quant::to_int32(*q);
    Tensor f(DType::kF32, q->shape());
    for (int64_t i = 0; i < q->numel(); ++i) {
      const int64_t c = p.per_tensor() ? 0 : (i / inner) % dim;
      f.data<float>()[i] =
          static_cast<float>(values[static_cast<size_t>(i)] - p.zero_point_at(c)) * p.scale_at(c);
    }
    return add_constant(node.name + "/" + name + "_f32", std::move(f));
  }

  Result<quant::QuantParams> params(const Node& node, size_t scale_slot, size_t zp_slot,
                                    const std::string& what) {
    if (node.inputs.size() <= scale_slot || constant(node.inputs[scale_slot]) == nullptr) {
      return unsupported(what + "'s scale must be a constant");
    }
    const Tensor* zp = nullptr;
    if (node.inputs.size() > zp_slot && !node.inputs[zp_slot].empty()) {
      zp = constant(node.inputs[zp_slot]);
      if (zp == nullptr) return unsupported(what + "'s zero point must be a constant");
    }
    return quant::read_quant_params(constant(node.inputs[scale_slot]), zp, what, DType::kU8);
  }

  // Clip to [(qmin - zp) * scale, (qmax - zp) * scale]: the values the quantised tensor holds.
  void emit_clip(const std::string& name, const std::string& in, const std::string& out,
                 const quant::QuantParams& p) {
    const bool is_signed = p.dtype == DType::kI8;
    const float qmin = is_signed ? -128.0f : 0.0f;
    const float qmax = is_signed ? 127.0f : 255.0f;
    const float zp = static_cast<float>(p.zero_point[0]);
    const float lo = (qmin - zp) * p.scale[0];
    const float hi = (qmax - zp) * p.scale[0];
    if (graph_.opset < 11) {
      Attributes attrs;
      attrs.set("min", lo);
      attrs.set("max", hi);
      emit(name, "Clip", {in}, {out}, attrs);
    } else {
      emit(name, "Clip",
           {in, add_constant(name + "/min", Tensor::scalar(lo)),
            add_constant(name + "/max", Tensor::scalar(hi))},
           {out}, {});
    }
    converted_.insert(out);
  }

  void emit(const std::string& name, const std::string& op_type, std::vector<std::string> inputs,
            std::vector<std::string> outputs, Attributes attrs) {
    Node node;
    node.name = name;
    node.op_type = op_type;
    node.inputs = std::move(inputs);
    node.outputs = std::move(outputs);
    node.attrs = std::move(attrs);
    rewritten_.push_back(std::move(node));
  }

  std::string add_constant(std::string name, Tensor value) {
    while (graph_.constants.count(name)) name += "'";
    graph_.constants[name] = std::move(value);
    return name;
  }

  const Tensor* constant(const std::string& name) const {
    auto it = graph_.constants.find(name);
    return it == graph_.constants.end() ? nullptr : &it->second;
  }

  void mark_float(ValueInfo& v) const {
    if (converted_.count(v.name)) v.dtype = DType::kF32;
  }

  Graph& graph_;
  std::vector<Node> rewritten_;
  std::set<std::string> converted_;  // quantised tensors now carried as dequantised float32
};

}  // namespace

Status dequantize_graph(Graph& graph) { return Dequantizer(graph).run(); }

}  // namespace pixlake
