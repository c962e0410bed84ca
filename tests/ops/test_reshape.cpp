#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

Result<std::vector<Tensor>> reshape(Shape in, std::vector<int64_t> shape, bool allowzero = false) {
  OpRun run{.op_type = "Reshape", .inputs = {iota<int32_t>(in), ints(shape)}, .opset = 14};
  if (allowzero) run.attrs.set("allowzero", int64_t{1});
  return run_op(run);
}

TEST(Reshape, ExplicitShapeKeepsOrder) {
  auto out = reshape({2, 3}, {3, 2});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_tensor<int32_t>(out.value()[0], {3, 2}, {0, 1, 2, 3, 4, 5});
}

TEST(Reshape, ZeroCopiesAndMinusOneInfers) {
  auto out = reshape({2, 3, 4}, {0, -1});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].shape(), Shape({2, 12}));
  out = reshape({2, 3, 4}, {-1, 0, 2});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].shape(), Shape({4, 3, 2}));
}

TEST(Reshape, AllowZeroKeepsZeroDims) {
  auto out = reshape({0, 3}, {3, 0}, true);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].shape(), Shape({3, 0}));
}

TEST(Reshape, ShapeAttributeBeforeOpset5) {
  OpRun run{.op_type = "Reshape", .inputs = {iota<float>({2, 3})}, .opset = 1};
  run.attrs.set("shape", std::vector<int64_t>{-1});
  run.attrs.set("consumed_inputs", std::vector<int64_t>{0});
  auto out = run_ok(run);
  expect_tensor<float>(out[0], {6}, {0, 1, 2, 3, 4, 5});
}

TEST(Reshape, AcceptsI32Shape) {
  OpRun run{.op_type = "Reshape",
            .inputs = {iota<float>({2, 3}), Tensor::from_vector<int32_t>({2}, {3, -1})}};
  EXPECT_EQ(run_ok(run)[0].shape(), Shape({3, 2}));
}

TEST(Reshape, RefusesBadShapes) {
  EXPECT_FALSE(reshape({2, 3}, {4, -1}).is_ok());
  EXPECT_FALSE(reshape({2, 3}, {-1, -1}).is_ok());
  EXPECT_FALSE(reshape({2, 3}, {7}).is_ok());
  EXPECT_FALSE(reshape({2, 3}, {-2, 3}).is_ok());
  EXPECT_FALSE(reshape({2, 3}, {1, 1, 0}).is_ok());
  OpRun run{.op_type = "Reshape", .inputs = {iota<float>({2, 3}), ints({6}).reshaped({1, 1})}};
  EXPECT_NE(run_error(run).find("1-D"), std::string::npos);
  OpRun float_shape{.op_type = "Reshape",
                    .inputs = {iota<float>({2, 3}), Tensor::from_vector<float>({1}, {6})}};
  EXPECT_NE(run_error(float_shape).find("input shape must be i64"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
