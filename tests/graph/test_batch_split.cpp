// Batch splitting (src/graph/batch_split.h, EngineOptions::split_batch): which graphs run item
// by item, and that doing so changes no bit of the outputs.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "graph/batch_split.h"
#include "graph_test_util.h"
#include "onnx/onnx_importer.h"
#include "pixlake/engine.h"
#include "test_data.h"

namespace pixlake {
namespace {

// x [N, 3, 8, 8] -> Conv -> Relu -> GlobalAveragePool -> Flatten -> Gemm -> y, plus `extra`
// appended (reading "flat" or "y").
Graph small_cnn(int64_t batch_dim = -1) {
  Graph g;
  g.opset = 17;
  g.inputs.push_back(ValueInfo{"x", DType::kF32, {batch_dim, 3, 8, 8}, {}, true});
  g.constants["w"] = Tensor(DType::kF32, {4, 3, 3, 3});
  g.constants["b"] = Tensor(DType::kF32, {4});
  g.constants["fc"] = Tensor(DType::kF32, {5, 4});
  g.constants["fc_bias"] = Tensor(DType::kF32, {5});
  g.nodes.push_back(make_node("conv", "Conv", {"x", "w", "b"}, {"c"}));
  g.nodes.push_back(make_node("relu", "Relu", {"c"}, {"r"}));
  g.nodes.push_back(make_node("gap", "GlobalAveragePool", {"r"}, {"p"}));
  g.nodes.push_back(make_node("flat", "Flatten", {"p"}, {"flat"}));
  Node fc = make_node("fc", "Gemm", {"flat", "fc", "fc_bias"}, {"y"});
  fc.attrs.set("transB", int64_t{1});
  g.nodes.push_back(fc);
  return g;
}

TEST(BatchSplit, ConvNetRunsItemByItem) {
  const Graph g = small_cnn();
  EXPECT_TRUE(splits_by_batch(g, {"y"}));
  EXPECT_TRUE(splits_by_batch(g, {"r", "flat", "y"}));
}

// PyTorch's x.view(x.size(0), -1): Shape -> Gather(0) -> Unsqueeze -> Concat -> Reshape.
Graph view_by_batch_size(int64_t gather_index) {
  Graph g = small_cnn();
  g.constants["zero"] = Tensor::scalar<int64_t>(gather_index);
  g.constants["axes"] = Tensor::from_vector<int64_t>({1}, {0});
  g.constants["rest"] = Tensor::from_vector<int64_t>({1}, {-1});
  g.nodes.push_back(make_node("shape", "Shape", {"r"}, {"s"}));
  Node gather = make_node("gather", "Gather", {"s", "zero"}, {"n"});
  gather.attrs.set("axis", int64_t{0});
  g.nodes.push_back(gather);
  g.nodes.push_back(make_node("unsq", "Unsqueeze", {"n", "axes"}, {"n1"}));
  Node concat = make_node("cat", "Concat", {"n1", "rest"}, {"target"});
  concat.attrs.set("axis", int64_t{0});
  g.nodes.push_back(concat);
  g.nodes.push_back(make_node("view", "Reshape", {"r", "target"}, {"v"}));
  return g;
}

TEST(BatchSplit, FlattenByTheBatchSizeRunsItemByItem) {
  EXPECT_TRUE(splits_by_batch(view_by_batch_size(0), {"v"}));
  // x.view(x.size(1), -1) would put channels first: not per item.
  EXPECT_FALSE(splits_by_batch(view_by_batch_size(1), {"v"}));
  // The shape itself used any other way (here: as the output).
  EXPECT_FALSE(splits_by_batch(view_by_batch_size(0), {"s"}));
}

TEST(BatchSplit, RefusesWhatCouldMixItems) {
  // A fixed batch size.
  EXPECT_FALSE(splits_by_batch(small_cnn(4), {"y"}));
  // An operator not known to be per item (a reduction could run over axis 0).
  Graph reduce = small_cnn();
  reduce.nodes.push_back(make_node("mean", "ReduceMean", {"y"}, {"m"}));
  EXPECT_FALSE(splits_by_batch(reduce, {"m"}));
  // Reshape, Transpose: the batch could move.
  for (const char* op : {"Reshape", "Transpose"}) {
    Graph moved = small_cnn();
    moved.constants["shape"] = Tensor::from_vector<int64_t>({1}, {-1});
    moved.nodes.push_back(make_node("move", op, {"y", "shape"}, {"m"}));
    EXPECT_FALSE(splits_by_batch(moved, {"m"})) << op;
  }
  // Concat along the batch axis.
  Graph concat = small_cnn();
  Node join = make_node("join", "Concat", {"y", "y"}, {"m"});
  join.attrs.set("axis", int64_t{0});
  concat.nodes.push_back(join);
  EXPECT_FALSE(splits_by_batch(concat, {"m"}));
  // An add whose constant has one row per item.
  Graph rows = small_cnn();
  rows.constants["per_item"] = Tensor(DType::kF32, {2, 5});
  rows.nodes.push_back(make_node("add", "Add", {"y", "per_item"}, {"m"}));
  EXPECT_FALSE(splits_by_batch(rows, {"m"}));
  // ... while a bias row is fine.
  Graph bias = small_cnn();
  bias.constants["row"] = Tensor(DType::kF32, {1, 5});
  bias.nodes.push_back(make_node("add", "Add", {"y", "row"}, {"m"}));
  EXPECT_TRUE(splits_by_batch(bias, {"m"}));
  // Training-mode batch statistics.
  Graph bn = small_cnn();
  for (const char* name : {"scale", "shift", "mean", "var"})
    bn.constants[name] = Tensor(DType::kF32, {4});
  Node norm = make_node("bn", "BatchNormalization", {"c", "scale", "shift", "mean", "var"}, {"n"});
  norm.attrs.set("training_mode", int64_t{1});
  bn.nodes.push_back(norm);
  EXPECT_FALSE(splits_by_batch(bn, {"n"}));
}

constexpr const char* kModel = "models/mobilenetv2-12-int8.onnx";

Tensor random_input(int64_t batch) {
  Tensor t(DType::kF32, {batch, 3, 224, 224});
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = normal(rng);
  return t;
}

// The real MobileNetV2 (int8 as it is, and dequantised to float32), batch of 3, with one and two
// threads (two: items on both threads): the same bits as running the batch whole.
TEST(BatchSplit, ItemByItemGivesTheSameBitsAsTheWholeBatch) {
  PIXLAKE_REQUIRE_DATA(kModel);
  // The model does split (its classifier flattens by x.size(0)), so the comparison is real.
  auto graph = import_onnx_file(testing::data_path(kModel), ImportOptions{});
  ASSERT_TRUE(graph.is_ok()) << graph.status().message();
  ASSERT_TRUE(splits_by_batch(graph.value(), {"output", "627"}));
  const Tensor input = random_input(3);
  for (bool dequantize : {false, true}) {
    for (int threads : {1, 2}) {
      EngineOptions whole;
      whole.dequantize = dequantize;
      whole.threads = threads;
      whole.split_batch = false;
      EngineOptions split = whole;
      split.split_batch = true;
      auto a = Engine::load(testing::data_path(kModel), whole);
      auto b = Engine::load(testing::data_path(kModel), split);
      ASSERT_TRUE(a.is_ok() && b.is_ok());
      auto out_a = (*a)->run({{"input", input}}, {"output", "627"});
      auto out_b = (*b)->run({{"input", input}}, {"output", "627"});
      ASSERT_TRUE(out_a.is_ok()) << out_a.status().message();
      ASSERT_TRUE(out_b.is_ok()) << out_b.status().message();
      for (size_t i = 0; i < 2; ++i) {
        const Tensor& x = out_a.value()[i];
        const Tensor& y = out_b.value()[i];
        ASSERT_EQ(x.shape(), y.shape());
        ASSERT_EQ(x.dtype(), y.dtype());
        EXPECT_EQ(std::memcmp(x.raw(), y.raw(), x.nbytes()), 0)
            << "output " << i << " dequantize " << dequantize << " threads " << threads;
      }
    }
  }
}

}  // namespace
}  // namespace pixlake
