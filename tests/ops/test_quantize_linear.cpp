#include "op_test_util.h"
#include "quant_test_util.h"

namespace pixlake::testing {
namespace {

TEST(QuantizeLinear, PerTensorUint8RoundsHalfToEvenAndSaturates) {
  Tensor x =
      Tensor::from_vector<float>({8}, {0.0f, 1.0f, 2.5f, 3.5f, -2.5f, 1000.0f, -1000.0f, 5.0f});
  OpRun run{.op_type = "QuantizeLinear",
            .inputs = {x, Tensor::scalar<float>(0.5f), Tensor::scalar<uint8_t>(10)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  // x / 0.5 = 0, 2, 5, 7, -5, 2000, -2000, 10 (no ties); then + 10, clamp to [0, 255].
  EXPECT_EQ(out.value()[0].dtype(), DType::kU8);
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{10, 12, 15, 17, 5, 255, 0, 20}));
}

TEST(QuantizeLinear, TiesRoundToEven) {
  Tensor x = Tensor::from_vector<float>({6}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f});
  OpRun run{.op_type = "QuantizeLinear",
            .inputs = {x, Tensor::scalar<float>(1.0f), Tensor::scalar<int8_t>(0)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].dtype(), DType::kI8);
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{0, 2, 2, 0, -2, -2}));
}

TEST(QuantizeLinear, OmittedZeroPointMeansUint8Zero) {
  Tensor x = Tensor::from_vector<float>({3}, {-1.0f, 0.4f, 300.0f});
  OpRun run{.op_type = "QuantizeLinear", .inputs = {x, Tensor::scalar<float>(1.0f)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].dtype(), DType::kU8);
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{0, 0, 255}));
}

TEST(QuantizeLinear, Int8SaturatesAtBothEnds) {
  Tensor x = Tensor::from_vector<float>({4}, {-500.0f, 500.0f, -3.0f, 3.0f});
  OpRun run{.op_type = "QuantizeLinear",
            .inputs = {x, Tensor::scalar<float>(1.0f), Tensor::scalar<int8_t>(-5)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{-128, 127, -8, -2}));
}

// Per-axis quantisation against the definition evaluated in double, on an awkward shape.
void check_per_axis(int64_t axis, int64_t onnx_axis, DType dtype) {
  Shape shape = {3, 17, 5};
  const int64_t dim = shape[static_cast<size_t>(axis)];
  std::vector<float> scales;
  std::vector<int32_t> zps;
  for (int64_t c = 0; c < dim; ++c) {
    scales.push_back(0.05f + 0.01f * static_cast<float>(c));
    zps.push_back(static_cast<int32_t>(qmin(dtype) + (c * 37) % 200));
  }
  Tensor x(DType::kF32, shape);
  for (int64_t i = 0; i < x.numel(); ++i) x.data<float>()[i] = std::sin(0.7f * i) * 9.0f;
  Attributes attrs;
  attrs.set("axis", onnx_axis);
  OpRun run{.op_type = "QuantizeLinear",
            .attrs = attrs,
            .inputs = {x, scale_tensor(scales), zero_point_tensor(dtype, zps)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d) inner *= shape[d];
  std::vector<int32_t> expected;
  for (int64_t i = 0; i < x.numel(); ++i) {
    size_t c = static_cast<size_t>((i / inner) % dim);
    expected.push_back(reference_quantize(x.data<float>()[i], scales[c], zps[c], dtype));
  }
  expect_quantized_near(out.value()[0], expected);
}

TEST(QuantizeLinear, PerAxisDefaultAxisOneUint8) { check_per_axis(1, 1, DType::kU8); }
TEST(QuantizeLinear, PerAxisNegativeAxisInt8) { check_per_axis(2, -1, DType::kI8); }
TEST(QuantizeLinear, PerAxisAxisZero) { check_per_axis(0, 0, DType::kU8); }

TEST(QuantizeLinear, RefusesScaleCountThatDoesNotMatchAxis) {
  Tensor x(DType::kF32, {2, 3});
  OpRun run{.op_type = "QuantizeLinear",
            .inputs = {x, scale_tensor({1.0f, 2.0f}), zero_point_tensor(DType::kU8, {0, 0})}};
  EXPECT_FALSE(run_op(run).is_ok());
}

TEST(QuantizeLinear, RefusesNonFloatInputAndMismatchedZeroPoint) {
  OpRun ints{.op_type = "QuantizeLinear",
             .inputs = {Tensor::from_vector<int64_t>({1}, {1}), Tensor::scalar<float>(1.0f)}};
  auto out = run_op(ints);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("input x must be f32"), std::string::npos);
  OpRun zp{.op_type = "QuantizeLinear",
           .inputs = {Tensor(DType::kF32, {2}), Tensor::scalar<float>(1.0f),
                      zero_point_tensor(DType::kU8, {1, 2})}};
  EXPECT_FALSE(run_op(zp).is_ok());
}

TEST(QuantizeLinear, RefusesBlockSize) {
  Attributes attrs;
  attrs.set("block_size", int64_t{2});
  OpRun run{.op_type = "QuantizeLinear",
            .attrs = attrs,
            .inputs = {Tensor(DType::kF32, {4}), Tensor::scalar<float>(1.0f)}};
  auto out = run_op(run);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("block_size"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
