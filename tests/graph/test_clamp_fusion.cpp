// Conv followed by Relu / Clip runs as one fused kernel, yet every tensor stays requestable:
// asking for the unclamped Conv output runs the two nodes separately, with the same result.
#include <gtest/gtest.h>

#include <limits>

#include "graph/executor.h"
#include "graph_test_util.h"
#include "ops/random_tensor.h"

namespace pixlake {
namespace {

// x [1, 3, 6, 6] -> Conv (3x3, pad 1; depthwise or dense) -> "c" -> clamp node -> "y".
Graph conv_then(const std::string& clamp_op, int opset, int64_t group) {
  Graph g;
  g.opset = opset;
  g.inputs.push_back(ValueInfo{"x", DType::kF32, {1, 3, 6, 6}, {}, true});
  g.outputs.push_back(ValueInfo{"y", DType::kF32, {}, {}, false});
  g.constants["w"] = testing::random_tensor({3, 3 / group, 3, 3}, 11);
  g.constants["b"] = testing::random_tensor({3}, 12);
  Node conv = make_node("conv", "Conv", {"x", "w", "b"}, {"c"});
  conv.attrs.set("pads", std::vector<int64_t>{1, 1, 1, 1});
  conv.attrs.set("group", group);
  g.nodes.push_back(conv);
  if (clamp_op == "Relu") {
    g.nodes.push_back(make_node("act", "Relu", {"c"}, {"y"}));
  } else if (opset < 11) {
    Node clip = make_node("act", "Clip", {"c"}, {"y"});
    clip.attrs.set("min", -0.5f);
    clip.attrs.set("max", 0.75f);
    g.nodes.push_back(clip);
  } else {
    g.constants["lo"] = Tensor::scalar(-0.5f);
    g.constants["hi"] = Tensor::scalar(0.75f);
    g.nodes.push_back(make_node("act", "Clip", {"c", "lo", "hi"}, {"y"}));
  }
  return g;
}

void check_fused_equals_unfused(Graph g, float lo, float hi) {
  auto ex = Executor::create(std::move(g));
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  Tensor x = testing::random_tensor({1, 3, 6, 6}, 13);
  auto fused = (*ex)->run({{"x", x}}, {"y"});
  auto separate = (*ex)->run({{"x", x}}, {"y", "c"});
  ASSERT_TRUE(fused.is_ok() && separate.is_ok());
  const std::vector<float> y = (*fused)[0].to_floats();
  EXPECT_EQ(y, (*separate)[0].to_floats());
  // The clamp did something: the raw conv output goes beyond the bounds somewhere.
  const std::vector<float> c = (*separate)[1].to_floats();
  bool below = false, above = false;
  for (size_t i = 0; i < c.size(); ++i) {
    below |= c[i] < lo;
    above |= c[i] > hi;
    EXPECT_EQ(y[i], std::min(std::max(c[i], lo), hi)) << "at " << i;
  }
  EXPECT_TRUE(below);
  EXPECT_TRUE(above || hi == std::numeric_limits<float>::infinity());
}

TEST(ClampFusion, ConvRelu) {
  check_fused_equals_unfused(conv_then("Relu", 13, 1), 0.0f,
                             std::numeric_limits<float>::infinity());
}

TEST(ClampFusion, DepthwiseConvClipWithInputBounds) {
  check_fused_equals_unfused(conv_then("Clip", 13, 3), -0.5f, 0.75f);
}

TEST(ClampFusion, ConvClipWithAttributeBounds) {
  check_fused_equals_unfused(conv_then("Clip", 10, 1), -0.5f, 0.75f);
}

// ResNet's residual: Add(conv, x) then Relu runs as one fused Add.
TEST(ClampFusion, ResidualAddRelu) {
  Graph g = conv_then("Relu", 13, 1);
  g.nodes.back() = make_node("add", "Add", {"c", "x"}, {"s"});
  g.nodes.push_back(make_node("act", "Relu", {"s"}, {"y"}));
  auto ex = Executor::create(std::move(g));
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  Tensor x = testing::random_tensor({1, 3, 6, 6}, 13);
  auto fused = (*ex)->run({{"x", x}}, {"y"});
  auto separate = (*ex)->run({{"x", x}}, {"y", "s"});
  ASSERT_TRUE(fused.is_ok() && separate.is_ok());
  const std::vector<float> y = (*fused)[0].to_floats(), s = (*separate)[1].to_floats();
  EXPECT_EQ(y, (*separate)[0].to_floats());
  bool negative = false;
  for (size_t i = 0; i < y.size(); ++i) {
    negative |= s[i] < 0;
    EXPECT_EQ(y[i], std::max(s[i], 0.0f)) << "at " << i;
  }
  EXPECT_TRUE(negative);
}

TEST(ClampFusion, OutputReadTwiceIsNotFused) {
  Graph g = conv_then("Relu", 13, 1);
  g.nodes.push_back(make_node("other", "Identity", {"c"}, {"z"}));
  auto ex = Executor::create(std::move(g));
  ASSERT_TRUE(ex.is_ok()) << ex.status().message();
  Tensor x = testing::random_tensor({1, 3, 6, 6}, 13);
  auto out = (*ex)->run({{"x", x}}, {"y", "z"});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  const std::vector<float> y = (*out)[0].to_floats(), z = (*out)[1].to_floats();
  for (size_t i = 0; i < y.size(); ++i) EXPECT_EQ(y[i], std::max(z[i], 0.0f));
}

}  // namespace
}  // namespace pixlake
