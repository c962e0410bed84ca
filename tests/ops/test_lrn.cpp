#include <cmath>
#include <string>

#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

// The ONNX definition, written out with the window bounds of the spec.
Tensor naive_lrn(const Tensor& x, float alpha, float beta, float bias, int64_t size) {
  Tensor y(DType::kF32, x.shape());
  const int64_t channels = x.dim(1), plane = x.numel() / (x.dim(0) * channels);
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t p = 0; p < plane; ++p) {
        double square_sum = 0;
        const int64_t lo = std::max<int64_t>(0, c - (size - 1) / 2);
        const int64_t hi = std::min<int64_t>(channels - 1, c + (size - 1 + 1) / 2);
        for (int64_t i = lo; i <= hi; ++i) {
          double v = x.data<float>()[(n * channels + i) * plane + p];
          square_sum += v * v;
        }
        const int64_t at = (n * channels + c) * plane + p;
        y.data<float>()[at] = static_cast<float>(x.data<float>()[at] /
                                                 std::pow(bias + alpha / size * square_sum, beta));
      }
  return y;
}

TEST(LRN, HandComputedSizeOne) {
  // size 1: y = x / (1 + 1 * x^2)^1 with alpha 1, beta 1, bias 1.
  OpRun run{.op_type = "LRN", .inputs = {Tensor::from_vector<float>({1, 2, 1}, {1, 2})}};
  run.attrs.set("size", int64_t{1});
  run.attrs.set("alpha", 1.0f);
  run.attrs.set("beta", 1.0f);
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 2, 1}, {0.5f, 0.4f}));
}

TEST(LRN, DefaultsMatchNaiveLoop) {
  Tensor x = random_tensor({2, 7, 3, 4}, 30);
  for (float& v : std::span(x.data<float>(), x.numel())) v *= 10.0f;  // make the sum matter
  OpRun run{.op_type = "LRN", .inputs = {x}};
  run.attrs.set("size", int64_t{5});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], naive_lrn(x, 1e-4f, 0.75f, 1.0f, 5), 1e-5f, 1e-6f);
}

TEST(LRN, EvenSizeAndAttributes) {
  Tensor x = random_tensor({1, 17, 5}, 31);
  OpRun run{.op_type = "LRN", .inputs = {x}};
  run.attrs.set("size", int64_t{4});  // window one channel longer after than before
  run.attrs.set("alpha", 0.5f);
  run.attrs.set("beta", 0.6f);
  run.attrs.set("bias", 2.0f);
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], naive_lrn(x, 0.5f, 0.6f, 2.0f, 4), 1e-5f, 1e-6f);
}

TEST(LRN, RefusesMissingSize) {
  auto out = run_op({.op_type = "LRN", .inputs = {random_tensor({1, 3, 2, 2}, 1)}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("size"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
