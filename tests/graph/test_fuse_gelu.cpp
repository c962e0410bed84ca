// fuse_gelu: PyTorch's exported exact GELU (Div, Erf, Add, Mul, Mul) becomes one Gelu node
// that computes the same values; anything that is not exactly that pattern is left alone.
#include <gtest/gtest.h>

#include <cmath>

#include "graph/executor.h"
#include "graph/passes/fuse_gelu.h"
#include "graph_test_util.h"

namespace pixlake {
namespace {

// x [N, 5] -> Linear-free GELU -> y; `sqrt2` the divisor, `swap` writes Mul(add, x).
Graph gelu_graph(float sqrt2 = 1.4142135381698608f, bool swap = false, bool extra_reader = false) {
  Graph g;
  g.opset = 17;
  g.inputs.push_back(ValueInfo{"x", DType::kF32, {-1, 5}, {}, true});
  g.constants["sqrt2"] = Tensor::scalar<float>(sqrt2);
  g.constants["one"] = Tensor::scalar<float>(1.0f);
  g.constants["half"] = Tensor::scalar<float>(0.5f);
  g.nodes.push_back(make_node("div", "Div", {"x", "sqrt2"}, {"d"}));
  g.nodes.push_back(make_node("erf", "Erf", {"d"}, {"e"}));
  g.nodes.push_back(make_node("add", "Add", {"one", "e"}, {"a"}));
  g.nodes.push_back(make_node(
      "mul", "Mul", swap ? std::vector<std::string>{"a", "x"} : std::vector<std::string>{"x", "a"},
      {"m"}));
  g.nodes.push_back(make_node("half", "Mul", {"m", "half"}, {"y"}));
  g.outputs.push_back(ValueInfo{"y", DType::kF32, {-1, 5}, {}, true});
  if (extra_reader) g.outputs.push_back(ValueInfo{"e", DType::kF32, {-1, 5}, {}, true});
  return g;
}

std::vector<float> run(Graph g, const Tensor& x) {
  auto ex = Executor::create(std::move(g));
  EXPECT_TRUE(ex.is_ok()) << ex.status().message();
  auto out = (*ex)->run({{"x", x}}, {"y"});
  EXPECT_TRUE(out.is_ok()) << out.status().message();
  return out.is_ok() ? (*out)[0].to_floats() : std::vector<float>();
}

TEST(FuseGelu, FusesThePatternAndKeepsTheValues) {
  const Tensor x =
      Tensor::from_vector<float>({2, 5}, {-4, -1.5f, -0.3f, 0, 0.2f, 0.7f, 1, 2.5f, 6, -0.01f});
  for (bool swap : {false, true}) {
    Graph fused = gelu_graph(1.4142135381698608f, swap);
    EXPECT_EQ(fuse_gelu(fused), 1);
    ASSERT_EQ(fused.nodes.size(), 1u);
    EXPECT_EQ(fused.nodes[0].op_type, "Gelu");
    EXPECT_EQ(fused.nodes[0].outputs[0], "y");
    const std::vector<float> want = run(gelu_graph(1.4142135381698608f, swap), x);
    const std::vector<float> got = run(std::move(fused), x);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_NEAR(got[i], want[i], 2e-6f * (1 + std::abs(want[i]))) << i;
    }
  }
}

TEST(FuseGelu, LeavesOtherGraphsAlone) {
  Graph other_constant = gelu_graph(2.0f);
  EXPECT_EQ(fuse_gelu(other_constant), 0);
  EXPECT_EQ(other_constant.nodes.size(), 5u);
  Graph read_elsewhere = gelu_graph(1.4142135381698608f, false, true);
  EXPECT_EQ(fuse_gelu(read_elsewhere), 0);
  EXPECT_EQ(read_elsewhere.nodes.size(), 5u);
}

}  // namespace
}  // namespace pixlake
