// Max, Min, Sum, Mean: one or more inputs with NumPy broadcasting.
#include <cmath>

#include "op_test_util.h"

namespace pixlake::testing {
namespace {

Tensor f32(Shape shape, std::vector<float> values) {
  return Tensor::from_vector<float>(std::move(shape), values);
}

TEST(Variadic, SingleInputIsCopied) {
  for (const char* op : {"Max", "Min", "Sum", "Mean"}) {
    Tensor x = f32({3}, {1, -2, 3});
    auto out = run_op({.op_type = op, .inputs = {x}});
    ASSERT_TRUE(out.is_ok()) << op << ": " << out.status().message();
    expect_close(out.value()[0], x);
    EXPECT_NE(out.value()[0].raw(), x.raw()) << op << " must not alias its input";
  }
}

TEST(Variadic, ThreeInputsWithBroadcasting) {
  Tensor a = f32({2, 3}, {1, 5, -2, 0, 7, 3});
  Tensor b = f32({3}, {2, 2, 2});
  Tensor c = f32({2, 1}, {-1, 4});
  const std::vector<std::pair<const char*, std::vector<float>>> expected = {
      {"Max", {2, 5, 2, 4, 7, 4}},
      {"Min", {-1, -1, -2, 0, 2, 2}},
      {"Sum", {2, 6, -1, 6, 13, 9}},
      {"Mean", {2.0f / 3, 2, -1.0f / 3, 2, 13.0f / 3, 3}},
  };
  for (const auto& [op, want] : expected) {
    auto out = run_op({.op_type = op, .inputs = {a, b, c}});
    ASSERT_TRUE(out.is_ok()) << op << ": " << out.status().message();
    expect_close(out.value()[0], f32({2, 3}, want));
  }
}

TEST(Variadic, BroadcastShapeComesFromAllInputs) {
  auto out =
      run_op({.op_type = "Sum",
              .inputs = {f32({3, 1}, {1, 2, 3}), f32({1, 4}, {0, 10, 20, 30}), f32({1}, {100})}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0],
               f32({3, 4}, {101, 111, 121, 131, 102, 112, 122, 132, 103, 113, 123, 133}));
}

TEST(Variadic, MaxMinPropagateNan) {
  for (const char* op : {"Max", "Min"}) {
    auto out = run_op({.op_type = op, .inputs = {f32({2}, {NAN, 1}), f32({2}, {0, NAN})}});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    EXPECT_TRUE(std::isnan(out.value()[0].data<float>()[0])) << op;
    EXPECT_TRUE(std::isnan(out.value()[0].data<float>()[1])) << op;
  }
}

TEST(Variadic, Integers) {
  Tensor a = Tensor::from_vector<int64_t>({3}, {1, -5, 9});
  Tensor b = Tensor::from_vector<int64_t>({3}, {4, -7, 2});
  auto out = run_op({.op_type = "Max", .inputs = {a, b}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{4, -5, 9}));
  out = run_op({.op_type = "Sum", .inputs = {a, b}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{5, -12, 11}));
}

TEST(Variadic, MeanRefusesIntegers) {
  auto out = run_op({.op_type = "Mean", .inputs = {Tensor::from_vector<int64_t>({1}, {1})}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("must be f32"), std::string::npos);
}

TEST(Variadic, RefusesMixedDtypes) {
  auto out =
      run_op({.op_type = "Sum", .inputs = {f32({1}, {1}), Tensor::from_vector<int64_t>({1}, {1})}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("same dtype"), std::string::npos);
}

TEST(Variadic, RefusesShapesThatDoNotBroadcast) {
  auto out = run_op({.op_type = "Min", .inputs = {f32({2}, {1, 2}), f32({3}, {1, 2, 3})}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("cannot be broadcast"), std::string::npos);
}

TEST(Variadic, RefusesNoInputs) {
  auto out = run_op({.op_type = "Sum", .inputs = {}});
  ASSERT_FALSE(out.is_ok());
}

}  // namespace
}  // namespace pixlake::testing
