#include "op_test_util.h"
#include "ops/op_util.h"
#include "ops/quant_util.h"
#include "quant_test_util.h"

namespace pixlake::testing {
namespace {

// Dequantise -> MatMul in double -> quantise, for 2-D or batched operands (batch dims broadcast).
void check_matmul(DType a_dtype, DType b_dtype, DType y_dtype, const Shape& a_shape,
                  const Shape& b_shape, bool per_column, float y_scale = 0.05f) {
  Tensor a = random_quantized(a_dtype, a_shape, 31);
  Tensor b = random_quantized(b_dtype, b_shape, 32);
  const int64_t rows = a_shape[a_shape.size() - 2], depth = a_shape.back(), cols = b_shape.back();
  const float a_scale = 0.02f;
  const int32_t a_zp = qmin(a_dtype) + 111, y_zp = qmin(y_dtype) + 120;
  std::vector<float> b_scales;
  std::vector<int32_t> b_zps;
  for (int64_t col = 0; col < (per_column ? cols : 1); ++col) {
    b_scales.push_back(0.004f + 0.0003f * static_cast<float>(col));
    b_zps.push_back(qmin(b_dtype) + (b_dtype == DType::kU8 ? 125 : 126) +
                    static_cast<int32_t>(col % 5));
  }
  OpRun run{.op_type = "QLinearMatMul",
            .inputs = {a, Tensor::scalar<float>(a_scale), zero_point_tensor(a_dtype, {a_zp}), b,
                       scale_tensor(b_scales), zero_point_tensor(b_dtype, b_zps),
                       Tensor::scalar<float>(y_scale), zero_point_tensor(y_dtype, {y_zp})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  // The same with nothing known at init: b is not packed and the double GEMM runs.
  std::unique_ptr<Op> op = make_op(*op_type_from_name("QLinearMatMul"));
  OpSetup setup;
  setup.n_inputs = run.inputs.size();
  setup.n_outputs = 1;
  setup.constants.assign(run.inputs.size(), nullptr);
  ASSERT_TRUE(op->init(setup).is_ok());
  std::vector<const Tensor*> inputs;
  for (const Tensor& t : run.inputs) inputs.push_back(&t);
  std::vector<Tensor> dynamic(1);
  ASSERT_TRUE(op->run(inputs, dynamic).is_ok());

  Shape a_batch(a_shape.begin(), a_shape.end() - 2), b_batch(b_shape.begin(), b_shape.end() - 2);
  auto batch_shape = broadcast_shapes({a_batch, b_batch});
  ASSERT_TRUE(batch_shape.is_ok());
  Shape y_shape = *batch_shape;
  y_shape.push_back(rows);
  y_shape.push_back(cols);
  ASSERT_EQ(shape_to_string(out.value()[0].shape()), shape_to_string(y_shape));
  EXPECT_EQ(out.value()[0].dtype(), y_dtype);
  std::vector<int64_t> av = a.to_ints(), bv = b.to_ints();
  std::vector<int32_t> expected;
  // Bit for bit: the exact integer sum, requantised in float as ONNX Runtime does.
  std::vector<int32_t> exact;
  BroadcastIterator it(*batch_shape, {a_batch, b_batch});
  for (int64_t batch = 0; batch < shape_numel(*batch_shape); ++batch, it.next()) {
    for (int64_t row = 0; row < rows; ++row) {
      for (int64_t col = 0; col < cols; ++col) {
        const size_t bi = per_column ? static_cast<size_t>(col) : 0;
        int64_t acc = 0;
        for (int64_t k = 0; k < depth; ++k) {
          acc += (av[static_cast<size_t>((it.offset(0) * rows + row) * depth + k)] - a_zp) *
                 (bv[static_cast<size_t>((it.offset(1) * depth + k) * cols + col)] - b_zps[bi]);
        }
        exact.push_back(quant::quantize_value(
            static_cast<float>(acc) * (a_scale * b_scales[bi] / y_scale), y_zp, y_dtype));
        double sum = 0;
        for (int64_t k = 0; k < depth; ++k) {
          double x = (av[static_cast<size_t>((it.offset(0) * rows + row) * depth + k)] - a_zp) *
                     double{a_scale};
          double w =
              (bv[static_cast<size_t>((it.offset(1) * depth + k) * cols + col)] - b_zps[bi]) *
              double{b_scales[bi]};
          sum += x * w;
        }
        expected.push_back(reference_quantize(sum, y_scale, y_zp, y_dtype));
      }
    }
  }
  expect_quantized_near(out.value()[0], expected);
  for (const Tensor* y : {&out.value()[0], &dynamic[0]}) {
    std::vector<int64_t> got = y->to_ints();
    ASSERT_EQ(got.size(), exact.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i], exact[i]) << (y == &dynamic[0] ? "b at run time" : "b packed") << " at "
                                  << i;
    }
  }
}

TEST(QLinearMatMul, PerTensorUint8) {
  check_matmul(DType::kU8, DType::kU8, DType::kU8, {3, 17}, {17, 5}, false);
}
TEST(QLinearMatMul, PerColumnInt8WeightsLikeMobileNetClassifier) {
  check_matmul(DType::kU8, DType::kI8, DType::kU8, {2, 127}, {127, 33}, true);
}
TEST(QLinearMatMul, Int8ActivationsAndOutput) {
  check_matmul(DType::kI8, DType::kI8, DType::kI8, {1, 9}, {9, 4}, false);
}
TEST(QLinearMatMul, BatchedWithBroadcast) {
  check_matmul(DType::kU8, DType::kI8, DType::kU8, {2, 1, 3, 7}, {4, 7, 5}, false);
}
TEST(QLinearMatMul, ClassifierShapesAndBatchedRows) {
  check_matmul(DType::kU8, DType::kI8, DType::kU8, {1, 1280}, {1280, 1000}, true);
  check_matmul(DType::kU8, DType::kI8, DType::kU8, {2, 3, 17}, {17, 9}, true);
  check_matmul(DType::kI8, DType::kU8, DType::kI8, {5, 33}, {33, 17}, true);
}
TEST(QLinearMatMul, Saturates) {
  check_matmul(DType::kU8, DType::kI8, DType::kU8, {4, 16}, {16, 4}, true, 1e-5f);
}

TEST(QLinearMatMul, OneDimensionalOperandsAreDropped) {
  // a [2] . b [2,1]: ((3-1)*1 + (5-1)*2) = 10, scales 1, y_zp 0 -> [10] of shape [1].
  OpRun run{.op_type = "QLinearMatMul",
            .inputs = {Tensor::from_vector<uint8_t>({2}, {3, 5}), Tensor::scalar<float>(1.0f),
                       Tensor::scalar<uint8_t>(1), Tensor::from_vector<uint8_t>({2, 1}, {1, 2}),
                       Tensor::scalar<float>(1.0f), Tensor::scalar<uint8_t>(0),
                       Tensor::scalar<float>(1.0f), Tensor::scalar<uint8_t>(0)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(shape_to_string(out.value()[0].shape()), "[1]");
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{10}));
}

TEST(QLinearMatMul, EmptyDepthGivesTheZeroPoint) {
  OpRun run{.op_type = "QLinearMatMul",
            .inputs = {Tensor(DType::kU8, {2, 0}), Tensor::scalar<float>(1.0f),
                       Tensor::scalar<uint8_t>(1), Tensor(DType::kU8, {0, 3}),
                       Tensor::scalar<float>(1.0f), Tensor::scalar<uint8_t>(0),
                       Tensor::scalar<float>(1.0f), Tensor::scalar<uint8_t>(9)}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>(6, 9)));
}

TEST(QLinearMatMul, RefusesBadInputs) {
  std::vector<Tensor> inputs = {Tensor(DType::kU8, {2, 3}),  Tensor::scalar<float>(1.0f),
                                Tensor::scalar<uint8_t>(0),  Tensor(DType::kU8, {4, 2}),
                                Tensor::scalar<float>(1.0f), Tensor::scalar<uint8_t>(0),
                                Tensor::scalar<float>(1.0f), Tensor::scalar<uint8_t>(0)};
  EXPECT_FALSE(run_op({.op_type = "QLinearMatMul", .inputs = inputs}).is_ok());  // 3 != 4
  inputs[3] = Tensor(DType::kU8, {3, 2});
  inputs[4] = scale_tensor({1.0f, 1.0f, 1.0f});  // 3 values for 2 columns
  inputs[5] = zero_point_tensor(DType::kU8, {0, 0, 0});
  EXPECT_FALSE(run_op({.op_type = "QLinearMatMul", .inputs = inputs}).is_ok());
  inputs[4] = Tensor::scalar<float>(1.0f);
  inputs[5] = Tensor::scalar<uint8_t>(0);
  ASSERT_TRUE(run_op({.op_type = "QLinearMatMul", .inputs = inputs}).is_ok());
  inputs[0] = Tensor(DType::kF32, {2, 3});
  EXPECT_FALSE(run_op({.op_type = "QLinearMatMul", .inputs = inputs}).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
