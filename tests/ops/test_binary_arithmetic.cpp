// Add, Sub, Mul, Div, Pow (elementwise.h BinaryOp): NumPy broadcasting against a naive loop,
// integer dtypes, opset < 7 legacy broadcasting, and the error cases.
#include <cmath>
#include <functional>
#include <limits>

#include "op_test_util.h"

namespace pixlake::testing {
namespace {

Tensor iota(const Shape& shape, float start, float step) {
  std::vector<float> v(static_cast<size_t>(shape_numel(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + step * static_cast<float>(i);
  return Tensor::from_vector<float>(shape, v);
}

// Naive broadcast: output index -> input index by taking each coordinate modulo the input's
// (right-aligned) dimension.
Tensor naive_broadcast(const Tensor& a, const Tensor& b, const Shape& out_shape,
                       const std::function<float(float, float)>& fn) {
  Tensor out(DType::kF32, out_shape);
  size_t rank = out_shape.size();
  std::vector<int64_t> out_strides = shape_strides(out_shape);
  auto offset = [&](const Tensor& t, int64_t flat) {
    int64_t off = 0;
    std::vector<int64_t> strides = shape_strides(t.shape());
    size_t lead = rank - t.shape().size();
    for (size_t d = lead; d < rank; ++d) {
      int64_t coord = (flat / out_strides[d]) % out_shape[d];
      off += (coord % t.shape()[d - lead]) * strides[d - lead];
    }
    return off;
  };
  for (int64_t i = 0; i < out.numel(); ++i) {
    out.data<float>()[i] = fn(a.data<float>()[offset(a, i)], b.data<float>()[offset(b, i)]);
  }
  return out;
}

struct Case {
  const char* op;
  std::function<float(float, float)> fn;
};

const std::vector<Case> kCases = {
    {"Add", [](float a, float b) { return a + b; }},
    {"Sub", [](float a, float b) { return a - b; }},
    {"Mul", [](float a, float b) { return a * b; }},
    {"Div", [](float a, float b) { return a / b; }},
    {"Pow", [](float a, float b) { return std::pow(a, b); }},
};

TEST(BinaryArithmetic, NumpyBroadcastingMatchesNaiveLoop) {
  struct Shapes {
    Shape a, b, out;
  };
  const std::vector<Shapes> shapes = {
      {{3, 17}, {3, 17}, {3, 17}},
      {{2, 3, 4}, {4}, {2, 3, 4}},
      {{2, 1, 4}, {3, 1}, {2, 3, 4}},
      {{1}, {17}, {17}},
      {{}, {2, 3}, {2, 3}},
      {{3, 1, 5}, {1, 4, 1}, {3, 4, 5}},
      {{1, 1, 1}, {1}, {1, 1, 1}},
      // The inner-run split: a per-channel vector over maps, a bias row over tokens, a 1 in
      // the middle of a whole input, broadcast on both sides of the run, zero-size, scalars.
      {{2, 3, 5, 7}, {1, 3, 1, 1}, {2, 3, 5, 7}},
      {{1, 3, 1, 1}, {2, 3, 5, 7}, {2, 3, 5, 7}},
      {{197, 1, 40}, {40}, {197, 1, 40}},
      {{4, 1, 6}, {4, 5, 6}, {4, 5, 6}},
      {{4, 5, 1}, {1, 5, 6}, {4, 5, 6}},
      {{2, 0, 3}, {3}, {2, 0, 3}},
      {{}, {}, {}},
      {{5, 1}, {1, 1}, {5, 1}},
  };
  for (const Case& c : kCases) {
    for (const Shapes& s : shapes) {
      // Positive bases keep Pow real; non-zero divisors keep Div finite.
      Tensor a = iota(s.a, 0.5f, 0.25f);
      Tensor b = iota(s.b, 1.5f, 0.03f);
      auto out = run_op({.op_type = c.op, .inputs = {a, b}});
      ASSERT_TRUE(out.is_ok()) << c.op << ": " << out.status().message();
      expect_close(out.value()[0], naive_broadcast(a, b, s.out, c.fn));
    }
  }
}

TEST(BinaryArithmetic, IntegerAddSubMulDiv) {
  Tensor a = Tensor::from_vector<int64_t>({2, 3}, {7, -7, 6, 0, 100, -9});
  Tensor b = Tensor::from_vector<int64_t>({3}, {2, 2, -4});
  const std::vector<std::pair<const char*, std::vector<int64_t>>> expected = {
      {"Add", {9, -5, 2, 2, 102, -13}},
      {"Sub", {5, -9, 10, -2, 98, -5}},
      {"Mul", {14, -14, -24, 0, 200, 36}},
      {"Div", {3, -3, -1, 0, 50, 2}},  // truncation toward zero
  };
  for (const auto& [op, want] : expected) {
    auto out = run_op({.op_type = op, .inputs = {a, b}});
    ASSERT_TRUE(out.is_ok()) << op << ": " << out.status().message();
    EXPECT_EQ(out.value()[0].dtype(), DType::kI64);
    EXPECT_EQ(out.value()[0].to_ints(), want) << op;
  }
  auto out =
      run_op({.op_type = "Mul",
              .inputs = {Tensor::from_vector<int32_t>({2}, {3, -4}), Tensor::scalar<int32_t>(5)}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].dtype(), DType::kI32);
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{15, -20}));
}

TEST(BinaryArithmetic, IntegerDivisionByZeroIsAnError) {
  auto out = run_op({.op_type = "Div",
                     .inputs = {Tensor::from_vector<int64_t>({2}, {1, 2}),
                                Tensor::from_vector<int64_t>({2}, {1, 0})}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("division by zero"), std::string::npos);
}

TEST(BinaryArithmetic, IntegerMinDividedByMinusOneWraps) {
  int32_t lowest = std::numeric_limits<int32_t>::min();
  auto out = run_op({.op_type = "Div",
                     .inputs = {Tensor::from_vector<int32_t>({1}, {lowest}),
                                Tensor::from_vector<int32_t>({1}, {-1})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].data<int32_t>()[0], lowest);
}

// Found by fuzz_onnx_import: int64 Mul of folded shape values overflowed (UB). Integer Add, Sub,
// Mul and Sum wrap in two's complement, as NumPy and ONNX Runtime do.
TEST(BinaryArithmetic, IntegerOverflowWraps) {
  const int64_t a = 70650219154374657, b = 141300438308749314;
  const int64_t big = std::numeric_limits<int64_t>::max();
  auto wrapped = [](uint64_t v) { return static_cast<int64_t>(v); };
  auto run1 = [](const char* op, int64_t x, int64_t y) {
    auto out = run_op({.op_type = op,
                       .inputs = {Tensor::from_vector<int64_t>({1}, {x}),
                                  Tensor::from_vector<int64_t>({1}, {y})}});
    EXPECT_TRUE(out.is_ok()) << out.status().message();
    return out.is_ok() ? out.value()[0].data<int64_t>()[0] : 0;
  };
  EXPECT_EQ(run1("Mul", a, b), wrapped(uint64_t(a) * uint64_t(b)));
  EXPECT_EQ(run1("Add", big, 1), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(run1("Sub", std::numeric_limits<int64_t>::min(), 1), big);
  EXPECT_EQ(run1("Sum", big, big), -2);
  auto i32 = run_op({.op_type = "Mul",
                     .inputs = {Tensor::from_vector<int32_t>({1}, {1 << 20}),
                                Tensor::from_vector<int32_t>({1}, {1 << 11})}});
  ASSERT_TRUE(i32.is_ok()) << i32.status().message();
  EXPECT_EQ(i32.value()[0].data<int32_t>()[0], std::numeric_limits<int32_t>::min());
}

TEST(BinaryArithmetic, FloatDivisionByZeroFollowsIeee) {
  auto out = run_op({.op_type = "Div",
                     .inputs = {Tensor::from_vector<float>({2}, {1, 0}), Tensor::scalar(0.0f)}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_TRUE(std::isinf(out.value()[0].data<float>()[0]));
  EXPECT_TRUE(std::isnan(out.value()[0].data<float>()[1]));
}

TEST(BinaryArithmetic, DoubleInputs) {
  auto out = run_op(
      {.op_type = "Add",
       .inputs = {Tensor::from_vector<double>({2}, {0.1, 0.2}), Tensor::scalar<double>(1.0)}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].dtype(), DType::kF64);
  EXPECT_DOUBLE_EQ(out.value()[0].data<double>()[1], 1.2);
}

TEST(Pow, IntegerExponentIsConverted) {
  auto out = run_op(
      {.op_type = "Pow",
       .inputs = {Tensor::from_vector<float>({3}, {2, -3, 0.5f}), Tensor::scalar<int64_t>(2)},
       .opset = 15});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({3}, {4, 9, 0.25f}));
}

TEST(Pow, NegativeBaseWithFractionalExponentIsNan) {
  auto out = run_op({.op_type = "Pow", .inputs = {Tensor::scalar(-2.0f), Tensor::scalar(0.5f)}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_TRUE(std::isnan(out.value()[0].data<float>()[0]));
}

TEST(BinaryArithmetic, RefusesMismatchedDtypes) {
  auto out = run_op({.op_type = "Add",
                     .inputs = {Tensor::from_vector<float>({2}, {1, 2}),
                                Tensor::from_vector<int64_t>({2}, {1, 2})}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("same dtype"), std::string::npos);
}

TEST(BinaryArithmetic, RefusesUnsupportedDtype) {
  auto out = run_op({.op_type = "Pow",
                     .inputs = {Tensor::from_vector<int64_t>({2}, {1, 2}),
                                Tensor::from_vector<int64_t>({2}, {1, 2})}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("input A must be f32"), std::string::npos);
}

TEST(BinaryArithmetic, RefusesShapesThatDoNotBroadcast) {
  auto out = run_op({.op_type = "Sub", .inputs = {iota({2, 3}, 0, 1), iota({2}, 0, 1)}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("cannot be broadcast"), std::string::npos);
}

// Opset < 7: broadcast=1 aligns B at `axis` (default: to the right) instead of NumPy rules.
TEST(BinaryArithmeticLegacy, BroadcastAtAxis) {
  Attributes attrs;
  attrs.set("broadcast", int64_t{1});
  attrs.set("axis", int64_t{1});
  // A [2,3,2], B [3] at axis 1: B varies along the middle axis, which NumPy could not do.
  auto out = run_op({.op_type = "Add",
                     .attrs = attrs,
                     .inputs = {iota({2, 3, 2}, 0, 0), Tensor::from_vector<float>({3}, {1, 2, 3})},
                     .opset = 6});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0],
               Tensor::from_vector<float>({2, 3, 2}, {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}));
}

TEST(BinaryArithmeticLegacy, BroadcastWithoutAxisAlignsRight) {
  Attributes attrs;
  attrs.set("broadcast", int64_t{1});
  auto out = run_op({.op_type = "Mul",
                     .attrs = attrs,
                     .inputs = {iota({2, 3}, 1, 1), Tensor::scalar(2.0f)},
                     .opset = 6});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 3}, {2, 4, 6, 8, 10, 12}));
}

TEST(BinaryArithmeticLegacy, SizeOneDimensionsStretch) {
  Attributes attrs;
  attrs.set("broadcast", int64_t{1});
  attrs.set("axis", int64_t{0});
  auto out = run_op({.op_type = "Sub",
                     .attrs = attrs,
                     .inputs = {iota({2, 3}, 0, 1), Tensor::from_vector<float>({2, 1}, {1, 2})},
                     .opset = 6});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 3}, {-1, 0, 1, 1, 2, 3}));
}

TEST(BinaryArithmeticLegacy, WithoutBroadcastShapesMustMatch) {
  auto out =
      run_op({.op_type = "Add", .inputs = {iota({2, 3}, 0, 1), iota({3}, 0, 1)}, .opset = 6});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("broadcast=0"), std::string::npos);
  out = run_op({.op_type = "Add", .inputs = {iota({2, 3}, 0, 1), iota({2, 3}, 0, 1)}, .opset = 6});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
}

TEST(BinaryArithmeticLegacy, RefusesAxisThatDoesNotFit) {
  Attributes attrs;
  attrs.set("broadcast", int64_t{1});
  attrs.set("axis", int64_t{2});
  auto out = run_op({.op_type = "Add",
                     .attrs = attrs,
                     .inputs = {iota({2, 3}, 0, 1), iota({3}, 0, 1)},
                     .opset = 6});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("axis 2"), std::string::npos);
}

TEST(BinaryArithmeticLegacy, RefusesMismatchedDimension) {
  Attributes attrs;
  attrs.set("broadcast", int64_t{1});
  auto out = run_op({.op_type = "Add",
                     .attrs = attrs,
                     .inputs = {iota({2, 3}, 0, 1), iota({2}, 0, 1)},
                     .opset = 6});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("does not match"), std::string::npos);
}

// From opset 7 broadcast/axis no longer exist: init() leaves them unread so the graph builder
// refuses them.
TEST(BinaryArithmeticLegacy, AttributesUnreadFromOpset7) {
  for (int opset : {6, 7}) {
    auto op = make_op(*op_type_from_name("Add"));
    OpSetup setup;
    setup.opset = opset;
    setup.attrs.set("broadcast", int64_t{1});
    ASSERT_TRUE(op->init(setup).is_ok());
    EXPECT_EQ(setup.attrs.unread().size(), opset < 7 ? 0u : 1u) << "opset " << opset;
  }
}

}  // namespace
}  // namespace pixlake::testing
