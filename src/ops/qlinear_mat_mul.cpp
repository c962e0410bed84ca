// QLinearMatMul: MatMul (NumPy semantics: 1-D operands promoted, batch dims broadcast) of
// quantised a and b. acc = sum((a - a_zp) * (b - b_zp)) accumulated exactly, then
// y = saturate(round_half_even(acc * a_scale * b_scale / y_scale) + y_zp); b_scale and b_zp may
// hold one value per output column (per-column quantisation of a 2-D weight).
// With a constant 2-D b (a classifier's weights), b is shifted to s8, transposed and packed once
// in init(), and the product runs on the u8s8 GEMM (kernels/u8s8_gemm) as y^T = b^T a^T. Other
// cases use an exact integer GEMM on doubles (quant::exact_integer_gemm).
#include <algorithm>
#include <limits>
#include <memory>

#include "kernels/u8s8_gemm/gemm.h"
#include "ops/op_util.h"
#include "ops/quant_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

// b [depth, cols] as the GEMM's weights: b^T shifted to s8, packed.
struct PackedB {
  DType dtype = DType::kUndefined;  // of the b it was made from, with its shape
  Shape shape;
  std::vector<int8_t> data;
  std::vector<int32_t> row_sums;  // per column of b: the sum of its shifted values
};

class QLinearMatMulOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    const Tensor* b = setup.constants.size() > 3 ? setup.constants[3] : nullptr;
    if (b != nullptr && quant::is_quantized_8bit(b->dtype()) && b->rank() == 2 && b->numel() > 0) {
      const int64_t depth = b->dim(0);
      const int64_t cols = b->dim(1);
      const std::vector<int8_t> s8 = quant::to_s8_weights(*b);
      std::vector<int8_t> transposed(s8.size());
      for (int64_t k = 0; k < depth; ++k) {
        for (int64_t col = 0; col < cols; ++col) {
          transposed[static_cast<size_t>(col * depth + k)] =
              s8[static_cast<size_t>(k * cols + col)];
        }
      }
      auto packed = std::make_shared<PackedB>();
      packed->dtype = b->dtype();
      packed->shape = b->shape();
      packed->data.resize(static_cast<size_t>(u8s8_gemm_packed_bytes(cols, depth)));
      packed->row_sums.resize(static_cast<size_t>(cols));
      u8s8_gemm_pack_weights(transposed.data(), cols, depth, depth, packed->data.data(),
                             packed->row_sums.data());
      packed_ = std::move(packed);
    }
    return Status::ok();
  }

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

    // The kernels' int32 accumulator is exact while depth * 255 * 255 fits. Without AVX-512
    // VNNI the kernel is its scalar reference loop: the double GEMM on BLAS is faster there.
    if (packed_ != nullptr && packed_->dtype == b.dtype() && packed_->shape == b.shape() &&
        depth * 255 * 255 <= std::numeric_limits<int32_t>::max() &&
        u8s8_gemm() != &u8s8_gemm__ref) {
      outputs[0] =
          run_integer(a, aq, bq, yq, shape_numel(batch_shape) * rows, depth, cols, y_shape);
      return Status::ok();
    }

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
      quant::exact_integer_gemm(rows, cols, depth, a_mat, b_mat, acc.data());
      int32_t* dst = y_values.data() + batch * rows * cols;
      for (int64_t row = 0; row < rows; ++row) {
        for (int64_t col = 0; col < cols; ++col) {
          const int64_t i = row * cols + col;
          const float sum = static_cast<float>(acc[static_cast<size_t>(i)]);
          dst[i] = quant::quantize_value(sum * out_scale[static_cast<size_t>(col)],
                                         yq.zero_point[0], yq.dtype);
        }
      }
    }
    outputs[0] = quant::from_int32(yq.dtype, y_shape, y_values);
    return Status::ok();
  }

 private:
  // y [rows, cols] = a [rows, depth] x b (packed_) on the u8s8 GEMM: y^T = b^T a^T, one GEMM row
  // per column of b. `rows` counts every row of every batch item of a (b has no batch dims).
  Tensor run_integer(const Tensor& a, const quant::QuantParams& aq, const quant::QuantParams& bq,
                     const quant::QuantParams& yq, int64_t rows, int64_t depth, int64_t cols,
                     const Shape& y_shape) const {
    const int32_t a_zero = aq.zero_point[0] + quant::activation_shift(a.dtype());
    const int32_t b_shift = quant::weight_shift(packed_->dtype);
    std::vector<float> scale(static_cast<size_t>(cols));
    std::vector<int32_t> b_zero(static_cast<size_t>(cols));
    std::vector<int32_t> offset(static_cast<size_t>(cols));
    bool any_b_zero = false;
    for (int64_t col = 0; col < cols; ++col) {
      const auto i = static_cast<size_t>(col);
      scale[i] = aq.scale[0] * bq.scale_at(col) / yq.scale[0];
      b_zero[i] = bq.zero_point_at(col) + b_shift;
      any_b_zero = any_b_zero || b_zero[i] != 0;
      // -a_zp * sum(b) + depth * a_zp * b_zp, modulo 2^32 (see kernels/u8s8_gemm/gemm.h).
      offset[i] = static_cast<int32_t>(static_cast<uint32_t>(
          -int64_t{a_zero} * packed_->row_sums[i] + depth * int64_t{a_zero} * b_zero[i]));
    }
    U8S8Requant rq;
    rq.row_offset = offset.data();
    rq.row_w_zero = any_b_zero ? b_zero.data() : nullptr;
    rq.row_scale = scale.data();
    rq.y_zero_point = yq.zero_point[0];
    rq.y_min = quant::min_value(yq.dtype);
    rq.y_max = quant::max_value(yq.dtype);

    // a^T as u8 [depth, rows]: a itself when it is one row of u8.
    const auto* a_u8 = static_cast<const uint8_t*>(a.raw());
    std::vector<uint8_t> a_t;
    if (rows > 1 || a.dtype() == DType::kI8) {
      a_t.resize(static_cast<size_t>(depth * rows));
      const uint8_t flip = a.dtype() == DType::kI8 ? 0x80 : 0;
      for (int64_t row = 0; row < rows; ++row) {
        for (int64_t k = 0; k < depth; ++k) {
          a_t[static_cast<size_t>(k * rows + row)] = a_u8[row * depth + k] ^ flip;
        }
      }
      a_u8 = a_t.data();
    }
    Tensor y = Tensor::uninitialized(yq.dtype, y_shape);
    auto* y_u8 = static_cast<uint8_t*>(y.raw());
    // y^T [cols, rows]: y itself when it is one row.
    std::vector<uint8_t> y_t(rows > 1 ? static_cast<size_t>(cols * rows) : 0);
    const U8S8GemmShape shape{cols, rows, depth, rows, rows};
    thread_local std::vector<uint8_t> scratch;
    scratch.resize(std::max(scratch.size(), static_cast<size_t>(u8s8_gemm_scratch_bytes(shape))));
    u8s8_gemm()(shape, packed_->data.data(), a_u8, rq, scratch.data(),
                rows > 1 ? y_t.data() : y_u8);
    if (rows > 1) {
      for (int64_t row = 0; row < rows; ++row) {
        for (int64_t col = 0; col < cols; ++col) {
          y_u8[row * cols + col] = y_t[static_cast<size_t>(col * rows + row)];
        }
      }
    }
    return y;
  }

  std::shared_ptr<const PackedB> packed_;  // from a constant 2-D b, made in init()
};

}  // namespace

std::unique_ptr<Op> make_op_QLinearMatMul() { return std::make_unique<QLinearMatMulOp>(); }

}  // namespace pixlake
