#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Tile, RepeatsEachAxis) {
  auto out = run_ok({.op_type = "Tile", .inputs = {iota<int32_t>({2, 2}), ints({2, 3})}});
  std::vector<int32_t> expected;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 6; ++c) expected.push_back((r % 2) * 2 + c % 2);
  expect_tensor<int32_t>(out[0], {4, 6}, expected);
}

TEST(Tile, OnesAndZeros) {
  auto out = run_ok({.op_type = "Tile", .inputs = {iota<uint8_t>({3}), ints({1})}});
  expect_tensor<uint8_t>(out[0], {3}, {0, 1, 2});
  out = run_ok({.op_type = "Tile", .inputs = {iota<uint8_t>({3}), ints({0})}});
  expect_tensor<uint8_t>(out[0], {0}, {});
}

TEST(Tile, Opset1TilesAndAxis) {
  OpRun run{.op_type = "Tile",
            .inputs = {iota<float>({1, 2}), Tensor::scalar<int64_t>(3), Tensor::scalar<int64_t>(0)},
            .opset = 1};
  expect_tensor<float>(run_ok(run)[0], {3, 2}, {0, 1, 0, 1, 0, 1});
}

TEST(Tile, RefusesBadRepeats) {
  EXPECT_FALSE(run_op({.op_type = "Tile", .inputs = {iota<float>({2}), ints({1, 1})}}).is_ok());
  EXPECT_FALSE(run_op({.op_type = "Tile", .inputs = {iota<float>({2}), ints({-1})}}).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
