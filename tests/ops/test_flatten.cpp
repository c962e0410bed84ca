#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

Shape flatten_shape(Shape in, int64_t axis, bool set_axis = true) {
  OpRun run{.op_type = "Flatten", .inputs = {iota<float>(in)}};
  if (set_axis) run.attrs.set("axis", axis);
  auto out = run_ok(run);
  return out[0].shape();
}

TEST(Flatten, DefaultAxisIsOne) { EXPECT_EQ(flatten_shape({2, 3, 4}, 0, false), Shape({2, 12})); }

TEST(Flatten, AxisZeroAndRank) {
  EXPECT_EQ(flatten_shape({2, 3, 4}, 0), Shape({1, 24}));
  EXPECT_EQ(flatten_shape({2, 3, 4}, 3), Shape({24, 1}));
  EXPECT_EQ(flatten_shape({2, 3, 4}, -1), Shape({6, 4}));
  EXPECT_EQ(flatten_shape({17}, 1), Shape({17, 1}));
}

TEST(Flatten, KeepsValuesAndDtype) {
  OpRun run{.op_type = "Flatten", .inputs = {iota<uint16_t>({1, 3, 1, 1})}};
  auto out = run_ok(run);
  expect_tensor<uint16_t>(out[0], {1, 3}, {0, 1, 2});
}

TEST(Flatten, RefusesOutOfRangeAxis) {
  OpRun run{.op_type = "Flatten", .inputs = {iota<float>({2, 3})}};
  run.attrs.set("axis", int64_t{3});
  EXPECT_NE(run_error(run).find("axis 3"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
