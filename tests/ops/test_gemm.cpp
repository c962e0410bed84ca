#include <string>

#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

// alpha * op(A) * op(B) + beta * C, with C given as [M, N] already broadcast.
Tensor naive_gemm(const Tensor& a, const Tensor& b, const std::vector<float>& c, bool trans_a,
                  bool trans_b, float alpha, float beta) {
  const int64_t m = trans_a ? a.dim(1) : a.dim(0), k = trans_a ? a.dim(0) : a.dim(1);
  const int64_t n = trans_b ? b.dim(0) : b.dim(1);
  Tensor y(DType::kF32, {m, n});
  for (int64_t row = 0; row < m; ++row)
    for (int64_t col = 0; col < n; ++col) {
      double sum = 0;
      for (int64_t i = 0; i < k; ++i) {
        float av = trans_a ? a.data<float>()[i * m + row] : a.data<float>()[row * k + i];
        float bv = trans_b ? b.data<float>()[col * k + i] : b.data<float>()[i * n + col];
        sum += static_cast<double>(av) * bv;
      }
      y.data<float>()[row * n + col] =
          static_cast<float>(alpha * sum + (c.empty() ? 0.0 : beta * c[row * n + col]));
    }
  return y;
}

TEST(Gemm, HandComputedDefaults) {
  OpRun run{.op_type = "Gemm",
            .inputs = {Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4}),
                       Tensor::from_vector<float>({2, 2}, {5, 6, 7, 8}),
                       Tensor::from_vector<float>({2, 2}, {1, 1, 1, 1})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 2}, {20, 23, 44, 51}));
}

TEST(Gemm, TransposesAlphaBetaAndBroadcastC) {
  const int64_t m = 17, k = 3, n = 5;
  for (int trans = 0; trans < 4; ++trans) {
    const bool ta = trans & 1, tb = trans & 2;
    Tensor a = random_tensor(ta ? Shape{k, m} : Shape{m, k}, 50 + trans);
    Tensor b = random_tensor(tb ? Shape{n, k} : Shape{k, n}, 60 + trans);
    Tensor c = random_tensor({n}, 70);  // a row broadcast over M
    OpRun run{.op_type = "Gemm", .inputs = {a, b, c}};
    run.attrs.set("transA", int64_t{ta});
    run.attrs.set("transB", int64_t{tb});
    run.attrs.set("alpha", 0.5f);
    run.attrs.set("beta", 2.0f);
    auto out = run_op(run);
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    std::vector<float> full_c(m * n);
    for (int64_t i = 0; i < m * n; ++i) full_c[i] = c.data<float>()[i % n];
    expect_close(out.value()[0], naive_gemm(a, b, full_c, ta, tb, 0.5f, 2.0f), 1e-5f, 1e-5f);
  }
}

TEST(Gemm, ColumnAndScalarC) {
  Tensor a = random_tensor({3, 4}, 1), b = random_tensor({4, 2}, 2);
  Tensor column = random_tensor({3, 1}, 3);
  auto out = run_op({.op_type = "Gemm", .inputs = {a, b, column}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  std::vector<float> full_c(6);
  for (int i = 0; i < 6; ++i) full_c[i] = column.data<float>()[i / 2];
  expect_close(out.value()[0], naive_gemm(a, b, full_c, false, false, 1, 1), 1e-5f, 1e-5f);

  auto scalar = run_op({.op_type = "Gemm", .inputs = {a, b, Tensor::scalar(2.0f)}});
  ASSERT_TRUE(scalar.is_ok()) << scalar.status().message();
  expect_close(scalar.value()[0], naive_gemm(a, b, std::vector<float>(6, 2.0f), false, false, 1, 1),
               1e-5f, 1e-5f);
}

// PyTorch's Linear in opset 6: transB=1 and the old `broadcast` attribute.
TEST(Gemm, Opset6LinearForm) {
  Tensor x = random_tensor({4, 17}, 80), w = random_tensor({3, 17}, 81), b = random_tensor({3}, 82);
  OpRun run{.op_type = "Gemm", .inputs = {x, w, b}, .opset = 6};
  run.attrs.set("broadcast", int64_t{1});
  run.attrs.set("transB", int64_t{1});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  std::vector<float> full_c(12);
  for (int i = 0; i < 12; ++i) full_c[i] = b.data<float>()[i % 3];
  expect_close(out.value()[0], naive_gemm(x, w, full_c, false, true, 1, 1), 1e-5f, 1e-5f);
}

TEST(Gemm, OmittedCAndBetaZero) {
  Tensor a = random_tensor({2, 3}, 1), b = random_tensor({3, 4}, 2);
  auto out = run_op({.op_type = "Gemm", .inputs = {a, b}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], naive_gemm(a, b, {}, false, false, 1, 0), 1e-5f, 1e-5f);
  auto omitted = run_op({.op_type = "Gemm", .inputs = {a, b, Tensor()}});
  ASSERT_TRUE(omitted.is_ok()) << omitted.status().message();
  expect_close(omitted.value()[0], out.value()[0]);
}

TEST(Gemm, RefusesBadShapes) {
  Tensor a = random_tensor({2, 3}, 1);
  EXPECT_FALSE(run_op({.op_type = "Gemm", .inputs = {a, random_tensor({2, 4}, 2)}}).is_ok());
  EXPECT_FALSE(run_op({.op_type = "Gemm", .inputs = {a, random_tensor({3}, 2)}}).is_ok());
  auto bad_c = run_op(
      {.op_type = "Gemm", .inputs = {a, random_tensor({3, 4}, 2), random_tensor({3, 4}, 3)}});
  ASSERT_FALSE(bad_c.is_ok());
  EXPECT_NE(bad_c.status().message().find("C "), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
