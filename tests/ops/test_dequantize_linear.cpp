#include "op_test_util.h"
#include "quant_test_util.h"

namespace pixlake::testing {
namespace {

TEST(DequantizeLinear, PerTensorUint8) {
  Tensor x = Tensor::from_vector<uint8_t>({4}, {0, 3, 128, 255});
  OpRun run{.op_type = "DequantizeLinear",
            .inputs = {x, Tensor::scalar<float>(2.0f), Tensor::scalar<uint8_t>(128)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({4}, {-256, -250, 0, 254}));
}

TEST(DequantizeLinear, Int8WithOmittedZeroPoint) {
  Tensor x = Tensor::from_vector<int8_t>({3}, {-128, 0, 127});
  OpRun run{.op_type = "DequantizeLinear", .inputs = {x, Tensor::scalar<float>(0.5f)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({3}, {-64, 0, 63.5f}));
}

TEST(DequantizeLinear, Int32Bias) {
  Tensor x = Tensor::from_vector<int32_t>({3}, {-100000, 0, 7});
  OpRun run{.op_type = "DequantizeLinear", .inputs = {x, Tensor::scalar<float>(0.25f)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({3}, {-25000, 0, 1.75f}));
}

TEST(DequantizeLinear, PerAxisMatchesNaiveLoop) {
  for (DType dtype : {DType::kU8, DType::kI8}) {
    Tensor x = random_quantized(dtype, {2, 17, 3}, 7);
    std::vector<float> scales;
    std::vector<int32_t> zps;
    for (int c = 0; c < 17; ++c) {
      scales.push_back(0.01f * static_cast<float>(c + 1));
      zps.push_back(qmin(dtype) + c * 13);
    }
    OpRun run{.op_type = "DequantizeLinear",
              .inputs = {x, scale_tensor(scales), zero_point_tensor(dtype, zps)}};
    auto out = run_op(run);
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    std::vector<int64_t> q = x.to_ints();
    std::vector<float> expected;
    for (int64_t i = 0; i < x.numel(); ++i) {
      size_t c = static_cast<size_t>((i / 3) % 17);
      expected.push_back(static_cast<float>(q[static_cast<size_t>(i)] - zps[c]) * scales[c]);
    }
    expect_close(out.value()[0], Tensor::from_vector<float>({2, 17, 3}, expected));
  }
}

TEST(DequantizeLinear, PerAxisLastAxis) {
  Tensor x = Tensor::from_vector<uint8_t>({2, 2}, {10, 20, 30, 40});
  Attributes attrs;
  attrs.set("axis", int64_t{-1});
  OpRun run{.op_type = "DequantizeLinear",
            .attrs = attrs,
            .inputs = {x, scale_tensor({1.0f, 0.5f}), zero_point_tensor(DType::kU8, {10, 20})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 2}, {0, 0, 20, 10}));
}

TEST(DequantizeLinear, RefusesFloatInputAndZeroPointOfAnotherType) {
  OpRun floats{.op_type = "DequantizeLinear",
               .inputs = {Tensor(DType::kF32, {2}), Tensor::scalar<float>(1.0f)}};
  EXPECT_FALSE(run_op(floats).is_ok());
  OpRun mixed{
      .op_type = "DequantizeLinear",
      .inputs = {Tensor(DType::kU8, {2}), Tensor::scalar<float>(1.0f), Tensor::scalar<int8_t>(0)}};
  auto out = run_op(mixed);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("x_zero_point"), std::string::npos);
}

TEST(DequantizeLinear, RefusesWrongScaleCount) {
  OpRun run{.op_type = "DequantizeLinear",
            .inputs = {Tensor(DType::kU8, {2, 3}), scale_tensor({1.0f, 1.0f}),
                       zero_point_tensor(DType::kU8, {0, 0})}};
  EXPECT_FALSE(run_op(run).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
