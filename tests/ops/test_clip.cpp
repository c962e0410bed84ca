// Clip: bounds as attributes (opset < 11) and as optional inputs (opset >= 11).
#include <limits>

#include "op_test_util.h"

namespace pixlake::testing {
namespace {

Tensor values() { return Tensor::from_vector<float>({2, 3}, {-3, -0.5f, 0, 0.25f, 1, 9}); }

TEST(Clip, AttributesBeforeOpset11) {
  Attributes attrs;
  attrs.set("min", -0.5f);
  attrs.set("max", 0.5f);
  auto out = run_op({.op_type = "Clip", .attrs = attrs, .inputs = {values()}, .opset = 6});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0],
               Tensor::from_vector<float>({2, 3}, {-0.5f, -0.5f, 0, 0.25f, 0.5f, 0.5f}));
}

TEST(Clip, MissingAttributeDoesNotLimit) {
  Attributes attrs;
  attrs.set("max", 0.0f);
  auto out = run_op({.op_type = "Clip", .attrs = attrs, .inputs = {values()}, .opset = 6});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 3}, {-3, -0.5f, 0, 0, 0, 0}));
}

TEST(Clip, InputsFromOpset11) {
  auto out = run_op({.op_type = "Clip",
                     .inputs = {values(), Tensor::scalar(-1.0f), Tensor::scalar(1.0f)},
                     .opset = 11});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 3}, {-1, -0.5f, 0, 0.25f, 1, 1}));
}

TEST(Clip, OmittedMinInput) {
  auto out = run_op({.op_type = "Clip", .inputs = {values(), Tensor(), Tensor::scalar(0.1f)}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0],
               Tensor::from_vector<float>({2, 3}, {-3, -0.5f, 0, 0.1f, 0.1f, 0.1f}));
}

TEST(Clip, NoBoundsIsIdentity) {
  auto out = run_op({.op_type = "Clip", .inputs = {values()}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], values());
}

TEST(Clip, MinAboveMaxGivesMax) {
  auto out =
      run_op({.op_type = "Clip", .inputs = {values(), Tensor::scalar(2.0f), Tensor::scalar(1.0f)}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 3}, {1, 1, 1, 1, 1, 1}));
}

TEST(Clip, Integers) {
  auto out = run_op({.op_type = "Clip",
                     .inputs = {Tensor::from_vector<int64_t>({4}, {-5, 0, 5, 50}),
                                Tensor::scalar<int64_t>(0), Tensor::scalar<int64_t>(10)}});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{0, 0, 5, 10}));
}

TEST(Clip, RefusesNonScalarBound) {
  auto out =
      run_op({.op_type = "Clip", .inputs = {values(), Tensor::from_vector<float>({2}, {0, 1})}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("input min must be a scalar"), std::string::npos);
}

TEST(Clip, RefusesBoundOfAnotherDtype) {
  auto out = run_op({.op_type = "Clip", .inputs = {values(), Tensor::scalar<int64_t>(0)}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("dtype of X"), std::string::npos);
}

TEST(Clip, AttributesUnreadFromOpset11) {
  auto op = make_op(*op_type_from_name("Clip"));
  OpSetup setup;
  setup.opset = 11;
  setup.attrs.set("min", 0.0f);
  ASSERT_TRUE(op->init(setup).is_ok());
  EXPECT_EQ(setup.attrs.unread(), std::vector<std::string>{"min"});
}

}  // namespace
}  // namespace pixlake::testing
