#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Expand, BroadcastsToShape) {
  auto out = run_ok({.op_type = "Expand", .inputs = {iota<float>({3, 1}), ints({2, 1, 2})}});
  expect_tensor<float>(out[0], {2, 3, 2}, {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2});
}

TEST(Expand, OutputMayExceedRequestedShape) {
  auto out = run_ok({.op_type = "Expand", .inputs = {iota<int64_t>({1, 3}), ints({2, 1})}});
  expect_tensor<int64_t>(out[0], {2, 3}, {0, 1, 2, 0, 1, 2});
}

TEST(Expand, ScalarInput) {
  auto out = run_ok({.op_type = "Expand", .inputs = {Tensor::scalar<uint8_t>(5), ints({3})}});
  expect_tensor<uint8_t>(out[0], {3}, {5, 5, 5});
}

TEST(Expand, RefusesIncompatibleShape) {
  EXPECT_FALSE(run_op({.op_type = "Expand", .inputs = {iota<float>({3}), ints({2})}}).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
