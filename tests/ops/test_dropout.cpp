#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Dropout, IsIdentityWithAllTrueMask) {
  OpRun run{.op_type = "Dropout", .inputs = {iota<float>({3})}, .n_outputs = 2};
  run.attrs.set("seed", int64_t{3});
  auto out = run_ok(run);
  expect_tensor<float>(out[0], {3}, {0, 1, 2});
  expect_tensor<uint8_t>(out[1], DType::kBool, {3}, {1, 1, 1});
}

TEST(Dropout, OldOpsetsReadRatioAndIsTestAndMaskHasInputDtype) {
  OpRun run{.op_type = "Dropout", .inputs = {iota<float>({2})}, .n_outputs = 2, .opset = 6};
  run.attrs.set("ratio", 0.3f);
  run.attrs.set("is_test", int64_t{1});
  auto out = run_ok(run);
  expect_tensor<float>(out[0], {2}, {0, 1});
  expect_tensor<float>(out[1], {2}, {1, 1});
}

TEST(Dropout, AcceptsRatioAndFalseTrainingMode) {
  OpRun run{
      .op_type = "Dropout",
      .inputs = {iota<int32_t>({2}), Tensor::scalar<float>(0.5f), Tensor::scalar<bool>(false)}};
  expect_tensor<int32_t>(run_ok(run)[0], {2}, {0, 1});
}

TEST(Dropout, RefusesTrainingMode) {
  OpRun run{.op_type = "Dropout",
            .inputs = {iota<float>({2}), Tensor(), Tensor::scalar<bool>(true)}};
  auto out = run_op(run);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(out.status().message().find("training_mode"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
