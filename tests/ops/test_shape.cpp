#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Shape, ReturnsDimsAsI64) {
  auto out = run_ok({.op_type = "Shape", .inputs = {iota<uint8_t>({2, 3, 17})}});
  expect_tensor<int64_t>(out[0], {3}, {2, 3, 17});
  out = run_ok({.op_type = "Shape", .inputs = {Tensor::scalar<float>(1)}});
  expect_tensor<int64_t>(out[0], {0}, {});
}

TEST(Shape, StartAndEndSlice) {
  OpRun run{.op_type = "Shape", .inputs = {iota<float>({2, 3, 4, 5})}, .opset = 15};
  run.attrs.set("start", int64_t{1});
  run.attrs.set("end", int64_t{-1});
  expect_tensor<int64_t>(run_ok(run)[0], {2}, {3, 4});
  run.attrs.set("start", int64_t{-10});
  run.attrs.set("end", int64_t{10});
  expect_tensor<int64_t>(run_ok(run)[0], {4}, {2, 3, 4, 5});
  run.attrs.set("start", int64_t{3});
  run.attrs.set("end", int64_t{1});
  expect_tensor<int64_t>(run_ok(run)[0], {0}, {});
}

}  // namespace
}  // namespace pixlake::testing
