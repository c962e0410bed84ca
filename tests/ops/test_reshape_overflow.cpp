// Reshape with a shape whose product overflows int64 (found by fuzz_onnx_import: the folded
// shape [7237122972975104001, 101, ...] multiplied past INT64_MAX, undefined behaviour) is
// refused with a message (check_output_size), and shape_numel saturates.
#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(ReshapeOverflow, ShapeWhoseProductOverflowsIsRefused) {
  const std::string error = run_error(
      {.op_type = "Reshape", .inputs = {iota<float>({2, 3}), ints({7237122972975104001, 101})}});
  EXPECT_NE(error.find("output f32[7237122972975104001,101] exceeds the limit"), std::string::npos)
      << error;
  // With an inferred dimension too.
  const std::string inferred =
      run_error({.op_type = "Reshape",
                 .inputs = {iota<float>({2, 3}), ints({-1, 7237122972975104001, 101})}});
  EXPECT_NE(inferred.find("cannot reshape f32[2,3]"), std::string::npos) << inferred;
}

// Found next: an empty tensor reshaped to [2360561328705216000, 115, 0] passed the element
// count check (0 == 0), and Softmax then overflowed multiplying its leading dimensions.
TEST(ReshapeOverflow, EmptyTensorCannotCarryAbsurdDimensions) {
  const std::string error =
      run_error({.op_type = "Reshape",
                 .inputs = {iota<float>({0, 3, 0}), ints({2360561328705216000, 115, 0})}});
  EXPECT_NE(error.find("exceeds the limit"), std::string::npos) << error;
  // Modest dimensions beside a zero are still fine (0 copies the input's dimension 2, here 0).
  auto ok = run_ok({.op_type = "Reshape", .inputs = {iota<float>({0, 3, 0}), ints({5, 7, 0})}});
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].shape(), (Shape{5, 7, 0}));
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
