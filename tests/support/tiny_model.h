// Hand-built ONNX models for tests that need a model file or bytes rather than a real network:
// a graph with float input "x" and output "y" to which the test adds its own nodes.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pixlake::testing {

// The symbolic dimension "n" in tiny_model's `dims` (a batch size fixed only at run time).
inline constexpr int64_t kSymbolicDim = -1;

// An IR 8, opset 13 model whose graph `graph_name` has float input "x" and output "y", both of
// shape `dims`, and no nodes yet.
inline onnx::ModelProto tiny_model(const std::string& graph_name,
                                   const std::vector<int64_t>& dims) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  auto* g = model.mutable_graph();
  g->set_name(graph_name);
  for (const char* name : {"x", "y"}) {
    auto* vi = name[0] == 'x' ? g->add_input() : g->add_output();
    vi->set_name(name);
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) {
      if (d == kSymbolicDim) {
        tt->mutable_shape()->add_dim()->set_dim_param("n");
      } else {
        tt->mutable_shape()->add_dim()->set_dim_value(d);
      }
    }
  }
  return model;
}

// Appends a node of `op_type` reading `inputs` and writing `outputs`; unnamed when `name` is "".
inline onnx::NodeProto* add_node(onnx::ModelProto& model, const std::string& name,
                                 const std::string& op_type, const std::vector<std::string>& inputs,
                                 const std::vector<std::string>& outputs) {
  auto* node = model.mutable_graph()->add_node();
  if (!name.empty()) node->set_name(name);
  node->set_op_type(op_type);
  for (const auto& in : inputs) node->add_input(in);
  for (const auto& out : outputs) node->add_output(out);
  return node;
}

}  // namespace pixlake::testing
