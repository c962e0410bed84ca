// MatMul with NumPy semantics: a 1-D A is a row vector and a 1-D B a column vector (the added
// dimension is removed from the result); leading (batch) dimensions broadcast. One
// cblas_sgemm per batch entry, except that a 2-D B (a layer's weights) meets all of A's rows
// in one product: exported transformers feed their projections A [tokens, 1, features], and
// a call per token repacked the whole weight matrix 197 times per layer.
#include <cblas.h>

#include <limits>
#include <utility>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/f32_gemm/gemm.h"
#include "ops/linear_weights.h"
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class MatMulOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    pool_ = setup.pool;
    // Constant 2-D B: the layer's weights, packed once for the kernels.
    const Tensor* b = setup.constants.size() > 1 ? setup.constants[1] : nullptr;
    if (b != nullptr) weights_ = LinearWeights::make(*b, false, setup.precision);
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input A"));
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[1], DType::kF32, "input B"));
    const Tensor& a = *inputs[0];
    const Tensor& b = *inputs[1];
    if (a.rank() == 0 || b.rank() == 0) {
      return invalid_argument("A " + a.describe() + " and B " + b.describe() +
                              " must have at least one dimension");
    }
    Shape a_shape = a.shape();
    Shape b_shape = b.shape();
    if (a.rank() == 1) a_shape.insert(a_shape.begin(), 1);
    if (b.rank() == 1) b_shape.push_back(1);
    const int64_t m = a_shape[a_shape.size() - 2];
    const int64_t k = a_shape.back();
    const int64_t n = b_shape.back();
    if (b_shape[b_shape.size() - 2] != k) {
      return invalid_argument("A " + a.describe() + " and B " + b.describe() +
                              " have different inner dimensions");
    }
    const Shape a_batch(a_shape.begin(), a_shape.end() - 2);
    const Shape b_batch(b_shape.begin(), b_shape.end() - 2);
    PIXLAKE_ASSIGN_OR_RETURN(Shape batch, broadcast_shapes({a_batch, b_batch}));

    Shape y_shape = batch;
    if (a.rank() > 1) y_shape.push_back(m);
    if (b.rank() > 1) y_shape.push_back(n);
    // Every element is written by the product unless k = 0, when Y is zeros.
    Tensor y = k > 0 ? Tensor::uninitialized(DType::kF32, y_shape) : Tensor(DType::kF32, y_shape);
    const int64_t n_batch = shape_numel(batch);
    if (m > 0 && n > 0 && k > 0 && b_batch.empty() && weights_ != nullptr && weights_->k() == k &&
        weights_->n() == n) {
      const Clamp none{-std::numeric_limits<float>::infinity(),
                       std::numeric_limits<float>::infinity()};
      weights_->multiply(a.data<float>(), n_batch * m, bias_ ? bias_->data() : nullptr, none, pool_,
                         y.data<float>());
    } else if (m > 0 && n > 0 && k > 0 && b_batch.empty()) {
      // Y [batch..., m, n] is contiguous, so it is one [batch * m, n] product.
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(n_batch * m),
                  static_cast<int>(n), static_cast<int>(k), 1.0f, a.data<float>(),
                  static_cast<int>(k), b.data<float>(), static_cast<int>(n), 0.0f, y.data<float>(),
                  static_cast<int>(n));
    } else if (m > 0 && n > 0 && k > 0 && f32_gemm() != nullptr) {
      // Batched products of activations (attention's Q K^T and scores x V): the kernel, one
      // batch entry per piece of the pool. (OpenBLAS's own threads fought the pool's for the
      // cores: ViT-B/16 on 2 threads ran slower than with OpenBLAS on one.)
      std::vector<std::pair<int64_t, int64_t>> offsets(static_cast<size_t>(n_batch));
      BroadcastIterator it(batch, {a_batch, b_batch});
      for (int64_t i = 0; i < n_batch; ++i, it.next()) offsets[i] = {it.offset(0), it.offset(1)};
      const GemmShape shape{m, n, k, k, n, n};
      const auto scratch_floats = static_cast<size_t>(f32_gemm_scratch_floats(shape));
      const Clamp none{-std::numeric_limits<float>::infinity(),
                       std::numeric_limits<float>::infinity()};
      const float* a_data = a.data<float>();
      const float* b_data = b.data<float>();
      float* y_data = y.data<float>();
      parallel_ranges(pool_, n_batch, 1, [&](int64_t first, int64_t last) {
        thread_local std::vector<float> scratch;
        if (scratch.size() < scratch_floats) scratch.resize(scratch_floats);
        for (int64_t i = first; i < last; ++i) {
          f32_gemm()(shape, a_data + offsets[i].first * m * k, b_data + offsets[i].second * k * n,
                     nullptr, none, scratch.data(), y_data + i * m * n);
        }
      });
    } else if (m > 0 && n > 0 && k > 0) {
      BroadcastIterator it(batch, {a_batch, b_batch});
      for (int64_t i = 0; i < n_batch; ++i, it.next()) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m),
                    static_cast<int>(n), static_cast<int>(k), 1.0f,
                    a.data<float>() + it.offset(0) * m * k, static_cast<int>(k),
                    b.data<float>() + it.offset(1) * k * n, static_cast<int>(n), 0.0f,
                    y.data<float>() + i * m * n, static_cast<int>(n));
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

  // Y + bias for a following Add of a constant [n] (transformer projections), in the same pass.
  std::unique_ptr<Op> fused_with_bias(const Tensor& bias) const override {
    if (weights_ == nullptr || bias_ != nullptr || bias.rank() != 1 ||
        bias.dtype() != DType::kF32 || bias.numel() != weights_->n() || !bias.has_values()) {
      return nullptr;
    }
    auto fused = std::make_unique<MatMulOp>(*this);
    fused->bias_ = std::make_shared<const std::vector<float>>(bias.to_floats());
    return fused;
  }

  // The prepared path reads B's shape only (always taken when weights_ is set: B is constant).
  bool keeps_own_copy_of_input(size_t input) const override {
    return input == 1 && weights_ != nullptr;
  }

 private:
  ThreadPool* pool_ = nullptr;
  std::shared_ptr<const LinearWeights> weights_;    // constant B, prepared; null otherwise
  std::shared_ptr<const std::vector<float>> bias_;  // set on a copy fused with Add(bias)
};

}  // namespace

std::unique_ptr<Op> make_op_MatMul() { return std::make_unique<MatMulOp>(); }

}  // namespace pixlake
