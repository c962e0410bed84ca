// Softmax and LogSoftmax: the opset < 13 2-D coercion against the opset >= 13 single axis,
// numerical stability, and a naive reference on awkward shapes.
#include <cmath>

#include "op_test_util.h"

namespace pixlake::testing {
namespace {

Tensor ramp(const Shape& shape) {
  std::vector<float> v(static_cast<size_t>(shape_numel(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = std::sin(static_cast<float>(i)) * 3.0f;
  return Tensor::from_vector<float>(shape, v);
}

// Naive softmax over the elements whose flat index differs only in the coordinates selected
// by [begin, end) of the shape (one axis, or the tail for the 2-D coercion).
Tensor naive(const Tensor& x, int64_t begin, int64_t end, bool log) {
  Shape shape = x.shape();
  int64_t outer = 1, n = 1, inner = 1;
  for (int64_t d = 0; d < x.rank(); ++d) {
    (d < begin ? outer : d < end ? n : inner) *= shape[static_cast<size_t>(d)];
  }
  Tensor y(DType::kF32, shape);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t k) { return (o * n + k) * inner + i; };
      double sum = 0;
      for (int64_t k = 0; k < n; ++k) sum += std::exp(static_cast<double>(x.data<float>()[at(k)]));
      for (int64_t k = 0; k < n; ++k) {
        double v = std::exp(static_cast<double>(x.data<float>()[at(k)])) / sum;
        y.data<float>()[at(k)] = static_cast<float>(log ? std::log(v) : v);
      }
    }
  }
  return y;
}

Attributes axis_attr(int64_t axis) {
  Attributes attrs;
  attrs.set("axis", axis);
  return attrs;
}

TEST(Softmax, HandComputedRow) {
  auto out = run_op({.op_type = "Softmax",
                     .inputs = {Tensor::from_vector<float>({1, 3}, {0, 0, std::log(2.0f)})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 3}, {0.25f, 0.25f, 0.5f}));
}

TEST(Softmax, StableForLargeInputs) {
  auto out =
      run_op({.op_type = "Softmax", .inputs = {Tensor::from_vector<float>({2}, {1000, 1000})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2}, {0.5f, 0.5f}));
  out = run_op({.op_type = "LogSoftmax", .inputs = {Tensor::from_vector<float>({2}, {-1000, 0})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2}, {-1000, 0}));
}

TEST(Softmax, Opset13SingleAxisDefaultsToLast) {
  Tensor x = ramp({3, 4, 17});
  for (bool log : {false, true}) {
    const char* op = log ? "LogSoftmax" : "Softmax";
    auto out = run_op({.op_type = op, .inputs = {x}, .opset = 13});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    expect_close(out.value()[0], naive(x, 2, 3, log));
    for (int64_t axis : {0, 1, -2}) {
      out = run_op({.op_type = op, .attrs = axis_attr(axis), .inputs = {x}, .opset = 13});
      ASSERT_TRUE(out.is_ok()) << out.status().message();
      int64_t a = axis < 0 ? axis + 3 : axis;
      expect_close(out.value()[0], naive(x, a, a + 1, log));
    }
  }
}

TEST(Softmax, BeforeOpset13CoercesTo2dWithDefaultAxis1) {
  Tensor x = ramp({2, 3, 4, 5});
  for (bool log : {false, true}) {
    const char* op = log ? "LogSoftmax" : "Softmax";
    auto out = run_op({.op_type = op, .inputs = {x}, .opset = 11});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    expect_close(out.value()[0], naive(x, 1, 4, log));
    out = run_op({.op_type = op, .attrs = axis_attr(2), .inputs = {x}, .opset = 6});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    expect_close(out.value()[0], naive(x, 2, 4, log));
    out = run_op({.op_type = op, .attrs = axis_attr(0), .inputs = {x}, .opset = 6});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    expect_close(out.value()[0], naive(x, 0, 4, log));
  }
}

TEST(Softmax, SizeOneAxisGivesOne) {
  auto out = run_op({.op_type = "Softmax", .inputs = {ramp({3, 1})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({3, 1}, {1, 1, 1}));
}

TEST(Softmax, RefusesAxisOutOfRange) {
  auto out = run_op({.op_type = "Softmax", .attrs = axis_attr(2), .inputs = {ramp({2, 3})}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("axis 2"), std::string::npos);
}

TEST(Softmax, RefusesIntegerInput) {
  auto out =
      run_op({.op_type = "LogSoftmax", .inputs = {Tensor::from_vector<int64_t>({2}, {1, 2})}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("must be f32"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
