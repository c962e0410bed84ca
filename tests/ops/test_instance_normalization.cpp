#include <cmath>

#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

TEST(InstanceNormalization, HandComputed) {
  // Plane {1, 3}: mean 2, variance 1. Plane {2, 4}: mean 3, variance 1.
  OpRun run{.op_type = "InstanceNormalization",
            .inputs = {Tensor::from_vector<float>({1, 2, 2}, {1, 3, 2, 4}),
                       Tensor::from_vector<float>({2}, {2, 5}),
                       Tensor::from_vector<float>({2}, {1, -1})}};
  run.attrs.set("epsilon", 0.0f);
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 2, 2}, {-1, 3, -6, 4}));
}

TEST(InstanceNormalization, MatchesNaiveLoop) {
  for (Shape shape : {Shape{2, 3, 17}, Shape{2, 3, 5, 4}, Shape{1, 2, 3, 3, 3}}) {
    Tensor x = random_tensor(shape, 20), scale = random_tensor({shape[1]}, 21),
           bias = random_tensor({shape[1]}, 22);
    OpRun run{.op_type = "InstanceNormalization", .inputs = {x, scale, bias}};
    run.attrs.set("epsilon", 1e-9f);
    auto out = run_op(run);
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    Tensor expected(DType::kF32, shape);
    const int64_t planes = shape[0] * shape[1], plane = x.numel() / planes;
    for (int64_t p = 0; p < planes; ++p) {
      const float* in = x.data<float>() + p * plane;
      double mean = 0, var = 0;
      for (int64_t i = 0; i < plane; ++i) mean += in[i] / static_cast<double>(plane);
      for (int64_t i = 0; i < plane; ++i) var += (in[i] - mean) * (in[i] - mean) / plane;
      const int64_t c = p % shape[1];
      for (int64_t i = 0; i < plane; ++i) {
        expected.data<float>()[p * plane + i] =
            static_cast<float>(scale.data<float>()[c] * (in[i] - mean) / std::sqrt(var + 1e-9) +
                               bias.data<float>()[c]);
      }
    }
    expect_close(out.value()[0], expected, 1e-4f, 1e-5f);
  }
}

TEST(InstanceNormalization, RefusesBadShapes) {
  Tensor x = random_tensor({1, 3, 4}, 1);
  auto out = run_op({.op_type = "InstanceNormalization",
                     .inputs = {x, random_tensor({2}, 2), random_tensor({3}, 3)}});
  EXPECT_FALSE(out.is_ok());
  auto rank2 =
      run_op({.op_type = "InstanceNormalization",
              .inputs = {random_tensor({1, 3}, 1), random_tensor({3}, 2), random_tensor({3}, 3)}});
  EXPECT_FALSE(rank2.is_ok());
}

}  // namespace
}  // namespace pixlake::testing
