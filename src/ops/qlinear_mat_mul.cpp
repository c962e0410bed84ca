// QLinearMatMul: MatMul (NumPy semantics: 1-D operands promoted, batch dims broadcast) of
// quantised a and b. acc = sum((a - a_zp) * (b - b_zp)) accumulated exactly, then
// y = saturate(round_half_even(acc * a_scale * b_scale / y_scale) + y_zp); b_scale and b_zp may
// hold one value per output column (per-column quantisation of a 2-D weight).
// The sums use cblas_dgemm on doubles: every integer involved is below 2^53, so it is exact.
#include <cblas.h>

#include "ops/op_util.h"
#include "ops/quant_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class QLinearMatMulOp final : public Op {
 public:
  Status init(const OpSetup&) override { return Status::ok(); }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs.size() < 8) return invalid_argument("QLinearMatMul needs 8 inputs");
    PIXLAKE_RETURN_IF_ERROR(quant::expect_quantized_8bit(inputs[0], "input a"));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_quantized_8bit(inputs[3], "input b"));
    const Tensor& a = *inputs[0];
    const Tensor& b = *inputs[3];
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams aq,
                             quant::read_quant_params(inputs[1], inputs[2], "a", a.dtype()));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams bq,
                             quant::read_quant_params(inputs[4], inputs[5], "b", b.dtype()));
    PIXLAKE_ASSIGN_OR_RETURN(quant::QuantParams yq,
                             quant::read_quant_params(inputs[6], inputs[7], "y", DType::kU8));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(aq, "a_scale"));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(yq, "y_scale"));
    if (!quant::is_quantized_8bit(yq.dtype)) return unsupported("y_zero_point must be u8 or i8");
    if (a.rank() < 1 || b.rank() < 1) return invalid_argument("inputs a and b must not be scalars");

    // NumPy promotion: a [K] -> [1,K], b [K] -> [K,1]; the added dims are dropped at the end.
    Shape a_shape = a.shape();
    Shape b_shape = b.shape();
    if (a.rank() == 1) a_shape.insert(a_shape.begin(), 1);
    if (b.rank() == 1) b_shape.push_back(1);
    const int64_t rows = a_shape[a_shape.size() - 2];
    const int64_t depth = a_shape.back();
    const int64_t cols = b_shape.back();
    if (b_shape[b_shape.size() - 2] != depth) {
      return invalid_argument("inputs a " + a.describe() + " and b " + b.describe() +
                              " cannot be multiplied");
    }
    PIXLAKE_RETURN_IF_ERROR(quant::expect_count(bq, cols, "b_scale"));

    Shape a_batch(a_shape.begin(), a_shape.end() - 2);
    Shape b_batch(b_shape.begin(), b_shape.end() - 2);
    PIXLAKE_ASSIGN_OR_RETURN(Shape batch_shape, broadcast_shapes({a_batch, b_batch}));
    Shape y_shape = batch_shape;
    if (a.rank() > 1) y_shape.push_back(rows);
    if (b.rank() > 1) y_shape.push_back(cols);

    std::vector<int32_t> a_values = quant::to_int32(a);
    std::vector<double> a_centred(a_values.size());
    for (size_t i = 0; i < a_values.size(); ++i) a_centred[i] = a_values[i] - aq.zero_point[0];
    std::vector<int32_t> b_values = quant::to_int32(b);
    std::vector<double> b_centred(b_values.size());
    for (size_t i = 0; i < b_values.size(); ++i) {
      b_centred[i] = b_values[i] - bq.zero_point_at(static_cast<int64_t>(i) % cols);
    }
    std::vector<float> out_scale(static_cast<size_t>(cols));
    for (int64_t col = 0; col < cols; ++col) {
      out_scale[static_cast<size_t>(col)] = aq.scale[0] * bq.scale_at(col) / yq.scale[0];
    }

    const int64_t n_batch = shape_numel(batch_shape);
    std::vector<int32_t> y_values(static_cast<size_t>(n_batch * rows * cols));
    std::vector<double> acc(static_cast<size_t>(rows * cols));
    BroadcastIterator it(batch_shape, {a_batch, b_batch});
    for (int64_t batch = 0; batch < n_batch; ++batch, it.next()) {
      const double* a_mat = a_centred.data() + it.offset(0) * rows * depth;
      const double* b_mat = b_centred.data() + it.offset(1) * depth * cols;
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(rows),
                  static_cast<int>(cols), static_cast<int>(depth), 1.0, a_mat,
                  static_cast<int>(depth), b_mat, static_cast<int>(cols), 0.0, acc.data(),
                  static_cast<int>(cols));
      int32_t* dst = y_values.data() + batch * rows * cols;
      for (int64_t row = 0; row < rows; ++row) {
        for (int64_t col = 0; col < cols; ++col) {
          const int64_t i = row * cols + col;
          const float sum = static_cast<float>(static_cast<int32_t>(acc[static_cast<size_t>(i)]));
          dst[i] = quant::quantize_value(sum * out_scale[static_cast<size_t>(col)],
                                         yq.zero_point[0], yq.dtype);
        }
      }
    }
    outputs[0] = quant::from_int32(yq.dtype, y_shape, y_values);
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<Op> make_op_QLinearMatMul() { return std::make_unique<QLinearMatMulOp>(); }

}  // namespace pixlake
