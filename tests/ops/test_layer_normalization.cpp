#include <cmath>

#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

// Normalises x viewed as [rows, inner] with per-position scale and bias of size inner.
Tensor naive_layer_norm(const Tensor& x, int64_t inner, const std::vector<float>& scale,
                        const std::vector<float>& bias, float epsilon) {
  Tensor y(DType::kF32, x.shape());
  for (int64_t row = 0; row < x.numel() / inner; ++row) {
    const float* in = x.data<float>() + row * inner;
    double mean = 0, var = 0;
    for (int64_t i = 0; i < inner; ++i) mean += in[i] / static_cast<double>(inner);
    for (int64_t i = 0; i < inner; ++i) var += (in[i] - mean) * (in[i] - mean) / inner;
    for (int64_t i = 0; i < inner; ++i) {
      y.data<float>()[row * inner + i] =
          static_cast<float>((in[i] - mean) / std::sqrt(var + epsilon) * scale[i] + bias[i]);
    }
  }
  return y;
}

std::vector<float> values(const Tensor& t) { return t.to_floats(); }

TEST(LayerNormalization, HandComputedWithStatistics) {
  OpRun run{
      .op_type = "LayerNormalization",
      .inputs = {Tensor::from_vector<float>({2, 2}, {1, 3, 4, 6}),
                 Tensor::from_vector<float>({2}, {1, 2}), Tensor::from_vector<float>({2}, {0, 1})},
      .n_outputs = 3,
      .opset = 17};
  run.attrs.set("epsilon", 0.0f);
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  // Both rows have variance 1 (means 2 and 5).
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 2}, {-1, 3, -1, 3}));
  expect_close(out.value()[1], Tensor::from_vector<float>({2, 1}, {2, 5}));
  expect_close(out.value()[2], Tensor::from_vector<float>({2, 1}, {1, 1}));
}

TEST(LayerNormalization, DefaultAxisLastNoBias) {
  Tensor x = random_tensor({3, 17}, 40), scale = random_tensor({17}, 41);
  auto out = run_op({.op_type = "LayerNormalization", .inputs = {x, scale}, .opset = 17});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0],
               naive_layer_norm(x, 17, values(scale), std::vector<float>(17, 0.0f), 1e-5f), 1e-4f,
               1e-5f);
}

TEST(LayerNormalization, AxisOneWithBroadcastScale) {
  Tensor x = random_tensor({2, 3, 4}, 42);
  Tensor scale = random_tensor({1, 4}, 43), bias = random_tensor({3, 1}, 44);
  OpRun run{
      .op_type = "LayerNormalization", .inputs = {x, scale, bias}, .n_outputs = 2, .opset = 17};
  run.attrs.set("axis", int64_t{1});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  std::vector<float> full_scale(12), full_bias(12);
  for (int i = 0; i < 12; ++i) {
    full_scale[i] = scale.data<float>()[i % 4];
    full_bias[i] = bias.data<float>()[i / 4];
  }
  expect_close(out.value()[0], naive_layer_norm(x, 12, full_scale, full_bias, 1e-5f), 1e-4f, 1e-5f);
  EXPECT_EQ(shape_to_string(out.value()[1].shape()), "[2,1,1]");
}

TEST(LayerNormalization, RefusesBadAxisAndScale) {
  Tensor x = random_tensor({2, 3}, 1);
  OpRun axis{.op_type = "LayerNormalization", .inputs = {x, random_tensor({3}, 2)}};
  axis.attrs.set("axis", int64_t{2});
  EXPECT_FALSE(run_op(axis).is_ok());
  auto scale = run_op({.op_type = "LayerNormalization", .inputs = {x, random_tensor({2}, 2)}});
  EXPECT_FALSE(scale.is_ok());
  auto missing = run_op({.op_type = "LayerNormalization", .inputs = {x}});
  EXPECT_FALSE(missing.is_ok());
}

}  // namespace
}  // namespace pixlake::testing
