#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

TEST(GlobalAveragePool, MeansEachPlane) {
  Tensor x = Tensor::from_vector<float>({1, 2, 2, 2}, {1, 2, 3, 4, -1, -1, 5, 5});
  auto out = run_op({.op_type = "GlobalAveragePool", .inputs = {x}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 2, 1, 1}, {2.5f, 2}));
}

TEST(GlobalAveragePool, KeepsRankFor1dAnd3d) {
  for (Shape shape : {Shape{3, 17, 5}, Shape{2, 3, 4, 3, 5}}) {
    Tensor x = random_tensor(shape, 4);
    auto out = run_op({.op_type = "GlobalAveragePool", .inputs = {x}});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    Shape expected_shape(shape.size(), 1);
    expected_shape[0] = shape[0];
    expected_shape[1] = shape[1];
    const int64_t planes = shape[0] * shape[1], plane = x.numel() / planes;
    std::vector<float> expected(planes);
    for (int64_t p = 0; p < planes; ++p) {
      double sum = 0;
      for (int64_t i = 0; i < plane; ++i) sum += x.data<float>()[p * plane + i];
      expected[p] = static_cast<float>(sum / plane);
    }
    expect_close(out.value()[0], Tensor::from_vector<float>(expected_shape, expected));
  }
}

TEST(GlobalAveragePool, RefusesIntegerInput) {
  auto out = run_op(
      {.op_type = "GlobalAveragePool", .inputs = {Tensor::from_vector<int64_t>({1, 1, 1}, {1})}});
  EXPECT_FALSE(out.is_ok());
}

}  // namespace
}  // namespace pixlake::testing
