// Operators whose output size comes from values in the model (ConstantOfShape's shape, Expand's
// shape, Tile's repeats) refuse outputs over OpSetup::max_tensor_bytes, and shapes whose element
// count overflows, before allocating. Found by fuzz_onnx_import: a few bytes of model asked
// constant folding for terabytes (an aborting allocation) or overflowed int64 (UB).
#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

constexpr int64_t kHuge = int64_t{1} << 20;  // kHuge^2 f32 = 4 TiB, over the 16 GiB default

TEST(OutputSizeLimits, ConstantOfShapeRefusesHugeShapeByDefault) {
  const std::string error =
      run_error({.op_type = "ConstantOfShape", .inputs = {ints({kHuge, kHuge})}});
  EXPECT_NE(error.find("output f32[1048576,1048576]"), std::string::npos) << error;
  EXPECT_NE(error.find("exceeds the limit of 17179869184 bytes"), std::string::npos) << error;
}

TEST(OutputSizeLimits, ConstantOfShapeRefusesOverflowingShape) {
  const int64_t big = int64_t{1} << 40;
  const std::string error =
      run_error({.op_type = "ConstantOfShape", .inputs = {ints({big, big, big})}});
  EXPECT_NE(error.find("exceeds the limit"), std::string::npos) << error;
}

TEST(OutputSizeLimits, LimitIsInclusiveAndConfigurable) {
  OpRun run{.op_type = "ConstantOfShape", .inputs = {ints({512, 512})}};
  run.attrs.set("value", Tensor::from_vector<float>({1}, {1.5f}));
  run.max_tensor_bytes = 512 * 512 * 4;
  expect_tensor<float>(run_ok(run)[0], {512, 512}, std::vector<float>(512 * 512, 1.5f));
  run.inputs = {ints({512, 513})};
  EXPECT_NE(run_error(run).find("(1050624 bytes) exceeds the limit of 1048576 bytes"),
            std::string::npos);
}

TEST(OutputSizeLimits, ConstantOfShapeFillsEveryWidth) {
  // fill_with has one loop per element width; 2-byte values (f16) were not covered elsewhere.
  OpRun run{.op_type = "ConstantOfShape", .inputs = {ints({3, 5})}};
  Tensor half(DType::kF16, {1});
  const uint16_t bits = 0x3C00;  // 1.0 in float16
  std::memcpy(half.raw(), &bits, 2);
  run.attrs.set("value", half);
  Tensor out = run_ok(run)[0];
  ASSERT_EQ(out.dtype(), DType::kF16);
  ASSERT_EQ(out.numel(), 15);
  for (int64_t i = 0; i < 15; ++i) EXPECT_EQ(static_cast<const uint16_t*>(out.raw())[i], bits);
}

TEST(OutputSizeLimits, ExpandRefusesHugeShape) {
  const std::string error =
      run_error({.op_type = "Expand", .inputs = {iota<float>({1}), ints({kHuge, kHuge})}});
  EXPECT_NE(error.find("exceeds the limit"), std::string::npos) << error;
}

TEST(OutputSizeLimits, TileRefusesHugeAndOverflowingRepeats) {
  std::string error =
      run_error({.op_type = "Tile", .inputs = {iota<float>({2, 2}), ints({kHuge, kHuge})}});
  EXPECT_NE(error.find("exceeds the limit"), std::string::npos) << error;
  // repeats * dim overflows int64 unless refused first.
  error = run_error({.op_type = "Tile", .inputs = {iota<float>({4}), ints({int64_t{1} << 62})}});
  EXPECT_NE(error.find("exceeds the limit"), std::string::npos) << error;
}

}  // namespace
}  // namespace pixlake::testing
