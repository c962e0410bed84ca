// Importer + executor behaviour on small hand-built graphs: attribute refusal, feed checks,
// output pruning, intermediate outputs, node ordering.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "graph/executor.h"
#include "onnx/onnx_importer.h"
#include "tiny_model.h"

namespace pixlake {
namespace {

using pixlake::testing::add_node;
using pixlake::testing::kSymbolicDim;
using pixlake::testing::tiny_model;

// x -> Relu(a) -> Relu(b) -> y, optionally with the nodes written in reverse order.
std::string relu_chain(bool reversed = false, const std::string& extra_attribute = "") {
  onnx::ModelProto model = tiny_model("chain", {kSymbolicDim, 2});
  auto add = [&](const char* name, const char* in, const char* out) {
    auto* n = add_node(model, name, "Relu", {in}, {out});
    if (!extra_attribute.empty()) {
      auto* a = n->add_attribute();
      a->set_name(extra_attribute);
      a->set_type(onnx::AttributeProto::FLOAT);
      a->set_f(0.5f);
    }
  };
  if (reversed) {
    add("b", "mid", "y");
    add("a", "x", "mid");
  } else {
    add("a", "x", "mid");
    add("b", "mid", "y");
  }
  return model.SerializeAsString();
}

Result<std::unique_ptr<Executor>> load(const std::string& bytes, bool checker = true) {
  ImportOptions options;
  options.run_checker = checker;
  PIXLAKE_ASSIGN_OR_RETURN(Graph g, import_onnx_bytes(bytes, "test.onnx", ".", options));
  return Executor::create(std::move(g));
}

TEST(Executor, RunsAndReturnsIntermediateTensors) {
  auto ex = load(relu_chain());
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  Tensor x = Tensor::from_vector<float>({2, 2}, {-1, 2, 3, -4});
  auto out = (*ex)->run({{"x", x}}, {"y", "mid"});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ((*out)[0].to_floats(), (std::vector<float>{0, 2, 3, 0}));
  EXPECT_EQ((*out)[1].to_floats(), (std::vector<float>{0, 2, 3, 0}));
}

TEST(Executor, SortsNodesWrittenOutOfOrder) {
  auto ex = load(relu_chain(/*reversed=*/true), /*checker=*/false);
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  EXPECT_EQ((*ex)->graph().nodes.front().name, "a");
}

TEST(Executor, RefusesAttributeTheOperatorDoesNotRead) {
  // Skip the ONNX checker, which would refuse it first: pixlake must refuse it on its own.
  auto ex = load(relu_chain(false, "alpha"), /*checker=*/false);
  ASSERT_FALSE(ex.is_ok());
  EXPECT_EQ(ex.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(ex.status().message(), "node 'a' (Relu): attribute 'alpha' is not supported");
}

TEST(Executor, ChecksFeeds) {
  auto ex = load(relu_chain());
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  auto missing = (*ex)->run({}, {"y"});
  EXPECT_EQ(missing.status().message(), "input 'x' was not given");
  auto wrong_shape = (*ex)->run({{"x", Tensor(DType::kF32, {2, 3})}}, {"y"});
  EXPECT_EQ(wrong_shape.status().message(), "input 'x': expected f32[?,2], got f32[2,3]");
  auto wrong_type = (*ex)->run({{"x", Tensor(DType::kI64, {2, 2})}}, {"y"});
  EXPECT_EQ(wrong_type.status().code(), StatusCode::kInvalidArgument);
  auto extra =
      (*ex)->run({{"x", Tensor(DType::kF32, {1, 2})}, {"z", Tensor(DType::kF32, {1})}}, {"y"});
  EXPECT_EQ(extra.status().message(), "input 'z' is not an input of the model");
}

TEST(Executor, UnknownOutputIsNotFound) {
  auto ex = load(relu_chain());
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  auto out = (*ex)->run({{"x", Tensor(DType::kF32, {1, 2})}}, {"nope"});
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(out.status().message(), "tensor 'nope' does not exist in the model");
}

TEST(Importer, RefusesGarbageAndEmptyBytes) {
  EXPECT_EQ(import_onnx_bytes("", "e.onnx", ".").status().code(), StatusCode::kDataLoss);
  auto bad = import_onnx_bytes(std::string(100, '\xff'), "g.onnx", ".");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("model 'g.onnx'"), std::string::npos);
}

// A model whose Add operand lives in a side file, as large models store their weights.
TEST(Importer, LoadsExternalData) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("pixlake_ext_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const float weights[4] = {0.f, 1.f, 2.f, 3.f};
  std::ofstream(dir / "weights.bin", std::ios::binary)
      .write("PAD!", 4)
      .write(reinterpret_cast<const char*>(weights), sizeof weights);
  onnx::ModelProto model = tiny_model("ext", {4});
  auto* g = model.mutable_graph();
  auto* init = g->add_initializer();
  init->set_name("w");
  init->set_data_type(onnx::TensorProto::FLOAT);
  init->add_dims(4);
  init->set_data_location(onnx::TensorProto::EXTERNAL);
  for (auto [key, value] :
       {std::pair{"location", "weights.bin"}, {"offset", "4"}, {"length", "16"}}) {
    auto* entry = init->add_external_data();
    entry->set_key(key);
    entry->set_value(value);
  }
  add_node(model, "", "Add", {"x", "w"}, {"y"});
  std::string path = (dir / "model.onnx").string();
  std::ofstream(path, std::ios::binary) << model.SerializeAsString();
  auto graph = import_onnx_file(path);
  ASSERT_TRUE(graph.is_ok()) << graph.status().message();
  auto ex = Executor::create(std::move(graph).value());
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  auto out = (*ex)->run({{"x", Tensor::from_vector<float>({4}, {10, 10, 10, 10})}}, {"y"});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ((*out)[0].to_floats(), (std::vector<float>{10, 11, 12, 13}));
  // A truncated side file is reported, naming the tensor.
  fs::resize_file(dir / "weights.bin", 10);
  auto truncated = import_onnx_file(path);
  ASSERT_FALSE(truncated.is_ok());
  EXPECT_NE(truncated.status().message().find("'w'"), std::string::npos)
      << truncated.status().message();
  fs::remove_all(dir);
}

TEST(Importer, RefusesExternalDataOutsideModelFolder) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  auto* g = model.mutable_graph();
  auto* init = g->add_initializer();
  init->set_name("w");
  init->set_data_type(onnx::TensorProto::FLOAT);
  init->add_dims(1);
  init->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* entry = init->add_external_data();
  entry->set_key("location");
  entry->set_value("../../etc/passwd");
  ImportOptions options;
  options.run_checker = false;
  auto r = import_onnx_bytes(model.SerializeAsString(), "x.onnx", "/tmp", options);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("leaves the model's folder"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace pixlake
