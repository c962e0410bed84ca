// PRelu: slope broadcast to X (unidirectional), and the opset < 7 per-channel 1-D slope.
#include "op_test_util.h"

namespace pixlake::testing {
namespace {

Tensor iota(const Shape& shape, float start) {
  std::vector<float> v(static_cast<size_t>(shape_numel(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + static_cast<float>(i);
  return Tensor::from_vector<float>(shape, v);
}

// Naive per-channel PReLU for x [N, C, rest...] and one slope per channel.
Tensor per_channel(const Tensor& x, const std::vector<float>& slopes) {
  Tensor y(DType::kF32, x.shape());
  int64_t channels = x.dim(1);
  int64_t inner = x.numel() / (x.dim(0) * channels);
  for (int64_t i = 0; i < x.numel(); ++i) {
    float v = x.data<float>()[i];
    float s = slopes[static_cast<size_t>((i / inner) % channels)];
    y.data<float>()[i] = v >= 0 ? v : s * v;
  }
  return y;
}

TEST(PRelu, ScalarSlope) {
  auto out = run_op({.op_type = "PRelu",
                     .inputs = {Tensor::from_vector<float>({4}, {-2, -1, 0, 3}),
                                Tensor::from_vector<float>({1}, {0.5f})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({4}, {-1, -0.5f, 0, 3}));
}

TEST(PRelu, ChannelSlopeShapedForBroadcasting) {
  // The opset >= 7 way to give one slope per channel: shape [C, 1, 1].
  Tensor x = iota({2, 3, 2, 2}, -12);
  auto out = run_op({.op_type = "PRelu",
                     .inputs = {x, Tensor::from_vector<float>({3, 1, 1}, {0.1f, 0.2f, 0.3f})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], per_channel(x, {0.1f, 0.2f, 0.3f}));
}

TEST(PRelu, LegacyOneDimensionalSlopeIsPerChannel) {
  // PyTorch exports at opset 6 give x [N, C, ...] and slope [C].
  for (const Shape& shape : {Shape{2, 3}, Shape{2, 3, 4}, Shape{1, 3, 4, 5}}) {
    Tensor x = iota(shape, -30);
    auto out = run_op({.op_type = "PRelu",
                       .inputs = {x, Tensor::from_vector<float>({3}, {0.1f, 0.2f, 0.3f})},
                       .opset = 6});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    expect_close(out.value()[0], per_channel(x, {0.1f, 0.2f, 0.3f}));
  }
}

TEST(PRelu, Opset7SlopeFollowsNumpyAlignment) {
  // [3] against [2, 3, 3] lines up with the last axis under NumPy rules.
  Tensor x = iota({2, 3, 3}, -18);
  auto out = run_op({.op_type = "PRelu",
                     .inputs = {x, Tensor::from_vector<float>({3}, {0.1f, 0.2f, 0.3f})},
                     .opset = 9});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  std::vector<float> want;
  for (int64_t i = 0; i < x.numel(); ++i) {
    float v = x.data<float>()[i];
    want.push_back(v >= 0 ? v : (0.1f * static_cast<float>(i % 3 + 1)) * v);
  }
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 3, 3}, want));
}

TEST(PRelu, RefusesSlopeLargerThanX) {
  auto out = run_op({.op_type = "PRelu",
                     .inputs = {Tensor::from_vector<float>({3}, {1, 2, 3}), iota({2, 3}, 0)}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("does not broadcast to input X"), std::string::npos);
}

TEST(PRelu, RefusesIncompatibleSlope) {
  auto out = run_op({.op_type = "PRelu", .inputs = {iota({2, 3}, 0), iota({2}, 0)}});
  ASSERT_FALSE(out.is_ok());
}

TEST(PRelu, RefusesIntegerInput) {
  auto out = run_op(
      {.op_type = "PRelu", .inputs = {Tensor::from_vector<int64_t>({1}, {1}), iota({1}, 0)}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("input X must be f32"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
