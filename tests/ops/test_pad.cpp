#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

std::vector<Tensor> pad(Tensor x, std::vector<int64_t> pads, const std::string& mode,
                        Tensor value = Tensor()) {
  OpRun run{.op_type = "Pad", .inputs = {std::move(x), ints(pads)}};
  if (value.defined()) run.inputs.push_back(value);
  run.attrs.set("mode", mode);
  return run_ok(run);
}

TEST(Pad, ConstantDefaultsToZero) {
  auto out = run_ok({.op_type = "Pad", .inputs = {iota<float>({1, 2}), ints({0, 1, 1, 0})}});
  expect_tensor<float>(out[0], {2, 3}, {0, 0, 1, 0, 0, 0});
}

TEST(Pad, ConstantValueInput) {
  auto out = pad(iota<int32_t>({2}), {1, 2}, "constant", Tensor::scalar<int32_t>(-1));
  expect_tensor<int32_t>(out[0], {5}, {-1, 0, 1, -1, -1});
}

TEST(Pad, ReflectMatchesNumpy) {
  // np.pad([0,1,2], (2,3), 'reflect') == [2,1,0,1,2,1,0,1]
  auto out = pad(iota<float>({3}), {2, 3}, "reflect");
  expect_tensor<float>(out[0], {8}, {2, 1, 0, 1, 2, 1, 0, 1});
  out = pad(iota<float>({2, 2}), {1, 1, 1, 1}, "reflect");
  expect_tensor<float>(out[0], {4, 4}, {3, 2, 3, 2, 1, 0, 1, 0, 3, 2, 3, 2, 1, 0, 1, 0});
}

TEST(Pad, EdgeAndWrap) {
  auto out = pad(iota<uint8_t>({3}), {2, 1}, "edge");
  expect_tensor<uint8_t>(out[0], {6}, {0, 0, 0, 1, 2, 2});
  out = pad(iota<uint8_t>({3}), {2, 1}, "wrap");
  expect_tensor<uint8_t>(out[0], {6}, {1, 2, 0, 1, 2, 0});
}

TEST(Pad, NegativePadsCrop) {
  auto out = pad(iota<int64_t>({2, 4}), {0, -1, 0, -2}, "constant");
  expect_tensor<int64_t>(out[0], {2, 1}, {1, 5});
}

TEST(Pad, AxesInput) {
  OpRun run{.op_type = "Pad",
            .inputs = {iota<float>({2, 1}), ints({1, 1}), Tensor::scalar<float>(9), ints({-1})},
            .opset = 18};
  expect_tensor<float>(run_ok(run)[0], {2, 3}, {9, 0, 9, 9, 1, 9});
}

TEST(Pad, AttributesBeforeOpset11) {
  OpRun run{.op_type = "Pad", .inputs = {iota<float>({2})}, .opset = 2};
  run.attrs.set("pads", std::vector<int64_t>{1, 0});
  run.attrs.set("value", 7.0f);
  expect_tensor<float>(run_ok(run)[0], {3}, {7, 0, 1});
  OpRun v1{.op_type = "Pad", .inputs = {iota<float>({2})}, .opset = 1};
  v1.attrs.set("paddings", std::vector<int64_t>{0, 1});
  v1.attrs.set("mode", std::string("edge"));
  expect_tensor<float>(run_ok(v1)[0], {3}, {0, 1, 1});
}

TEST(Pad, RefusesBadArguments) {
  OpRun run{.op_type = "Pad", .inputs = {iota<float>({2}), ints({1})}};
  EXPECT_NE(run_error(run).find("pads"), std::string::npos);
  run.inputs[1] = ints({-3, 0});
  EXPECT_FALSE(run_op(run).is_ok());
  run.inputs[1] = ints({1, 1});
  run.attrs.set("mode", std::string("mirror"));
  EXPECT_NE(run_error(run).find("mode=mirror"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
