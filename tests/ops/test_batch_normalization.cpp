#include <cmath>
#include <string>

#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

std::vector<Tensor> bn_inputs(Shape x_shape, int64_t channels) {
  Tensor var = random_tensor({channels}, 14);
  for (int64_t c = 0; c < channels; ++c)
    var.data<float>()[c] = std::abs(var.data<float>()[c]) + 0.1f;
  return {random_tensor(x_shape, 10), random_tensor({channels}, 11), random_tensor({channels}, 12),
          random_tensor({channels}, 13), var};
}

Tensor naive_bn(const std::vector<Tensor>& in, float epsilon) {
  const Tensor& x = in[0];
  Tensor y(DType::kF32, x.shape());
  const int64_t channels = x.dim(1), plane = x.numel() / (x.dim(0) * channels);
  for (int64_t i = 0; i < x.numel(); ++i) {
    const int64_t c = (i / plane) % channels;
    const float* p[5];
    for (int k = 1; k < 5; ++k) p[k] = in[k].data<float>();
    y.data<float>()[i] =
        p[1][c] * (x.data<float>()[i] - p[3][c]) / std::sqrt(p[4][c] + epsilon) + p[2][c];
  }
  return y;
}

TEST(BatchNormalization, HandComputed) {
  OpRun run{
      .op_type = "BatchNormalization",
      .inputs = {Tensor::from_vector<float>({1, 2, 1, 2}, {1, 2, 3, 4}),
                 Tensor::from_vector<float>({2}, {2, 1}), Tensor::from_vector<float>({2}, {0, 1}),
                 Tensor::from_vector<float>({2}, {1, 3}), Tensor::from_vector<float>({2}, {4, 1})}};
  run.attrs.set("epsilon", 0.0f);
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  // Channel 0: 2 * (x - 1) / 2 + 0; channel 1: (x - 3) / 1 + 1.
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 2, 1, 2}, {0, 1, 1, 2}));
}

TEST(BatchNormalization, RanksTwoToFive) {
  for (Shape shape : {Shape{3, 5}, Shape{2, 3, 17}, Shape{2, 3, 4, 5}, Shape{1, 2, 3, 2, 3}}) {
    std::vector<Tensor> in = bn_inputs(shape, shape[1]);
    OpRun run{.op_type = "BatchNormalization", .inputs = in};
    auto out = run_op(run);
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    expect_close(out.value()[0], naive_bn(in, 1e-5f));
  }
}

// The opset 6 form PyTorch exports: is_test, momentum, consumed_inputs, spatial.
TEST(BatchNormalization, OldOpsetAttributes) {
  std::vector<Tensor> in = bn_inputs({2, 3, 4}, 3);
  OpRun run{.op_type = "BatchNormalization", .inputs = in, .opset = 6};
  run.attrs.set("epsilon", 1e-3f);
  run.attrs.set("is_test", int64_t{1});
  run.attrs.set("momentum", 0.9f);
  run.attrs.set("spatial", int64_t{1});
  run.attrs.set("consumed_inputs", std::vector<int64_t>{0, 0, 0, 1, 1});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], naive_bn(in, 1e-3f));
}

TEST(BatchNormalization, RefusesTrainingAndBadShapes) {
  std::vector<Tensor> in = bn_inputs({2, 3, 4}, 3);
  OpRun training{.op_type = "BatchNormalization", .inputs = in};
  training.attrs.set("training_mode", int64_t{1});
  auto out = run_op(training);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("training_mode"), std::string::npos);

  OpRun spatial{.op_type = "BatchNormalization", .inputs = in, .opset = 7};
  spatial.attrs.set("spatial", int64_t{0});
  EXPECT_EQ(run_op(spatial).status().code(), StatusCode::kUnsupported);

  OpRun outputs{.op_type = "BatchNormalization", .inputs = in, .n_outputs = 3};
  EXPECT_EQ(run_op(outputs).status().code(), StatusCode::kUnsupported);

  std::vector<Tensor> short_mean = in;
  short_mean[3] = random_tensor({2}, 1);
  auto bad = run_op({.op_type = "BatchNormalization", .inputs = short_mean});
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("mean"), std::string::npos);

  auto missing = run_op({.op_type = "BatchNormalization", .inputs = {in[0], in[1], in[2]}});
  EXPECT_FALSE(missing.is_ok());
}

}  // namespace
}  // namespace pixlake::testing
