#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

TEST(GlobalMaxPool, MaxOfEachPlane) {
  Tensor x = Tensor::from_vector<float>({2, 1, 3}, {1, 7, 3, -4, -2, -3});
  auto out = run_op({.op_type = "GlobalMaxPool", .inputs = {x}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 1, 1}, {7, -2}));
}

TEST(GlobalMaxPool, TwoAndThreeSpatialDims) {
  for (Shape shape : {Shape{1, 3, 17, 3}, Shape{2, 2, 3, 4, 5}}) {
    Tensor x = random_tensor(shape, 5);
    auto out = run_op({.op_type = "GlobalMaxPool", .inputs = {x}});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    const int64_t planes = shape[0] * shape[1], plane = x.numel() / planes;
    Shape expected_shape(shape.size(), 1);
    expected_shape[0] = shape[0];
    expected_shape[1] = shape[1];
    std::vector<float> expected(planes, -2.0f);
    for (int64_t p = 0; p < planes; ++p)
      for (int64_t i = 0; i < plane; ++i)
        expected[p] = std::max(expected[p], x.data<float>()[p * plane + i]);
    expect_close(out.value()[0], Tensor::from_vector<float>(expected_shape, expected));
  }
}

TEST(GlobalMaxPool, RefusesRankOne) {
  auto out = run_op({.op_type = "GlobalMaxPool", .inputs = {random_tensor({4}, 1)}});
  EXPECT_FALSE(out.is_ok());
}

}  // namespace
}  // namespace pixlake::testing
