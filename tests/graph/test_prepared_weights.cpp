// Weights an operator keeps in a prepared (packed) copy lose their original values in the
// executor when nothing else reads them (Op::keeps_own_copy_of_input): results unchanged, a
// request for such a tensor is refused with a clear error, and a weight that another node
// also reads keeps its values.
#include <gtest/gtest.h>

#include "core/cpu_features.h"
#include "graph/executor.h"
#include "graph_test_util.h"

namespace pixlake {
namespace {

// x [N, 2] -> MatMul(x, w [2, 3]) -> y; with `shared`, also z = Add(w, w).
Graph matmul_graph(bool shared) {
  Graph g;
  g.opset = 17;
  g.inputs.push_back(ValueInfo{"x", DType::kF32, {-1, 2}, {}, true});
  g.constants["w"] = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  g.nodes.push_back(make_node("mm", "MatMul", {"x", "w"}, {"y"}));
  if (shared) g.nodes.push_back(make_node("add", "Add", {"w", "w2"}, {"z"}));
  if (shared) g.constants["w2"] = Tensor::from_vector<float>({2, 3}, {0, 0, 0, 0, 0, 0});
  g.outputs.push_back(ValueInfo{"y", DType::kF32, {-1, 3}, {}, true});
  return g;
}

TEST(PreparedWeights, ResultsStayAndTheDroppedWeightIsRefusedByName) {
  auto ex = Executor::create(matmul_graph(false));
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  const Tensor x = Tensor::from_vector<float>({1, 2}, {1, -1});
  auto y = (*ex)->run({{"x", x}}, {"y"});
  ASSERT_TRUE(y.is_ok()) << y.status().message();
  EXPECT_EQ((*y)[0].to_floats(), (std::vector<float>{-3, -3, -3}));
  auto w = (*ex)->run({{"x", x}}, {"w"});
  if (cpu_features().avx512f) {
    ASSERT_FALSE(w.is_ok());
    EXPECT_NE(w.status().message().find("'w'"), std::string::npos) << w.status().message();
    EXPECT_NE(w.status().message().find("packed"), std::string::npos) << w.status().message();
  } else {
    ASSERT_TRUE(w.is_ok());  // no kernel: nothing was prepared, the values stay
  }
}

// MatMul then Add(bias [3]) runs as one fused product; asking for the MatMul output runs them
// apart, with the same values.
TEST(PreparedWeights, MatMulAbsorbsTheBiasAddAfterIt) {
  for (bool bias_first : {false, true}) {
    Graph g = matmul_graph(false);
    g.constants["b"] = Tensor::from_vector<float>({3}, {0.5f, -1, 2});
    g.nodes.push_back(make_node(
        "add", "Add",
        bias_first ? std::vector<std::string>{"b", "y"} : std::vector<std::string>{"y", "b"},
        {"z"}));
    auto ex = Executor::create(std::move(g));
    ASSERT_TRUE(ex.is_ok()) << ex.status().message();
    const Tensor x = Tensor::from_vector<float>({2, 2}, {1, -1, 2, 0.5f});
    auto fused = (*ex)->run({{"x", x}}, {"z"});
    auto apart = (*ex)->run({{"x", x}}, {"z", "y"});
    ASSERT_TRUE(fused.is_ok() && apart.is_ok());
    const std::vector<float> z = (*fused)[0].to_floats();
    EXPECT_EQ(z, (*apart)[0].to_floats());
    EXPECT_EQ(z, (std::vector<float>{-2.5f, -4, -1, 4.5f, 5.5f, 11}));
  }
}

TEST(PreparedWeights, AWeightAnotherNodeReadsKeepsItsValues) {
  auto ex = Executor::create(matmul_graph(true));
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  const Tensor x = Tensor::from_vector<float>({1, 2}, {1, 1});
  auto out = (*ex)->run({{"x", x}}, {"y", "z", "w"});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ((*out)[0].to_floats(), (std::vector<float>{5, 7, 9}));
  EXPECT_EQ((*out)[1].to_floats(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ((*out)[2].to_floats(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

}  // namespace
}  // namespace pixlake
