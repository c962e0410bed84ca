// Gemm: Y = alpha * A' * B' + beta * C, where A' and B' are A and B, transposed when transA /
// transB is set, and the optional C is broadcast to [M, N]. Opsets < 7 wrote a `broadcast`
// attribute; broadcasting is always allowed here (a superset of those forms).
#include <cblas.h>

#include <limits>

#include "ops/linear_weights.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class GemmOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    alpha_ = setup.attrs.get_float("alpha", 1.0f);
    beta_ = setup.attrs.get_float("beta", 1.0f);
    trans_a_ = setup.attrs.get_int("transA", 0) != 0;
    trans_b_ = setup.attrs.get_int("transB", 0) != 0;
    setup.attrs.get_int("broadcast", 0);
    pool_ = setup.pool;
    // Y = A W + c with constant W (a classifier or a transformer projection): W prepared once.
    const Tensor* b = setup.constants.size() > 1 ? setup.constants[1] : nullptr;
    if (b != nullptr && alpha_ == 1.0f && !trans_a_) {
      weights_ = LinearWeights::make(*b, trans_b_, setup.precision);
      // B's values are needed again only when C might not be a bias row at run time.
      const Tensor* c = setup.constants.size() > 2 ? setup.constants[2] : nullptr;
      const bool no_c = setup.n_inputs < 3;
      const int64_t n = weights_ == nullptr ? 0 : weights_->n();
      c_always_bias_ = no_c || beta_ == 0.0f ||
                       (c != nullptr && beta_ == 1.0f && c->dtype() == DType::kF32 &&
                        c->numel() == n && (c->rank() == 1 || (c->rank() == 2 && c->dim(0) == 1)));
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input A"));
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[1], DType::kF32, "input B"));
    const Tensor& a = *inputs[0];
    const Tensor& b = *inputs[1];
    const Tensor* c = inputs.size() > 2 ? inputs[2] : nullptr;
    if (a.rank() != 2 || b.rank() != 2) {
      return invalid_argument("A " + a.describe() + " and B " + b.describe() + " must be 2-D");
    }
    const int64_t m = trans_a_ ? a.dim(1) : a.dim(0);
    const int64_t k = trans_a_ ? a.dim(0) : a.dim(1);
    const int64_t n = trans_b_ ? b.dim(0) : b.dim(1);
    if ((trans_b_ ? b.dim(1) : b.dim(0)) != k) {
      return invalid_argument(
          "A " + a.describe() + " and B " + b.describe() +
          " have different inner dimensions (transA=" + std::to_string(trans_a_) +
          ", transB=" + std::to_string(trans_b_) + ")");
    }
    // The prepared path: C absent, or a row [n] / [1, n] with beta = 1 (the bias).
    const bool c_is_bias = c == nullptr || beta_ == 0.0f ||
                           (beta_ == 1.0f && c->dtype() == DType::kF32 && c->numel() == n &&
                            (c->rank() == 1 || (c->rank() == 2 && c->dim(0) == 1)));
    if (weights_ != nullptr && weights_->k() == k && weights_->n() == n && c_is_bias && m > 0) {
      Tensor y = Tensor::uninitialized(DType::kF32, {m, n});
      const float* bias = c != nullptr && beta_ != 0.0f ? c->data<float>() : nullptr;
      const Clamp none{-std::numeric_limits<float>::infinity(),
                       std::numeric_limits<float>::infinity()};
      weights_->multiply(a.data<float>(), m, bias, none, pool_, y.data<float>());
      outputs[0] = std::move(y);
      return Status::ok();
    }
    Tensor y(DType::kF32, {m, n});
    float* out = y.data<float>();
    float gemm_beta = 0.0f;
    if (c != nullptr && beta_ != 0.0f) {
      PIXLAKE_RETURN_IF_ERROR(expect_dtype(c, DType::kF32, "input C"));
      auto shape = broadcast_shapes({c->shape(), {m, n}});
      if (!shape.is_ok() || shape.value() != Shape{m, n}) {
        return invalid_argument("C " + c->describe() + " does not broadcast to [" +
                                std::to_string(m) + "," + std::to_string(n) + "]");
      }
      BroadcastIterator it({m, n}, {c->shape()});
      for (int64_t i = 0; i < m * n; ++i, it.next())
        out[i] = beta_ * c->data<float>()[it.offset(0)];
      gemm_beta = 1.0f;
    }
    if (m > 0 && n > 0 && k > 0) {
      cblas_sgemm(CblasRowMajor, trans_a_ ? CblasTrans : CblasNoTrans,
                  trans_b_ ? CblasTrans : CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
                  static_cast<int>(k), alpha_, a.data<float>(), static_cast<int>(a.dim(1)),
                  b.data<float>(), static_cast<int>(b.dim(1)), gemm_beta, out, static_cast<int>(n));
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

  bool keeps_own_copy_of_input(size_t input) const override {
    return input == 1 && weights_ != nullptr && c_always_bias_;
  }

 private:
  bool c_always_bias_ = false;  // C is absent or a constant bias row: the prepared path always
  float alpha_ = 1.0f;
  float beta_ = 1.0f;
  bool trans_a_ = false;
  bool trans_b_ = false;
  ThreadPool* pool_ = nullptr;
  std::shared_ptr<const LinearWeights> weights_;  // constant B, prepared; null otherwise
};

}  // namespace

std::unique_ptr<Op> make_op_Gemm() { return std::make_unique<GemmOp>(); }

}  // namespace pixlake
