#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Unsqueeze, InsertsAxesOfOutput) {
  auto out = run_ok({.op_type = "Unsqueeze", .inputs = {iota<uint8_t>({3, 2}), ints({0, 3})}});
  expect_tensor<uint8_t>(out[0], {1, 3, 2, 1}, {0, 1, 2, 3, 4, 5});
}

TEST(Unsqueeze, NegativeAxesCountFromOutputEnd) {
  auto out = run_ok({.op_type = "Unsqueeze", .inputs = {iota<float>({3}), ints({-1})}});
  EXPECT_EQ(out[0].shape(), Shape({3, 1}));
  out = run_ok({.op_type = "Unsqueeze", .inputs = {Tensor::scalar<float>(2), ints({0})}});
  EXPECT_EQ(out[0].shape(), Shape({1}));
}

TEST(Unsqueeze, AxesAttributeBeforeOpset13) {
  OpRun run{.op_type = "Unsqueeze", .inputs = {iota<float>({3})}, .opset = 11};
  run.attrs.set("axes", std::vector<int64_t>{1, 0});
  EXPECT_EQ(run_ok(run)[0].shape(), Shape({1, 1, 3}));
  OpRun missing{.op_type = "Unsqueeze", .inputs = {iota<float>({3})}, .opset = 11};
  EXPECT_NE(run_error(missing).find("axes"), std::string::npos);
}

TEST(Unsqueeze, RefusesRepeatedOrOutOfRangeAxes) {
  EXPECT_NE(run_error({.op_type = "Unsqueeze", .inputs = {iota<float>({3}), ints({0, 0})}})
                .find("repeated"),
            std::string::npos);
  EXPECT_FALSE(run_op({.op_type = "Unsqueeze", .inputs = {iota<float>({3}), ints({2})}}).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
