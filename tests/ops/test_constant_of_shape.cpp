#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(ConstantOfShape, DefaultsToFloatZero) {
  auto out = run_ok({.op_type = "ConstantOfShape", .inputs = {ints({2, 3})}});
  expect_tensor<float>(out[0], {2, 3}, std::vector<float>(6, 0.0f));
}

TEST(ConstantOfShape, ValueAttributeSetsDtype) {
  OpRun run{.op_type = "ConstantOfShape", .inputs = {ints({3})}};
  run.attrs.set("value", Tensor::from_vector<int64_t>({1}, {9}));
  expect_tensor<int64_t>(run_ok(run)[0], {3}, {9, 9, 9});
  run.attrs.set("value", Tensor::from_vector<uint8_t>({1}, {1}));
  run.inputs = {ints({1, 17, 1})};
  expect_tensor<uint8_t>(run_ok(run)[0], {1, 17, 1}, std::vector<uint8_t>(17, 1));
}

TEST(ConstantOfShape, EmptyShapeGivesScalarAndZeroDimGivesEmpty) {
  OpRun run{.op_type = "ConstantOfShape", .inputs = {ints({})}};
  run.attrs.set("value", Tensor::from_vector<float>({1}, {2.5f}));
  expect_tensor<float>(run_ok(run)[0], {}, {2.5f});
  run.inputs = {ints({2, 0})};
  expect_tensor<float>(run_ok(run)[0], {2, 0}, {});
}

TEST(ConstantOfShape, RefusesBadInputs) {
  OpRun run{.op_type = "ConstantOfShape", .inputs = {ints({-1})}};
  EXPECT_FALSE(run_op(run).is_ok());
  run.inputs = {ints({2})};
  run.attrs.set("value", iota<float>({2}));
  EXPECT_NE(run_error(run).find("one element"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
