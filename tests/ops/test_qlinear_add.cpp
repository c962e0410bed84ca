#include "op_test_util.h"
#include "ops/op_util.h"
#include "quant_test_util.h"

namespace pixlake::testing {
namespace {

// Dequantise both sides, add in double, quantise; with NumPy broadcasting via the same helper
// the operators use (itself tested on float ops).
void check_add(DType dtype, const Shape& a_shape, const Shape& b_shape, float c_scale) {
  Tensor a = random_quantized(dtype, a_shape, 11);
  Tensor b = random_quantized(dtype, b_shape, 12);
  const float a_scale = 0.031f, b_scale = 0.017f;
  const int32_t a_zp = qmin(dtype) + 100, b_zp = qmin(dtype) + 37, c_zp = qmin(dtype) + 140;
  OpRun run{.op_type = "QLinearAdd",
            .inputs = {a, Tensor::scalar<float>(a_scale), zero_point_tensor(dtype, {a_zp}), b,
                       Tensor::scalar<float>(b_scale), zero_point_tensor(dtype, {b_zp}),
                       Tensor::scalar<float>(c_scale), zero_point_tensor(dtype, {c_zp})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  auto c_shape = broadcast_shapes({a_shape, b_shape});
  ASSERT_TRUE(c_shape.is_ok());
  ASSERT_EQ(shape_to_string(out.value()[0].shape()), shape_to_string(*c_shape));
  EXPECT_EQ(out.value()[0].dtype(), dtype);
  std::vector<int64_t> av = a.to_ints(), bv = b.to_ints();
  std::vector<int32_t> expected;
  BroadcastIterator it(*c_shape, {a_shape, b_shape});
  for (int64_t i = 0; i < shape_numel(*c_shape); ++i, it.next()) {
    double sum = (av[static_cast<size_t>(it.offset(0))] - a_zp) * double{a_scale} +
                 (bv[static_cast<size_t>(it.offset(1))] - b_zp) * double{b_scale};
    expected.push_back(reference_quantize(sum, c_scale, c_zp, dtype));
  }
  expect_quantized_near(out.value()[0], expected);
}

TEST(QLinearAdd, SameShapeUint8) { check_add(DType::kU8, {2, 17, 3}, {2, 17, 3}, 0.04f); }
TEST(QLinearAdd, SameShapeInt8) { check_add(DType::kI8, {127}, {127}, 0.04f); }
TEST(QLinearAdd, BroadcastsBothWays) { check_add(DType::kU8, {3, 1, 5}, {4, 1}, 0.03f); }
TEST(QLinearAdd, ScalarOperand) { check_add(DType::kI8, {1, 17}, {}, 0.02f); }
TEST(QLinearAdd, SaturatesWithSmallOutputScale) { check_add(DType::kU8, {64}, {64}, 0.001f); }

TEST(QLinearAdd, HandComputed) {
  // A = (200 - 128) * 0.5 = 36, B = (10 - 0) * 1 = 10; C = 46 / 2 + 3 = 26. Second element:
  // A = (0 - 128) * 0.5 = -64, B = 0; C = -32 + 3 -> saturates at 0.
  OpRun run{.op_type = "QLinearAdd",
            .inputs = {Tensor::from_vector<uint8_t>({2}, {200, 0}), Tensor::scalar<float>(0.5f),
                       Tensor::scalar<uint8_t>(128), Tensor::from_vector<uint8_t>({2}, {10, 0}),
                       Tensor::scalar<float>(1.0f), Tensor::scalar<uint8_t>(0),
                       Tensor::scalar<float>(2.0f), Tensor::scalar<uint8_t>(3)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{26, 0}));
}

TEST(QLinearAdd, RefusesMixedDtypesAndBadShapes) {
  std::vector<Tensor> inputs = {Tensor(DType::kU8, {3}),     Tensor::scalar<float>(1.0f),
                                Tensor::scalar<uint8_t>(0),  Tensor(DType::kI8, {3}),
                                Tensor::scalar<float>(1.0f), Tensor::scalar<int8_t>(0),
                                Tensor::scalar<float>(1.0f), Tensor::scalar<uint8_t>(0)};
  EXPECT_FALSE(run_op({.op_type = "QLinearAdd", .inputs = inputs}).is_ok());
  inputs[3] = Tensor(DType::kU8, {4});
  inputs[5] = Tensor::scalar<uint8_t>(0);
  EXPECT_FALSE(run_op({.op_type = "QLinearAdd", .inputs = inputs}).is_ok());
  inputs[0] = Tensor(DType::kF32, {4});
  EXPECT_FALSE(run_op({.op_type = "QLinearAdd", .inputs = inputs}).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
