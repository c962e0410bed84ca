#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Transpose, DefaultReversesAxes) {
  auto out = run_ok({.op_type = "Transpose", .inputs = {iota<float>({2, 3})}});
  expect_tensor<float>(out[0], {3, 2}, {0, 3, 1, 4, 2, 5});
}

TEST(Transpose, MatchesNaiveLoopOn4D) {
  const Shape in_shape = {3, 1, 17, 5};
  Tensor x = iota<int16_t>(in_shape);
  OpRun run{.op_type = "Transpose", .inputs = {x}};
  run.attrs.set("perm", std::vector<int64_t>{0, 2, 3, 1});
  auto out = run_ok(run);
  std::vector<int16_t> expected;
  for (int64_t n = 0; n < 3; ++n)
    for (int64_t h = 0; h < 17; ++h)
      for (int64_t w = 0; w < 5; ++w)
        for (int64_t c = 0; c < 1; ++c) expected.push_back(x.data<int16_t>()[(n * 17 + h) * 5 + w]);
  expect_tensor<int16_t>(out[0], {3, 17, 5, 1}, expected);
}

TEST(Transpose, WorksOnF16BitsAndI64) {
  Tensor h(DType::kF16, {2, 2});
  for (int i = 0; i < 4; ++i) h.data_u16_bits()[i] = f32_to_f16(static_cast<float>(i));
  auto out = run_ok({.op_type = "Transpose", .inputs = {h}});
  expect_tensor<uint16_t>(out[0], DType::kF16, {2, 2},
                          {f32_to_f16(0), f32_to_f16(2), f32_to_f16(1), f32_to_f16(3)});
  out = run_ok({.op_type = "Transpose", .inputs = {iota<int64_t>({1, 3})}});
  expect_tensor<int64_t>(out[0], {3, 1}, {0, 1, 2});
}

TEST(Transpose, RefusesBadPerm) {
  OpRun run{.op_type = "Transpose", .inputs = {iota<float>({2, 3})}};
  run.attrs.set("perm", std::vector<int64_t>{0, 0});
  EXPECT_NE(run_error(run).find("not a permutation"), std::string::npos);
  run.attrs.set("perm", std::vector<int64_t>{0});
  EXPECT_NE(run_error(run).find("perm"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
