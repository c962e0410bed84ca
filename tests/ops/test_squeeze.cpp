#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Squeeze, RemovesAllOnesByDefault) {
  auto out = run_ok({.op_type = "Squeeze", .inputs = {iota<int64_t>({1, 3, 1, 2})}});
  expect_tensor<int64_t>(out[0], {3, 2}, {0, 1, 2, 3, 4, 5});
}

TEST(Squeeze, AxesInputSinceOpset13) {
  auto out = run_ok({.op_type = "Squeeze", .inputs = {iota<float>({1, 3, 1}), ints({-1})}});
  EXPECT_EQ(out[0].shape(), Shape({1, 3}));
}

TEST(Squeeze, AxesAttributeBeforeOpset13) {
  OpRun run{.op_type = "Squeeze", .inputs = {iota<float>({1, 3, 1})}, .opset = 11};
  run.attrs.set("axes", std::vector<int64_t>{0});
  EXPECT_EQ(run_ok(run)[0].shape(), Shape({3, 1}));
}

TEST(Squeeze, RefusesNonUnitAxis) {
  EXPECT_NE(run_error({.op_type = "Squeeze", .inputs = {iota<float>({1, 3}), ints({1})}})
                .find("cannot squeeze axis 1"),
            std::string::npos);
  EXPECT_FALSE(run_op({.op_type = "Squeeze", .inputs = {iota<float>({1, 3}), ints({2})}}).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
