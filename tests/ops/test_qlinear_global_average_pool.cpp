#include "op_test_util.h"
#include "quant_test_util.h"

namespace pixlake::testing {
namespace {

void check_pool(DType dtype, const Shape& shape, bool channels_last, float y_scale) {
  Tensor x = random_quantized(dtype, shape, 21);
  const float x_scale = 0.05f;
  const int32_t x_zp = qmin(dtype) + 90, y_zp = qmin(dtype) + 7;
  Attributes attrs;
  attrs.set("channels_last", int64_t{channels_last ? 1 : 0});
  OpRun run{.op_type = "QLinearGlobalAveragePool",
            .attrs = attrs,
            .inputs = {x, Tensor::scalar<float>(x_scale), zero_point_tensor(dtype, {x_zp}),
                       Tensor::scalar<float>(y_scale), zero_point_tensor(dtype, {y_zp})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  const int64_t batch = shape[0];
  const int64_t channels = channels_last ? shape.back() : shape[1];
  const int64_t pixels = shape_numel(shape) / (batch * channels);
  Shape y_shape(shape.size(), 1);
  y_shape[0] = batch;
  y_shape[channels_last ? shape.size() - 1 : 1] = channels;
  ASSERT_EQ(shape_to_string(out.value()[0].shape()), shape_to_string(y_shape));
  std::vector<int64_t> xv = x.to_ints();
  std::vector<int32_t> expected;
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t c = 0; c < channels; ++c) {
      double sum = 0;
      for (int64_t p = 0; p < pixels; ++p) {
        int64_t i =
            channels_last ? (n * pixels + p) * channels + c : (n * channels + c) * pixels + p;
        sum += (xv[static_cast<size_t>(i)] - x_zp) * double{x_scale};
      }
      expected.push_back(reference_quantize(sum / pixels, y_scale, y_zp, dtype));
    }
  }
  expect_quantized_near(out.value()[0], expected);
}

TEST(QLinearGlobalAveragePool, NchwUint8) { check_pool(DType::kU8, {2, 17, 7, 7}, false, 0.02f); }
TEST(QLinearGlobalAveragePool, NchwInt8OneDimensional) {
  check_pool(DType::kI8, {1, 3, 17}, false, 0.01f);
}
TEST(QLinearGlobalAveragePool, ChannelsLast) { check_pool(DType::kU8, {2, 5, 3, 17}, true, 0.02f); }
TEST(QLinearGlobalAveragePool, SinglePixel) { check_pool(DType::kU8, {1, 4, 1, 1}, false, 0.05f); }
TEST(QLinearGlobalAveragePool, Saturates) { check_pool(DType::kU8, {1, 8, 3, 3}, false, 0.0001f); }

TEST(QLinearGlobalAveragePool, HandComputed) {
  // Mean of (x - 2) * 0.5 over [2, 4, 6, 8] is 1.5; 1.5 / 0.25 + 10 = 16.
  OpRun run{.op_type = "QLinearGlobalAveragePool",
            .inputs = {Tensor::from_vector<uint8_t>({1, 1, 2, 2}, {2, 4, 6, 8}),
                       Tensor::scalar<float>(0.5f), Tensor::scalar<uint8_t>(2),
                       Tensor::scalar<float>(0.25f), Tensor::scalar<uint8_t>(10)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{16}));
}

TEST(QLinearGlobalAveragePool, RefusesBadInputs) {
  std::vector<Tensor> inputs = {Tensor(DType::kF32, {1, 2, 2, 2}), Tensor::scalar<float>(1.0f),
                                Tensor::scalar<uint8_t>(0), Tensor::scalar<float>(1.0f),
                                Tensor::scalar<uint8_t>(0)};
  EXPECT_FALSE(run_op({.op_type = "QLinearGlobalAveragePool", .inputs = inputs}).is_ok());
  inputs[0] = Tensor(DType::kU8, {2, 2});
  EXPECT_FALSE(run_op({.op_type = "QLinearGlobalAveragePool", .inputs = inputs}).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
