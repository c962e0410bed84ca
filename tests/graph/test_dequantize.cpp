// The float32 rewrite of quantised graphs (src/graph/passes/dequantize.h): a small
// QuantizeLinear -> QLinearConv -> DequantizeLinear graph against the same arithmetic written
// out in the test, and against the int8 execution it stands in for; refusals name the node.
#include <gtest/gtest.h>

#include <cmath>

#include "graph/executor.h"
#include "graph/passes/dequantize.h"
#include "graph_test_util.h"
#include "ops/random_tensor.h"

namespace pixlake {
namespace {

constexpr float kXScale = 0.01f;
constexpr int kXZero = 128;
constexpr float kYScale = 0.02f;
constexpr int kYZero = 100;
const std::vector<float> kWScales = {0.005f, 0.008f};

// x [1, 2, 5, 5] f32 -> QuantizeLinear (u8) -> QLinearConv (2 maps, 3x3, pad 1, per-channel
// i8 weights, i32 bias) -> DequantizeLinear -> y.
Graph quantised_conv() {
  Graph g;
  g.opset = 13;
  g.inputs.push_back(ValueInfo{"x", DType::kF32, {1, 2, 5, 5}, {}, true});
  g.outputs.push_back(ValueInfo{"y", DType::kF32, {}, {}, false});
  g.value_info["xq"] = ValueInfo{"xq", DType::kU8, {}, {}, false};
  g.constants["xs"] = Tensor::scalar(kXScale);
  g.constants["xz"] = Tensor::scalar<uint8_t>(kXZero);
  g.constants["ys"] = Tensor::scalar(kYScale);
  g.constants["yz"] = Tensor::scalar<uint8_t>(kYZero);
  std::vector<int8_t> w(2 * 2 * 9);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = static_cast<int8_t>((static_cast<int>(i) * 37) % 255 - 127);
  g.constants["w"] = Tensor::from_vector<int8_t>({2, 2, 3, 3}, w);
  g.constants["ws"] = Tensor::from_vector<float>({2}, kWScales);
  g.constants["wz"] = Tensor::from_vector<int8_t>({2}, {0, 0});
  g.constants["b"] = Tensor::from_vector<int32_t>({2}, {250, -4000});
  g.nodes.push_back(make_node("quant", "QuantizeLinear", {"x", "xs", "xz"}, {"xq"}));
  Node conv = make_node("qconv", "QLinearConv",
                        {"xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"}, {"yq"});
  conv.attrs.set("pads", std::vector<int64_t>{1, 1, 1, 1});
  g.nodes.push_back(conv);
  g.nodes.push_back(make_node("dequant", "DequantizeLinear", {"yq", "ys", "yz"}, {"y"}));
  return g;
}

float clamp_to(float v, float scale, int zero) {
  return std::min(std::max(v, (0 - zero) * scale), (255 - zero) * scale);
}

// The float twin, written out: clip x to its uint8 range, convolve with the dequantised
// weights and bias, clip to y's range.
std::vector<float> expected(const Tensor& x, const Graph& g) {
  const int8_t* w = g.constants.at("w").data<int8_t>();
  const int32_t* b = g.constants.at("b").data<int32_t>();
  std::vector<float> y;
  for (int m = 0; m < 2; ++m) {
    for (int oy = 0; oy < 5; ++oy) {
      for (int ox = 0; ox < 5; ++ox) {
        float acc = static_cast<float>(b[m]) * kXScale * kWScales[static_cast<size_t>(m)];
        for (int c = 0; c < 2; ++c) {
          for (int ky = 0; ky < 3; ++ky) {
            for (int kx = 0; kx < 3; ++kx) {
              const int iy = oy + ky - 1, ix = ox + kx - 1;
              if (iy < 0 || iy >= 5 || ix < 0 || ix >= 5) continue;
              const float xv = clamp_to(x.data<float>()[(c * 5 + iy) * 5 + ix], kXScale, kXZero);
              acc += xv * static_cast<float>(w[((m * 2 + c) * 3 + ky) * 3 + kx]) *
                     kWScales[static_cast<size_t>(m)];
            }
          }
        }
        y.push_back(clamp_to(acc, kYScale, kYZero));
      }
    }
  }
  return y;
}

TEST(Dequantize, QLinearConvRunsAsItsFloatTwin) {
  Tensor x = testing::random_tensor({1, 2, 5, 5}, 21);
  for (int64_t i = 0; i < x.numel(); ++i) x.data<float>()[i] *= 1.6f;  // some beyond x's range
  Graph g = quantised_conv();
  const std::vector<float> want = expected(x, g);

  auto int8 = Executor::create(quantised_conv());
  ASSERT_TRUE(int8.is_ok()) << int8.status().message();
  ASSERT_TRUE(dequantize_graph(g).is_ok());
  EXPECT_EQ(g.value_info.at("xq").dtype, DType::kF32);
  auto f32 = Executor::create(std::move(g));
  ASSERT_TRUE(f32.is_ok()) << f32.status().message();

  auto ours = (*f32)->run({{"x", x}}, {"y", "xq"});
  auto quantised = (*int8)->run({{"x", x}}, {"y"});
  ASSERT_TRUE(ours.is_ok() && quantised.is_ok()) << ours.status().message();
  const std::vector<float> y = (*ours)[0].to_floats();
  const std::vector<float> yq = (*quantised)[0].to_floats();
  ASSERT_EQ(y.size(), want.size());
  bool saturated = false;
  for (size_t i = 0; i < y.size(); ++i) {
    EXPECT_NEAR(y[i], want[i], 1e-5f) << "at " << i;
    // The int8 run rounds x and y to their grids: within a few steps of y's scale.
    EXPECT_NEAR(y[i], yq[i], 4 * kYScale) << "at " << i;
    saturated |= y[i] == (255 - kYZero) * kYScale || y[i] == (0 - kYZero) * kYScale;
  }
  EXPECT_TRUE(saturated) << "the test should exercise the output range clip";
  // The quantised activation is still there under its name, as float32.
  EXPECT_EQ((*ours)[1].dtype(), DType::kF32);
}

TEST(Dequantize, RefusesANodeWithoutAFloatTwin) {
  Graph g = quantised_conv();
  g.nodes.insert(g.nodes.begin() + 1, make_node("odd", "Sigmoid", {"xq"}, {"s"}));
  Status status = dequantize_graph(g);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.code(), StatusCode::kUnsupported);
  EXPECT_NE(status.message().find("node 'odd' (Sigmoid)"), std::string::npos) << status.message();
}

TEST(Dequantize, RefusesScalesThatAreNotConstant) {
  Graph g = quantised_conv();
  g.inputs.push_back(ValueInfo{"ys_in", DType::kF32, {}, {}, true});
  g.nodes[1].inputs[6] = "ys_in";
  Status status = dequantize_graph(g);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("node 'qconv' (QLinearConv)"), std::string::npos)
      << status.message();
}

TEST(Dequantize, FloatGraphIsUnchanged) {
  Graph g;
  g.opset = 13;
  g.inputs.push_back(ValueInfo{"x", DType::kF32, {2}, {}, true});
  g.outputs.push_back(ValueInfo{"y", DType::kF32, {2}, {}, true});
  g.nodes.push_back(make_node("r", "Relu", {"x"}, {"y"}));
  ASSERT_TRUE(dequantize_graph(g).is_ok());
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.nodes[0].op_type, "Relu");
}

}  // namespace
}  // namespace pixlake
