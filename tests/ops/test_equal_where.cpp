// Equal and Where: the comparison and selection that dynamic-batch exports (torchvision's
// vit_b_16) use around Reshape; broadcasting, dtypes and the float corner cases.
#include <cmath>

#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

Tensor bools(Shape shape, const std::vector<uint8_t>& values) {
  Tensor t(DType::kBool, std::move(shape));
  std::memcpy(t.raw(), values.data(), values.size());
  return t;
}

TEST(Equal, BroadcastsAndReturnsBool) {
  auto out = run_ok({.op_type = "Equal",
                     .inputs = {Tensor::from_vector<int64_t>({2, 3}, {1, 2, 3, 4, 2, 6}),
                                Tensor::from_vector<int64_t>({3}, {1, 2, 6})}});
  expect_tensor<uint8_t>(out[0], DType::kBool, {2, 3}, {1, 1, 0, 0, 1, 1});
}

TEST(Equal, FloatsCompareAsNumbers) {
  const float nan = std::nanf("");
  auto out = run_ok({.op_type = "Equal",
                     .inputs = {Tensor::from_vector<float>({3}, {0.0f, nan, 1.5f}),
                                Tensor::from_vector<float>({3}, {-0.0f, nan, 1.5f})}});
  expect_tensor<uint8_t>(out[0], DType::kBool, {3}, {1, 0, 1});
}

TEST(Equal, RefusesMixedDtypes) {
  EXPECT_NE(run_error({.op_type = "Equal", .inputs = {iota<float>({2}), iota<int64_t>({2})}})
                .find("same dtype"),
            std::string::npos);
}

TEST(Where, SelectsWithThreeWayBroadcast) {
  auto out = run_ok(
      {.op_type = "Where",
       .inputs = {bools({2, 1}, {1, 0}), iota<float>({1, 3}), Tensor::scalar<float>(-1.0f)}});
  expect_tensor<float>(out[0], {2, 3}, {0, 1, 2, -1, -1, -1});
}

TEST(Where, AnyDtypeForTheValues) {
  auto out = run_ok(
      {.op_type = "Where", .inputs = {bools({3}, {0, 1, 0}), ints({7, 8, 9}), ints({1, 2, 3})}});
  expect_tensor<int64_t>(out[0], {3}, {1, 8, 3});
}

TEST(Where, RefusesANonBoolCondition) {
  EXPECT_NE(run_error({.op_type = "Where",
                       .inputs = {iota<float>({2}), iota<float>({2}), iota<float>({2})}})
                .find("bool"),
            std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
