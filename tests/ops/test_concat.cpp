#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Concat, JoinsAlongMiddleAxis) {
  OpRun run{.op_type = "Concat", .inputs = {iota<int32_t>({2, 1, 2}), iota<int32_t>({2, 2, 2})}};
  run.attrs.set("axis", int64_t{1});
  expect_tensor<int32_t>(run_ok(run)[0], {2, 3, 2}, {0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 6, 7});
}

TEST(Concat, NegativeAxisAndEmptyInput) {
  OpRun run{.op_type = "Concat",
            .inputs = {iota<uint8_t>({2, 1}), iota<uint8_t>({2, 0}), iota<uint8_t>({2, 2})}};
  run.attrs.set("axis", int64_t{-1});
  expect_tensor<uint8_t>(run_ok(run)[0], {2, 3}, {0, 0, 1, 1, 2, 3});
}

TEST(Concat, AxisZeroSingleInput) {
  OpRun run{.op_type = "Concat", .inputs = {iota<float>({3})}};
  run.attrs.set("axis", int64_t{0});
  expect_tensor<float>(run_ok(run)[0], {3}, {0, 1, 2});
}

TEST(Concat, Opset1DefaultsToAxisOne) {
  OpRun run{.op_type = "Concat", .inputs = {iota<float>({1, 2}), iota<float>({1, 1})}, .opset = 1};
  expect_tensor<float>(run_ok(run)[0], {1, 3}, {0, 1, 0});
  OpRun missing{.op_type = "Concat", .inputs = {iota<float>({1, 2})}, .opset = 11};
  EXPECT_NE(run_error(missing).find("axis"), std::string::npos);
}

TEST(Concat, RefusesMismatchedInputs) {
  OpRun run{.op_type = "Concat", .inputs = {iota<float>({2, 2}), iota<float>({3, 2})}};
  run.attrs.set("axis", int64_t{1});
  EXPECT_NE(run_error(run).find("cannot concatenate"), std::string::npos);
  run.inputs = {iota<float>({2, 2}), iota<int32_t>({2, 2})};
  EXPECT_FALSE(run_op(run).is_ok());
  run.attrs.set("axis", int64_t{2});
  run.inputs = {iota<float>({2, 2})};
  EXPECT_FALSE(run_op(run).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
