#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Gather, RowsWithI64AndNegativeIndices) {
  OpRun run{.op_type = "Gather",
            .inputs = {iota<float>({3, 2}), Tensor::from_vector<int64_t>({2, 2}, {0, -1, 1, 0})}};
  expect_tensor<float>(run_ok(run)[0], {2, 2, 2}, {0, 1, 4, 5, 2, 3, 0, 1});
}

TEST(Gather, AxisOneWithI32ScalarIndex) {
  OpRun run{.op_type = "Gather", .inputs = {iota<uint8_t>({2, 3}), Tensor::scalar<int32_t>(2)}};
  run.attrs.set("axis", int64_t{1});
  expect_tensor<uint8_t>(run_ok(run)[0], {2}, {2, 5});
}

TEST(Gather, EmbeddingLookupOnNegativeAxis) {
  OpRun run{.op_type = "Gather",
            .inputs = {iota<int64_t>({2, 3}), Tensor::from_vector<int32_t>({3}, {2, 2, 0})}};
  run.attrs.set("axis", int64_t{-1});
  expect_tensor<int64_t>(run_ok(run)[0], {2, 3}, {2, 2, 0, 5, 5, 3});
}

TEST(Gather, RefusesOutOfRangeAndFloatIndices) {
  OpRun run{.op_type = "Gather", .inputs = {iota<float>({3}), ints({3})}};
  EXPECT_NE(run_error(run).find("index 3"), std::string::npos);
  run.inputs[1] = ints({-4});
  EXPECT_FALSE(run_op(run).is_ok());
  run.inputs[1] = Tensor::from_vector<float>({1}, {0});
  EXPECT_NE(run_error(run).find("indices must be"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
