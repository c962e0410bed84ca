#include <string>

#include "naive_pool.h"
#include "op_test_util.h"

namespace pixlake::testing {
namespace {

void check_against_naive(PoolCase c) {
  const size_t rank = c.kernel.size();
  if (c.strides.empty()) c.strides.assign(rank, 1);
  if (c.dilations.empty()) c.dilations.assign(rank, 1);
  if (c.pads.empty()) c.pads.assign(2 * rank, 0);
  Tensor x = random_tensor(c.x, 7);
  OpRun run{.op_type = "MaxPool", .inputs = {x}};
  run.attrs.set("kernel_shape", c.kernel);
  run.attrs.set("strides", c.strides);
  run.attrs.set("pads", c.pads);
  run.attrs.set("dilations", c.dilations);
  run.attrs.set("ceil_mode", int64_t{c.ceil_mode});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], naive_pool(c, x, PoolKind::kMax));
}

Tensor arange_5x5() {
  std::vector<float> v(25);
  for (int i = 0; i < 25; ++i) v[i] = static_cast<float>(i + 1);
  return Tensor::from_vector<float>({1, 1, 5, 5}, v);
}

// ONNX spec example maxpool_2d_ceil.
TEST(MaxPool, SpecExampleCeilMode) {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = static_cast<float>(i + 1);
  OpRun run{.op_type = "MaxPool", .inputs = {Tensor::from_vector<float>({1, 1, 4, 4}, v)}};
  run.attrs.set("kernel_shape", std::vector<int64_t>{3, 3});
  run.attrs.set("strides", std::vector<int64_t>{2, 2});
  run.attrs.set("ceil_mode", int64_t{1});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 1, 2, 2}, {11, 12, 15, 16}));
}

// ONNX spec example maxpool_2d_same_upper / same_lower with a 2x2 kernel, where the single
// padding row and column go to the end (UPPER) or the beginning (LOWER).
TEST(MaxPool, AutoPadSameUpperAndLower) {
  OpRun upper{.op_type = "MaxPool", .inputs = {arange_5x5()}};
  upper.attrs.set("kernel_shape", std::vector<int64_t>{2, 2});
  upper.attrs.set("auto_pad", std::string("SAME_UPPER"));
  auto up = run_op(upper);
  ASSERT_TRUE(up.is_ok()) << up.status().message();
  expect_close(up.value()[0], Tensor::from_vector<float>(
                                  {1, 1, 5, 5}, {7,  8,  9,  10, 10, 12, 13, 14, 15, 15, 17, 18, 19,
                                                 20, 20, 22, 23, 24, 25, 25, 22, 23, 24, 25, 25}));
  OpRun lower{.op_type = "MaxPool", .inputs = {arange_5x5()}};
  lower.attrs.set("kernel_shape", std::vector<int64_t>{2, 2});
  lower.attrs.set("auto_pad", std::string("SAME_LOWER"));
  auto low = run_op(lower);
  ASSERT_TRUE(low.is_ok()) << low.status().message();
  expect_close(
      low.value()[0],
      Tensor::from_vector<float>({1, 1, 5, 5}, {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
                                                14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25}));
}

TEST(MaxPool, AutoPadValid) {
  OpRun run{.op_type = "MaxPool", .inputs = {arange_5x5()}};
  run.attrs.set("kernel_shape", std::vector<int64_t>{2, 2});
  run.attrs.set("strides", std::vector<int64_t>{2, 2});
  run.attrs.set("auto_pad", std::string("VALID"));
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 1, 2, 2}, {7, 9, 17, 19}));
}

TEST(MaxPool, Pool1dStride) {
  check_against_naive({.x = {2, 3, 17}, .kernel = {3}, .strides = {2}});
}

TEST(MaxPool, Pool1dStridePaddingDilation) {
  check_against_naive(
      {.x = {1, 2, 17}, .kernel = {3}, .strides = {2}, .pads = {1, 1}, .dilations = {2}});
}

TEST(MaxPool, Pool2dAsymmetricPadsCeilMode) {
  check_against_naive({.x = {2, 2, 13, 10},
                       .kernel = {3, 2},
                       .strides = {2, 3},
                       .pads = {1, 0, 1, 1},
                       .ceil_mode = true});
}

// ResNet's stem pool (3x3, stride 2, pad 1) on even and odd widths, with and without ceil mode
// and padding: the vectorised interior and the edge windows.
TEST(MaxPool, Pool2dThreeByThreeStrideTwo) {
  for (int64_t width : {1, 2, 7, 16, 33}) {
    for (bool ceil_mode : {false, true}) {
      check_against_naive({.x = {1, 3, 9, width},
                           .kernel = {3, 3},
                           .strides = {2, 2},
                           .pads = {1, 1, 1, 1},
                           .ceil_mode = ceil_mode});
      check_against_naive({.x = {1, 2, 5, width + 2}, .kernel = {3, 3}, .strides = {2, 2}});
    }
  }
}

TEST(MaxPool, Pool2dDilatedCeilMode) {
  check_against_naive({.x = {1, 3, 9, 8},
                       .kernel = {2, 2},
                       .strides = {2, 2},
                       .dilations = {2, 3},
                       .ceil_mode = true});
}

TEST(MaxPool, Pool3dStridePadding) {
  check_against_naive({.x = {1, 2, 5, 6, 7},
                       .kernel = {2, 2, 2},
                       .strides = {2, 2, 2},
                       .pads = {1, 1, 1, 1, 1, 1}});
}

TEST(MaxPool, OneByOne) { check_against_naive({.x = {1, 1, 1, 1}, .kernel = {1, 1}}); }

TEST(MaxPool, RefusesIndicesOutputAndBadAttributes) {
  OpRun indices{.op_type = "MaxPool", .inputs = {arange_5x5()}, .n_outputs = 2};
  indices.attrs.set("kernel_shape", std::vector<int64_t>{2, 2});
  auto out = run_op(indices);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(out.status().message().find("Indices"), std::string::npos);

  OpRun no_kernel{.op_type = "MaxPool", .inputs = {arange_5x5()}};
  EXPECT_FALSE(run_op(no_kernel).is_ok());

  OpRun too_big{.op_type = "MaxPool", .inputs = {arange_5x5()}};
  too_big.attrs.set("kernel_shape", std::vector<int64_t>{6, 6});
  EXPECT_FALSE(run_op(too_big).is_ok());

  OpRun wrong_rank{.op_type = "MaxPool", .inputs = {arange_5x5()}};
  wrong_rank.attrs.set("kernel_shape", std::vector<int64_t>{2});
  EXPECT_FALSE(run_op(wrong_rank).is_ok());

  OpRun ints{.op_type = "MaxPool", .inputs = {Tensor::from_vector<int64_t>({1, 1, 1}, {1})}};
  ints.attrs.set("kernel_shape", std::vector<int64_t>{1});
  EXPECT_FALSE(run_op(ints).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
