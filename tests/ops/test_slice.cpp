#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

std::vector<Tensor> slice(Tensor x, std::vector<int64_t> starts, std::vector<int64_t> ends,
                          std::vector<int64_t> axes = {}, std::vector<int64_t> steps = {}) {
  OpRun run{.op_type = "Slice", .inputs = {std::move(x), ints(starts), ints(ends)}};
  if (!axes.empty() || !steps.empty()) run.inputs.push_back(axes.empty() ? Tensor() : ints(axes));
  if (!steps.empty()) run.inputs.push_back(ints(steps));
  return run_ok(run);
}

TEST(Slice, BasicRangeOnTwoAxes) {
  auto out = slice(iota<int32_t>({3, 4}), {1, 0}, {3, 3});
  expect_tensor<int32_t>(out[0], {2, 3}, {4, 5, 6, 8, 9, 10});
}

TEST(Slice, AxesNegativeIndicesAndClamping) {
  auto out = slice(iota<int32_t>({3, 4}), {-3}, {kMax}, {-1});
  expect_tensor<int32_t>(out[0], {3, 3}, {1, 2, 3, 5, 6, 7, 9, 10, 11});
  out = slice(iota<int32_t>({5}), {-100}, {100});
  expect_tensor<int32_t>(out[0], {5}, {0, 1, 2, 3, 4});
  out = slice(iota<int32_t>({5}), {3}, {1});
  expect_tensor<int32_t>(out[0], {0}, {});
}

TEST(Slice, PositiveSteps) {
  auto out = slice(iota<uint8_t>({17}), {1}, {17}, {0}, {5});
  expect_tensor<uint8_t>(out[0], {4}, {1, 6, 11, 16});
  out = slice(iota<uint8_t>({5}), {0}, {kMax}, {0}, {kMax});
  expect_tensor<uint8_t>(out[0], {1}, {0});
}

TEST(Slice, NegativeStepsReverse) {
  auto out = slice(iota<int64_t>({5}), {-1}, {kMin}, {0}, {-1});
  expect_tensor<int64_t>(out[0], {5}, {4, 3, 2, 1, 0});
  out = slice(iota<int64_t>({5}), {100}, {0}, {0}, {-2});
  expect_tensor<int64_t>(out[0], {2}, {4, 2});
  out = slice(iota<int64_t>({2, 3}), {2}, {-100}, {1}, {-1});
  expect_tensor<int64_t>(out[0], {2, 3}, {2, 1, 0, 5, 4, 3});
}

TEST(Slice, AttributesBeforeOpset10) {
  OpRun run{.op_type = "Slice", .inputs = {iota<float>({2, 3})}, .opset = 9};
  run.attrs.set("starts", std::vector<int64_t>{1});
  run.attrs.set("ends", std::vector<int64_t>{3});
  run.attrs.set("axes", std::vector<int64_t>{1});
  expect_tensor<float>(run_ok(run)[0], {2, 2}, {1, 2, 4, 5});
}

TEST(Slice, RefusesBadArguments) {
  OpRun run{.op_type = "Slice",
            .inputs = {iota<float>({4}), ints({0}), ints({4}), ints({0}), ints({0})}};
  EXPECT_NE(run_error(run).find("step 0"), std::string::npos);
  run.inputs = {iota<float>({4}), ints({0, 0}), ints({4})};
  EXPECT_FALSE(run_op(run).is_ok());
  run.inputs = {iota<float>({4}), ints({0}), ints({4}), ints({1})};
  EXPECT_FALSE(run_op(run).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
