#include <string>

#include "naive_pool.h"
#include "op_test_util.h"

namespace pixlake::testing {
namespace {

void check_against_naive(PoolCase c, int opset = 13) {
  const size_t rank = c.kernel.size();
  if (c.strides.empty()) c.strides.assign(rank, 1);
  if (c.dilations.empty()) c.dilations.assign(rank, 1);
  if (c.pads.empty()) c.pads.assign(2 * rank, 0);
  Tensor x = random_tensor(c.x, 9);
  OpRun run{.op_type = "AveragePool", .inputs = {x}, .opset = opset};
  run.attrs.set("kernel_shape", c.kernel);
  run.attrs.set("strides", c.strides);
  run.attrs.set("pads", c.pads);
  if (c.dilations != Shape(rank, 1)) run.attrs.set("dilations", c.dilations);
  run.attrs.set("ceil_mode", int64_t{c.ceil_mode});
  run.attrs.set("count_include_pad", int64_t{c.count_include_pad});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], naive_pool(c, x, PoolKind::kAverage));
}

// ONNX spec example averagepool_2d_ceil.
TEST(AveragePool, SpecExampleCeilMode) {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = static_cast<float>(i + 1);
  OpRun run{.op_type = "AveragePool", .inputs = {Tensor::from_vector<float>({1, 1, 4, 4}, v)}};
  run.attrs.set("kernel_shape", std::vector<int64_t>{3, 3});
  run.attrs.set("strides", std::vector<int64_t>{2, 2});
  run.attrs.set("ceil_mode", int64_t{1});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 1, 2, 2}, {6, 7.5f, 12, 13.5f}));
}

// With count_include_pad=0 (the default) a corner window of a padded 2x2 input averages only
// the real values; with 1 the zeros of the padding count too.
TEST(AveragePool, CountIncludePad) {
  Tensor x = Tensor::from_vector<float>({1, 1, 2, 2}, {1, 2, 3, 4});
  OpRun run{.op_type = "AveragePool", .inputs = {x}};
  run.attrs.set("kernel_shape", std::vector<int64_t>{2, 2});
  run.attrs.set("pads", std::vector<int64_t>{1, 1, 1, 1});
  auto excluded = run_op(run);
  ASSERT_TRUE(excluded.is_ok()) << excluded.status().message();
  expect_close(excluded.value()[0],
               Tensor::from_vector<float>({1, 1, 3, 3}, {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4}));
  run.attrs.set("count_include_pad", int64_t{1});
  auto included = run_op(run);
  ASSERT_TRUE(included.is_ok()) << included.status().message();
  expect_close(included.value()[0],
               Tensor::from_vector<float>({1, 1, 3, 3},
                                          {0.25f, 0.75f, 0.5f, 1, 2.5f, 1.5f, 0.75f, 1.75f, 1}));
}

// auto_pad SAME_UPPER never counts the padding.
TEST(AveragePool, AutoPadSameUpper) {
  Tensor x = Tensor::from_vector<float>({1, 1, 1, 3}, {1, 2, 3});
  OpRun run{.op_type = "AveragePool", .inputs = {x}};
  run.attrs.set("kernel_shape", std::vector<int64_t>{1, 2});
  run.attrs.set("auto_pad", std::string("SAME_UPPER"));
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 1, 1, 3}, {1.5f, 2.5f, 3}));
}

TEST(AveragePool, Pool1d) { check_against_naive({.x = {2, 3, 17}, .kernel = {2}, .strides = {2}}); }

TEST(AveragePool, Pool2dPadsIncludedCeilMode) {
  check_against_naive({.x = {2, 2, 13, 10},
                       .kernel = {3, 3},
                       .strides = {2, 2},
                       .pads = {1, 1, 1, 1},
                       .ceil_mode = true,
                       .count_include_pad = true});
}

TEST(AveragePool, Pool2dPadsExcludedAsymmetric) {
  check_against_naive(
      {.x = {1, 3, 9, 8}, .kernel = {3, 2}, .strides = {1, 3}, .pads = {2, 0, 1, 1}});
}

TEST(AveragePool, Pool3dStride1) {
  check_against_naive({.x = {1, 2, 5, 5, 4}, .kernel = {3, 3, 3}});
}

TEST(AveragePool, DilationsOpset19) {
  check_against_naive({.x = {1, 1, 9, 9}, .kernel = {2, 2}, .strides = {1, 2}, .dilations = {2, 2}},
                      19);
}

TEST(AveragePool, RefusesBadInputs) {
  OpRun no_kernel{.op_type = "AveragePool", .inputs = {random_tensor({1, 1, 4, 4}, 1)}};
  EXPECT_FALSE(run_op(no_kernel).is_ok());
  OpRun bad_pads{.op_type = "AveragePool", .inputs = {random_tensor({1, 1, 4, 4}, 1)}};
  bad_pads.attrs.set("kernel_shape", std::vector<int64_t>{2, 2});
  bad_pads.attrs.set("pads", std::vector<int64_t>{1, 1});
  auto out = run_op(bad_pads);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("pads"), std::string::npos);
  OpRun rank2{.op_type = "AveragePool", .inputs = {random_tensor({4, 4}, 1)}};
  rank2.attrs.set("kernel_shape", std::vector<int64_t>{2});
  EXPECT_FALSE(run_op(rank2).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
