// Unary activations and math functions (elementwise.h UnaryOp): each formula against a naive
// std:: computation, attribute defaults, the opset < 6 consumed_inputs attribute, dtypes.
#include <cmath>
#include <functional>

#include "op_test_util.h"

namespace pixlake::testing {
namespace {

// Awkward values: both signs, zero, large magnitudes that overflow a naive exp().
const std::vector<float> kValues = {-100.0f, -3.5f, -1.0f, -0.25f, 0.0f, 0.25f, 1.0f, 2.5f, 100.0f};

Tensor values_tensor() { return Tensor::from_vector<float>({3, 3}, kValues); }

// Runs `op_type` on kValues and compares with `expected(x)` for each element.
void expect_unary(const std::string& op_type, const std::function<double(double)>& expected,
                  Attributes attrs = {}, int opset = 13) {
  OpRun run{.op_type = op_type, .attrs = attrs, .inputs = {values_tensor()}, .opset = opset};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << op_type << ": " << out.status().message();
  std::vector<float> want;
  for (float x : kValues) want.push_back(static_cast<float>(expected(x)));
  expect_close(out.value()[0], Tensor::from_vector<float>({3, 3}, want));
}

Attributes attrs_of(std::initializer_list<std::pair<std::string, AttributeValue>> list) {
  Attributes attrs;
  for (const auto& [name, value] : list) attrs.set(name, value);
  return attrs;
}

TEST(Elu, DefaultAlphaIsOne) {
  expect_unary("Elu", [](double x) { return x >= 0 ? x : std::exp(x) - 1; });
}

TEST(Elu, Alpha) {
  expect_unary(
      "Elu", [](double x) { return x >= 0 ? x : 2.0 * (std::exp(x) - 1); },
      attrs_of({{"alpha", 2.0f}}));
}

TEST(Selu, Defaults) {
  const double alpha = 1.67326319217681884765625, gamma = 1.05070102214813232421875;
  expect_unary("Selu",
               [&](double x) { return x > 0 ? gamma * x : gamma * alpha * (std::exp(x) - 1); });
}

TEST(Selu, AlphaAndGamma) {
  expect_unary(
      "Selu", [](double x) { return x > 0 ? 3.0 * x : 3.0 * 2.0 * (std::exp(x) - 1); },
      attrs_of({{"alpha", 2.0f}, {"gamma", 3.0f}}));
}

TEST(LeakyRelu, DefaultAlpha) {
  expect_unary("LeakyRelu", [](double x) { return x >= 0 ? x : 0.01 * x; });
}

TEST(LeakyRelu, Alpha) {
  expect_unary(
      "LeakyRelu", [](double x) { return x >= 0 ? x : 0.5 * x; }, attrs_of({{"alpha", 0.5f}}));
}

TEST(Sigmoid, StableForLargeMagnitudes) {
  expect_unary("Sigmoid", [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
}

TEST(Tanh, MatchesStd) {
  expect_unary("Tanh", [](double x) { return std::tanh(x); });
}

TEST(HardSigmoid, Defaults) {
  expect_unary("HardSigmoid", [](double x) { return std::clamp(0.2 * x + 0.5, 0.0, 1.0); });
}

TEST(HardSigmoid, AlphaBeta) {
  expect_unary(
      "HardSigmoid", [](double x) { return std::clamp(0.5 * x + 0.25, 0.0, 1.0); },
      attrs_of({{"alpha", 0.5f}, {"beta", 0.25f}}));
}

TEST(HardSwish, MatchesFormula) {
  expect_unary("HardSwish", [](double x) { return x * std::clamp(x / 6 + 0.5, 0.0, 1.0); });
}

TEST(Softplus, StableForLargeMagnitudes) {
  // log(1 + exp(100)) overflows in float32 when computed naively; the answer is 100.
  expect_unary("Softplus", [](double x) { return x > 30 ? x : std::log1p(std::exp(x)); });
}

TEST(Softsign, MatchesFormula) {
  expect_unary("Softsign", [](double x) { return x / (1 + std::abs(x)); });
}

TEST(Erf, MatchesStd) {
  expect_unary("Erf", [](double x) { return std::erf(x); });
}

TEST(Gelu, ExactByDefault) {
  expect_unary(
      "Gelu", [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }, {}, 20);
}

TEST(Gelu, TanhApproximation) {
  expect_unary(
      "Gelu",
      [](double x) {
        return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
      },
      attrs_of({{"approximate", std::string("tanh")}}), 20);
}

TEST(Gelu, RefusesUnknownApproximation) {
  OpRun run{.op_type = "Gelu",
            .attrs = attrs_of({{"approximate", std::string("fast")}}),
            .inputs = {values_tensor()},
            .opset = 20};
  auto out = run_op(run);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("approximate=fast"), std::string::npos);
}

TEST(Exp, MatchesStd) {
  OpRun run{.op_type = "Exp", .inputs = {Tensor::from_vector<float>({3}, {-1, 0, 2})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0],
               Tensor::from_vector<float>({3}, {std::exp(-1.0f), 1, std::exp(2.0f)}));
}

TEST(Log, NegativeGivesNanZeroGivesMinusInf) {
  OpRun run{.op_type = "Log",
            .inputs = {Tensor::from_vector<float>({4}, {-1, 0, 1, std::exp(2.0f)})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  const float* y = out.value()[0].data<float>();
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_TRUE(std::isinf(y[1]) && y[1] < 0);
  EXPECT_FLOAT_EQ(y[2], 0.0f);
  EXPECT_NEAR(y[3], 2.0f, 1e-6f);
}

TEST(Sqrt, ValuesAndNanBelowZero) {
  OpRun run{.op_type = "Sqrt", .inputs = {Tensor::from_vector<float>({4}, {0, 1, 6.25f, -4})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  const float* y = out.value()[0].data<float>();
  EXPECT_FLOAT_EQ(y[0], 0.0f);
  EXPECT_FLOAT_EQ(y[1], 1.0f);
  EXPECT_FLOAT_EQ(y[2], 2.5f);
  EXPECT_TRUE(std::isnan(y[3]));
}

TEST(Reciprocal, ValuesAndInfinityAtZero) {
  OpRun run{.op_type = "Reciprocal", .inputs = {Tensor::from_vector<float>({3}, {-4, 0.5f, 0})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  const float* y = out.value()[0].data<float>();
  EXPECT_FLOAT_EQ(y[0], -0.25f);
  EXPECT_FLOAT_EQ(y[1], 2.0f);
  EXPECT_TRUE(std::isinf(y[2]));
}

TEST(Neg, FloatAndIntegers) {
  expect_unary("Neg", [](double x) { return -x; });
  OpRun run{.op_type = "Neg", .inputs = {Tensor::from_vector<int64_t>({3}, {-2, 0, 7})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{2, 0, -7}));
  run.inputs = {Tensor::from_vector<int32_t>({2}, {5, std::numeric_limits<int32_t>::min()})};
  out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].dtype(), DType::kI32);
  EXPECT_EQ(out.value()[0].data<int32_t>()[0], -5);
  EXPECT_EQ(out.value()[0].data<int32_t>()[1], std::numeric_limits<int32_t>::min());  // wraps
}

TEST(Abs, FloatAndIntegers) {
  expect_unary("Abs", [](double x) { return std::abs(x); });
  OpRun run{.op_type = "Abs", .inputs = {Tensor::from_vector<int32_t>({3}, {-2, 0, 7})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{2, 0, 7}));
}

TEST(UnaryOps, KeepShapeForScalarsAndEmptyTensors) {
  for (const Shape& shape : {Shape{}, Shape{0}, Shape{1, 17}}) {
    Tensor x(DType::kF32, shape);
    OpRun run{.op_type = "Sigmoid", .inputs = {x}};
    auto out = run_op(run);
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    EXPECT_EQ(out.value()[0].shape(), shape);
    for (float v : out.value()[0].to_floats()) EXPECT_FLOAT_EQ(v, 0.5f);
  }
}

TEST(UnaryOps, RefuseIntegerInputWhereOnlyFloatIsDefined) {
  for (const char* op : {"Elu", "Sigmoid", "Tanh", "Exp", "Sqrt", "Softplus"}) {
    OpRun run{.op_type = op, .inputs = {Tensor::from_vector<int64_t>({2}, {-1, 1})}};
    auto out = run_op(run);
    ASSERT_FALSE(out.is_ok()) << op;
    EXPECT_NE(out.status().message().find("input X must be f32"), std::string::npos) << op;
  }
}

TEST(UnaryOps, RefuseMissingInput) {
  OpRun run{.op_type = "Tanh", .inputs = {Tensor()}};
  auto out = run_op(run);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("input X is missing"), std::string::npos);
}

// Opset 1 operators carry consumed_inputs; the graph builder refuses attributes that init()
// leaves unread, so init() must read it there and only there.
TEST(UnaryOps, ReadConsumedInputsOnlyBeforeOpset6) {
  for (int opset : {1, 6}) {
    auto type = op_type_from_name("Elu");
    ASSERT_TRUE(type.has_value());
    auto op = make_op(*type);
    OpSetup setup;
    setup.opset = opset;
    setup.attrs.set("consumed_inputs", std::vector<int64_t>{0});
    ASSERT_TRUE(op->init(setup).is_ok());
    EXPECT_EQ(setup.attrs.unread().size(), opset < 6 ? 0u : 1u) << "opset " << opset;
  }
}

}  // namespace
}  // namespace pixlake::testing
