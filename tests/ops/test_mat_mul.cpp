#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

// np.matmul for the shapes used below: batch dims broadcast, 1-D operands promoted.
Tensor naive_matmul(const Tensor& a, const Tensor& b, const Shape& out_shape) {
  Shape as = a.shape(), bs = b.shape();
  if (as.size() == 1) as.insert(as.begin(), 1);
  if (bs.size() == 1) bs.push_back(1);
  const int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
  Shape batch(out_shape.begin(), out_shape.end() - (a.rank() > 1) - (b.rank() > 1));
  Shape a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
  Tensor y(DType::kF32, out_shape);
  std::vector<int64_t> idx(batch.size(), 0);
  for (int64_t i = 0; i < shape_numel(batch); ++i) {
    // Offsets of this batch entry in A and B, right-aligned, size-1 dims broadcast.
    auto offset = [&](const Shape& own) {
      int64_t off = 0;
      for (size_t d = 0; d < own.size(); ++d) {
        int64_t at = idx[batch.size() - own.size() + d];
        off = off * own[d] + (own[d] == 1 ? 0 : at);
      }
      return off;
    };
    const float* ap = a.data<float>() + offset(a_batch) * m * k;
    const float* bp = b.data<float>() + offset(b_batch) * k * n;
    for (int64_t r = 0; r < m; ++r)
      for (int64_t c = 0; c < n; ++c) {
        double sum = 0;
        for (int64_t j = 0; j < k; ++j) sum += static_cast<double>(ap[r * k + j]) * bp[j * n + c];
        y.data<float>()[(i * m + r) * n + c] = static_cast<float>(sum);
      }
    for (size_t d = batch.size(); d-- > 0;) {
      if (++idx[d] < batch[d]) break;
      idx[d] = 0;
    }
  }
  return y;
}

void check(Shape a_shape, Shape b_shape, Shape out_shape) {
  Tensor a = random_tensor(a_shape, 90), b = random_tensor(b_shape, 91);
  auto out = run_op({.op_type = "MatMul", .inputs = {a, b}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  ASSERT_EQ(shape_to_string(out.value()[0].shape()), shape_to_string(out_shape));
  expect_close(out.value()[0], naive_matmul(a, b, out_shape), 1e-5f, 1e-5f);
}

TEST(MatMul, HandComputed) {
  auto out = run_op({.op_type = "MatMul",
                     .inputs = {Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6}),
                                Tensor::from_vector<float>({3, 1}, {1, 0, -1})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 1}, {-2, -2}));
}

TEST(MatMul, TwoD) { check({17, 3}, {3, 5}, {17, 5}); }
TEST(MatMul, VectorVector) { check({4}, {4}, {}); }
TEST(MatMul, VectorMatrix) { check({3}, {2, 3, 5}, {2, 5}); }
TEST(MatMul, MatrixVector) { check({2, 4, 3}, {3}, {2, 4}); }
TEST(MatMul, BatchedSameShape) { check({3, 2, 4}, {3, 4, 5}, {3, 2, 5}); }
TEST(MatMul, BatchBroadcast) { check({2, 1, 3, 4}, {3, 4, 2}, {2, 3, 3, 2}); }
TEST(MatMul, BatchBroadcastBothSides) { check({1, 3, 1, 2}, {4, 1, 2, 3}, {4, 3, 1, 3}); }

TEST(MatMul, RefusesMismatch) {
  EXPECT_FALSE(
      run_op({.op_type = "MatMul", .inputs = {random_tensor({2, 3}, 1), random_tensor({4, 2}, 2)}})
          .is_ok());
  EXPECT_FALSE(run_op({.op_type = "MatMul",
                       .inputs = {random_tensor({2, 2, 3}, 1), random_tensor({3, 3, 2}, 2)}})
                   .is_ok());
  EXPECT_FALSE(
      run_op({.op_type = "MatMul", .inputs = {Tensor::scalar(1.0f), random_tensor({1}, 2)}})
          .is_ok());
}

}  // namespace
}  // namespace pixlake::testing
