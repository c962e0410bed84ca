// Reshape with a shape whose product overflows int64 (found by fuzz_onnx_import: the folded
// shape [7237122972975104001, 101, ...] multiplied past INT64_MAX, undefined behaviour) is
// refused with a message, and the overflow-safe shape_numel it relies on saturates.
#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(ReshapeOverflow, ShapeWhoseProductOverflowsIsRefused) {
  const std::string error = run_error(
      {.op_type = "Reshape", .inputs = {iota<float>({2, 3}), ints({7237122972975104001, 101})}});
  EXPECT_NE(error.find("cannot reshape f32[2,3]"), std::string::npos) << error;
  // With an inferred dimension too.
  const std::string inferred =
      run_error({.op_type = "Reshape",
                 .inputs = {iota<float>({2, 3}), ints({-1, 7237122972975104001, 101})}});
  EXPECT_NE(inferred.find("cannot reshape f32[2,3]"), std::string::npos) << inferred;
}

TEST(ReshapeOverflow, ShapeNumelSaturatesAndZeroWins) {
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(shape_numel({big, big}), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(shape_numel({big, big, 0}), 0);
  EXPECT_EQ(shape_numel({2, 3, 7}), 42);
  EXPECT_EQ(shape_numel({}), 1);
}

}  // namespace
}  // namespace pixlake::testing
