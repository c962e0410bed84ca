#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Constant, ValueTensor) {
  OpRun run{.op_type = "Constant"};
  run.attrs.set("value", iota<int32_t>({2, 2}));
  expect_tensor<int32_t>(run_ok(run)[0], {2, 2}, {0, 1, 2, 3});
}

TEST(Constant, ScalarAndListForms) {
  OpRun run{.op_type = "Constant"};
  run.attrs.set("value_float", 1.5f);
  expect_tensor<float>(run_ok(run)[0], {}, {1.5f});
  run = {.op_type = "Constant"};
  run.attrs.set("value_floats", std::vector<float>{1, 2});
  expect_tensor<float>(run_ok(run)[0], {2}, {1, 2});
  run = {.op_type = "Constant"};
  run.attrs.set("value_int", int64_t{-7});
  expect_tensor<int64_t>(run_ok(run)[0], {}, {-7});
  run = {.op_type = "Constant"};
  run.attrs.set("value_ints", std::vector<int64_t>{3, 4, 5});
  expect_tensor<int64_t>(run_ok(run)[0], {3}, {3, 4, 5});
}

TEST(Constant, RefusesNoneOrSeveralValues) {
  EXPECT_FALSE(run_op({.op_type = "Constant"}).is_ok());
  OpRun run{.op_type = "Constant"};
  run.attrs.set("value_int", int64_t{1});
  run.attrs.set("value_float", 1.0f);
  EXPECT_NE(run_error(run).find("exactly one"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
