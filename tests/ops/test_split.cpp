#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Split, EvenSplitByOutputCount) {
  OpRun run{.op_type = "Split", .inputs = {iota<float>({2, 4})}, .n_outputs = 2};
  run.attrs.set("axis", int64_t{1});
  auto out = run_ok(run);
  expect_tensor<float>(out[0], {2, 2}, {0, 1, 4, 5});
  expect_tensor<float>(out[1], {2, 2}, {2, 3, 6, 7});
}

TEST(Split, SplitInputSinceOpset13) {
  OpRun run{.op_type = "Split", .inputs = {iota<int64_t>({5}), ints({1, 0, 4})}, .n_outputs = 3};
  auto out = run_ok(run);
  expect_tensor<int64_t>(out[0], {1}, {0});
  expect_tensor<int64_t>(out[1], {0}, {});
  expect_tensor<int64_t>(out[2], {4}, {1, 2, 3, 4});
}

TEST(Split, SplitAttributeBeforeOpset13) {
  OpRun run{.op_type = "Split", .inputs = {iota<uint8_t>({3, 2})}, .n_outputs = 2, .opset = 11};
  run.attrs.set("axis", int64_t{-2});
  run.attrs.set("split", std::vector<int64_t>{2, 1});
  auto out = run_ok(run);
  expect_tensor<uint8_t>(out[0], {2, 2}, {0, 1, 2, 3});
  expect_tensor<uint8_t>(out[1], {1, 2}, {4, 5});
}

TEST(Split, NumOutputsGivesSmallerLastPart) {
  OpRun run{.op_type = "Split", .inputs = {iota<float>({7})}, .n_outputs = 3, .opset = 18};
  run.attrs.set("num_outputs", int64_t{3});
  auto out = run_ok(run);
  expect_tensor<float>(out[0], {3}, {0, 1, 2});
  expect_tensor<float>(out[1], {3}, {3, 4, 5});
  expect_tensor<float>(out[2], {1}, {6});
}

TEST(Split, RefusesUnevenOrWrongSplit) {
  OpRun run{.op_type = "Split", .inputs = {iota<float>({5})}, .n_outputs = 2};
  EXPECT_NE(run_error(run).find("evenly"), std::string::npos);
  run.inputs.push_back(ints({2, 2}));
  EXPECT_FALSE(run_op(run).is_ok());
  run.inputs.back() = ints({6, -1});
  EXPECT_FALSE(run_op(run).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
