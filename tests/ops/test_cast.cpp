#include "data_movement_test_util.h"
#include "ops/onnx_dtype.h"

namespace pixlake::testing {
namespace {

Tensor cast(Tensor x, int64_t to) {
  OpRun run{.op_type = "Cast", .inputs = {std::move(x)}};
  run.attrs.set("to", to);
  return run_ok(run)[0];
}

TEST(Cast, FloatToIntTruncatesTowardZero) {
  Tensor x = Tensor::from_vector<float>({4}, {-1.7f, -0.5f, 0.5f, 2.9f});
  expect_tensor<int32_t>(cast(x, 6), {4}, {-1, 0, 0, 2});
  expect_tensor<int64_t>(cast(x, 7), {4}, {-1, 0, 0, 2});
  expect_tensor<int8_t>(cast(x, 3), {4}, {-1, 0, 0, 2});
}

TEST(Cast, ToBoolAndBack) {
  Tensor x = Tensor::from_vector<float>({3}, {0, -2, 0.25f});
  Tensor b = cast(x, 9);
  expect_tensor<uint8_t>(b, DType::kBool, {3}, {0, 1, 1});
  expect_tensor<float>(cast(b, 1), {3}, {0, 1, 1});
}

TEST(Cast, FloatToF16AndDouble) {
  Tensor x = Tensor::from_vector<float>({2}, {1.5f, -2.0f});
  expect_tensor<uint16_t>(cast(x, 10), DType::kF16, {2}, {f32_to_f16(1.5f), f32_to_f16(-2.0f)});
  expect_tensor<uint16_t>(cast(x, 16), DType::kBF16, {2}, {f32_to_bf16(1.5f), f32_to_bf16(-2.0f)});
  expect_tensor<double>(cast(x, 11), {2}, {1.5, -2.0});
}

TEST(Cast, LargeI64ToI32AndU8) {
  Tensor x = Tensor::from_vector<int64_t>({2}, {7, 200});
  expect_tensor<int32_t>(cast(x, 6), {2}, {7, 200});
  expect_tensor<uint8_t>(cast(x, 2), {2}, {7, 200});
}

TEST(Cast, StringTypeBeforeOpset6) {
  OpRun run{.op_type = "Cast", .inputs = {Tensor::from_vector<int32_t>({1}, {3})}, .opset = 5};
  run.attrs.set("to", std::string("FLOAT"));
  expect_tensor<float>(run_ok(run)[0], {1}, {3.0f});
}

TEST(Cast, RefusesUnknownTypes) {
  OpRun run{.op_type = "Cast", .inputs = {iota<float>({1})}};
  run.attrs.set("to", int64_t{8});  // STRING
  auto out = run_op(run);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(out.status().message().find("to=8"), std::string::npos);
  OpRun old{.op_type = "Cast", .inputs = {iota<float>({1})}, .opset = 1};
  old.attrs.set("to", std::string("COMPLEX64"));
  EXPECT_FALSE(run_op(old).is_ok());
  EXPECT_FALSE(run_op({.op_type = "Cast", .inputs = {iota<float>({1})}}).is_ok());
}

TEST(OnnxDtype, MapsCodesAndNames) {
  EXPECT_EQ(dtype_from_onnx(1), DType::kF32);
  EXPECT_EQ(dtype_from_onnx(7), DType::kI64);
  EXPECT_EQ(dtype_from_onnx(9), DType::kBool);
  EXPECT_EQ(dtype_from_onnx(10), DType::kF16);
  EXPECT_EQ(dtype_from_onnx(16), DType::kBF16);
  EXPECT_EQ(dtype_from_onnx(8), std::nullopt);
  EXPECT_EQ(dtype_from_onnx(0), std::nullopt);
  EXPECT_EQ(dtype_from_onnx_name("UINT64"), DType::kU64);
  EXPECT_EQ(dtype_from_onnx_name("float"), std::nullopt);
}

}  // namespace
}  // namespace pixlake::testing
