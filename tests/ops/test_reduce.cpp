// ReduceSum, ReduceMean, ReduceMax, ReduceMin: axes as attribute or input depending on the
// opset, keepdims, noop_with_empty_axes, negative axes, against a naive loop.
#include <cmath>
#include <limits>

#include "op_test_util.h"

namespace pixlake::testing {
namespace {

Tensor ramp(const Shape& shape) {
  std::vector<float> v(static_cast<size_t>(shape_numel(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = std::cos(static_cast<float>(i)) * 5.0f;
  return Tensor::from_vector<float>(shape, v);
}

// Naive reduction of a rank-3 tensor over the axes flagged in `reduced` (keepdims form).
Tensor naive3(const Tensor& x, std::array<bool, 3> reduced, const std::string& op) {
  Shape out_shape;
  for (int d = 0; d < 3; ++d) out_shape.push_back(reduced[d] ? 1 : x.dim(d));
  Tensor y(DType::kF32, out_shape);
  for (int64_t i = 0; i < y.numel(); ++i) {
    int64_t oi = i / (out_shape[1] * out_shape[2]);
    int64_t oj = (i / out_shape[2]) % out_shape[1];
    int64_t ok = i % out_shape[2];
    double acc = op == "ReduceMax" ? -INFINITY : op == "ReduceMin" ? INFINITY : 0.0;
    int64_t count = 0;
    for (int64_t a = 0; a < x.dim(0); ++a) {
      for (int64_t b = 0; b < x.dim(1); ++b) {
        for (int64_t c = 0; c < x.dim(2); ++c) {
          if ((!reduced[0] && a != oi) || (!reduced[1] && b != oj) || (!reduced[2] && c != ok)) {
            continue;
          }
          double v = x.data<float>()[(a * x.dim(1) + b) * x.dim(2) + c];
          if (op == "ReduceMax")
            acc = std::max(acc, v);
          else if (op == "ReduceMin")
            acc = std::min(acc, v);
          else
            acc += v;
          ++count;
        }
      }
    }
    if (op == "ReduceMean") acc /= static_cast<double>(count);
    y.data<float>()[i] = static_cast<float>(acc);
  }
  return y;
}

Attributes attrs_with(std::vector<int64_t> axes, int64_t keepdims) {
  Attributes attrs;
  if (!axes.empty()) attrs.set("axes", axes);
  attrs.set("keepdims", keepdims);
  return attrs;
}

TEST(Reduce, AxesAttributeMatchesNaiveLoop) {
  Tensor x = ramp({3, 4, 17});
  const std::vector<std::pair<std::vector<int64_t>, std::array<bool, 3>>> cases = {
      {{0}, {true, false, false}},   {{1}, {false, true, false}},    {{-1}, {false, false, true}},
      {{0, 2}, {true, false, true}}, {{2, -3}, {true, false, true}}, {{}, {true, true, true}},
  };
  for (const char* op : {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin"}) {
    for (const auto& [axes, reduced] : cases) {
      auto out = run_op({.op_type = op, .attrs = attrs_with(axes, 1), .inputs = {x}, .opset = 11});
      ASSERT_TRUE(out.is_ok()) << op << ": " << out.status().message();
      expect_close(out.value()[0], naive3(x, reduced, op), 1e-5f, 1e-5f);
    }
  }
}

TEST(Reduce, KeepdimsZeroDropsReducedAxes) {
  Tensor x = ramp({1, 2, 3, 4});
  auto out =
      run_op({.op_type = "ReduceMean", .attrs = attrs_with({2}, 0), .inputs = {x}, .opset = 6});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].shape(), (Shape{1, 2, 4}));
  out = run_op({.op_type = "ReduceSum", .attrs = attrs_with({}, 0), .inputs = {x}, .opset = 6});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].shape(), Shape{});
}

TEST(Reduce, HandComputedSumAndMean) {
  Tensor x = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto out =
      run_op({.op_type = "ReduceSum", .attrs = attrs_with({1}, 1), .inputs = {x}, .opset = 11});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 1}, {6, 15}));
  out = run_op({.op_type = "ReduceMean", .attrs = attrs_with({0}, 0), .inputs = {x}, .opset = 11});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({3}, {2.5f, 3.5f, 4.5f}));
}

TEST(ReduceSum, AxesInputFromOpset13) {
  Tensor x = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  Attributes keep0;
  keep0.set("keepdims", int64_t{0});
  auto out = run_op({.op_type = "ReduceSum",
                     .attrs = keep0,
                     .inputs = {x, Tensor::from_vector<int64_t>({1}, {-1})},
                     .opset = 13});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2}, {6, 15}));
}

TEST(ReduceSum, OmittedOrEmptyAxesInputReducesAll) {
  Tensor x = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  for (const Tensor& axes : {Tensor(), Tensor(DType::kI64, {0})}) {
    auto out = run_op({.op_type = "ReduceSum", .inputs = {x, axes}, .opset = 13});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    expect_close(out.value()[0], Tensor::from_vector<float>({1, 1}, {21}));
  }
}

TEST(ReduceSum, NoopWithEmptyAxesCopiesInput) {
  Tensor x = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  Attributes attrs;
  attrs.set("noop_with_empty_axes", int64_t{1});
  auto out = run_op({.op_type = "ReduceSum", .attrs = attrs, .inputs = {x}, .opset = 13});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], x);
}

TEST(ReduceMean, AxesInputOnlyFromOpset18) {
  Tensor x = Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4});
  auto out = run_op({.op_type = "ReduceMean",
                     .inputs = {x, Tensor::from_vector<int64_t>({1}, {0})},
                     .opset = 18});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 2}, {2, 3}));
  // At opset 13 the axes are an attribute; the attribute is read there.
  out = run_op({.op_type = "ReduceMean", .attrs = attrs_with({1}, 1), .inputs = {x}, .opset = 13});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 1}, {1.5f, 3.5f}));
}

TEST(ReduceSum, Integers) {
  auto out = run_op({.op_type = "ReduceSum",
                     .attrs = attrs_with({0}, 0),
                     .inputs = {Tensor::from_vector<int64_t>({2, 2}, {1, 2, 3, 4})},
                     .opset = 11});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{4, 6}));
}

TEST(Reduce, ScalarInput) {
  auto out = run_op({.op_type = "ReduceMean", .inputs = {Tensor::scalar(3.0f)}, .opset = 11});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::scalar(3.0f));
}

TEST(Reduce, RefusesAxisOutOfRange) {
  auto out = run_op(
      {.op_type = "ReduceSum", .attrs = attrs_with({2}, 1), .inputs = {ramp({2, 3})}, .opset = 11});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("axis 2"), std::string::npos);
}

TEST(Reduce, RefusesRepeatedAxis) {
  auto out = run_op({.op_type = "ReduceMax",
                     .attrs = attrs_with({1, -1}, 1),
                     .inputs = {ramp({2, 3})},
                     .opset = 11});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("twice"), std::string::npos);
}

TEST(Reduce, RefusesNonInt64AxesInput) {
  auto out = run_op({.op_type = "ReduceSum",
                     .inputs = {ramp({2, 3}), Tensor::from_vector<float>({1}, {0})},
                     .opset = 13});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("input axes must be i64"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing

namespace pixlake::testing {
namespace {

// Found by fuzz_onnx_import: ReduceSum over int64 values overflowed (UB); it wraps like NumPy.
TEST(Reduce, IntegerSumOverflowWraps) {
  const int64_t big = std::numeric_limits<int64_t>::max();
  auto out =
      run_op({.op_type = "ReduceSum", .inputs = {Tensor::from_vector<int64_t>({3}, {big, 1, 5})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  ASSERT_EQ(out.value()[0].numel(), 1);
  EXPECT_EQ(out.value()[0].data<int64_t>()[0], std::numeric_limits<int64_t>::min() + 5);
}

}  // namespace
}  // namespace pixlake::testing
