// Attribute values that crash libonnx's shape inference (a signal, not an exception) are refused
// before it runs. Found by fuzz_onnx_import: MaxPool strides=[2,2,0] divided by zero inside
// onnx::convPoolShapeInference1 and killed the process with SIGFPE.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <utility>
#include <vector>

#include "onnx/onnx_importer.h"
#include "tiny_model.h"

namespace pixlake {
namespace {

std::string pool_model(const std::string& op_type, const std::string& attr_name,
                       const std::vector<int64_t>& values) {
  onnx::ModelProto model = testing::tiny_model("g", {2, 3, 5, 5, 5});
  auto* node = testing::add_node(model, "pool", op_type, {"x"}, {"y"});
  auto add_ints = [&](const std::string& name, const std::vector<int64_t>& ints) {
    auto* a = node->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : ints) a->add_ints(v);
  };
  add_ints("kernel_shape", {2, 2, 2});
  add_ints(attr_name, values);
  return model.SerializeAsString();
}

TEST(ShapeInferenceGuards, ZeroStrideIsRefusedNotAFloatingPointException) {
  auto graph = import_onnx_bytes(pool_model("MaxPool", "strides", {2, 2, 0}), "m.onnx", ".");
  ASSERT_FALSE(graph.is_ok());
  EXPECT_EQ(graph.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(graph.status().message(),
            "model 'm.onnx': node 'pool' (MaxPool): attribute 'strides' must be positive, got "
            "[2,2,0]");
}

TEST(ShapeInferenceGuards, NegativeDilationIsRefused) {
  auto graph = import_onnx_bytes(pool_model("MaxPool", "dilations", {1, -1, 1}), "m.onnx", ".");
  ASSERT_FALSE(graph.is_ok());
  EXPECT_NE(graph.status().message().find("attribute 'dilations' must be positive"),
            std::string::npos);
}

TEST(ShapeInferenceGuards, UnsupportedOperatorIsRefusedBeforeInference) {
  auto graph = import_onnx_bytes(pool_model("LpPool", "strides", {1, 1, 1}), "m.onnx", ".");
  ASSERT_FALSE(graph.is_ok());
  EXPECT_EQ(graph.status().message(),
            "model 'm.onnx': node 'pool' (LpPool): operator LpPool is not supported");
}

TEST(ShapeInferenceGuards, ValidStridesStillImport) {
  auto graph = import_onnx_bytes(pool_model("MaxPool", "strides", {1, 1, 1}), "m.onnx", ".");
  EXPECT_TRUE(graph.is_ok()) << graph.status().message();
}

// The other crash fuzz_onnx_import found in libonnx 1.12 (SEGV in shape inference on a Gemm-6
// whose B input has rank 1) is not guarded; models from untrusted sources are imported with
// infer_shapes = false, which must then handle this model with a Status.
TEST(ShapeInferenceGuards, GemmWithRankOneInputImportsWithoutShapeInference) {
  onnx::ModelProto model = testing::tiny_model("g", {2, 3});
  model.mutable_opset_import(0)->set_version(6);
  auto* g = model.mutable_graph();
  g->mutable_output(0)->set_name("out");
  for (auto [name, dims] :
       {std::pair<const char*, std::vector<int64_t>>{"b", {3, 4}}, {"c", {4}}}) {
    auto* in = g->add_input();
    in->set_name(name);
    auto* tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  testing::add_node(model, "g1", "Gemm", {"x", "b", "c"}, {"mid"});
  testing::add_node(model, "g2", "Gemm", {"x", "c", "mid"}, {"out"});
  ImportOptions options;
  options.infer_shapes = false;
  auto graph = import_onnx_bytes(model.SerializeAsString(), "m.onnx", ".", options);
  ASSERT_TRUE(graph.is_ok()) << graph.status().message();
  EXPECT_TRUE(graph->value_info.empty());  // nothing inferred
  EXPECT_EQ(graph->nodes.size(), 2u);
}

}  // namespace
}  // namespace pixlake
