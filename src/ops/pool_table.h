// The taps of every pooling window, computed once per input size and shared by all
// (batch, channel) planes: MaxPool and AveragePool only differ in what they do with them.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "ops/op_util.h"
#include "ops/window.h"

namespace pixlake {

struct PoolTable {
  // Output position o reads plane offsets offsets[begin[o] .. begin[o + 1]), the taps that
  // fall inside the input (padding excluded).
  std::vector<int64_t> begin;
  std::vector<int64_t> offsets;
  // Taps of window o inside the padded input (AveragePool's count_include_pad divisor): a
  // ceil_mode window may reach past the end padding.
  std::vector<int64_t> padded_count;
};

PoolTable make_pool_table(const Window& w);

// Reads the window attributes of AveragePool and MaxPool, both of which require kernel_shape.
Result<WindowAttrs> read_pool_attrs(const Attributes& attrs);

// The shared body of AveragePool and MaxPool: checks X is f32 [N, C, spatial...], resolves the
// window and sets Y[o] = reduce(plane, table, o) for every output position o of every
// (batch, channel) plane, where `plane` points at that plane of X.
template <typename Reduce>
Status run_pool(const WindowAttrs& attrs, std::span<const Tensor* const> inputs,
                std::span<Tensor> outputs, Reduce reduce) {
  PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input X"));
  const Tensor& x = *inputs[0];
  if (x.rank() < 3) return invalid_argument("X " + x.describe() + " must be [N, C, spatial...]");
  PIXLAKE_ASSIGN_OR_RETURN(
      Window w,
      resolve_window(attrs, Shape(x.shape().begin() + 2, x.shape().end()), attrs.kernel_shape));
  Shape y_shape = {x.dim(0), x.dim(1)};
  y_shape.insert(y_shape.end(), w.out.begin(), w.out.end());
  Tensor y(DType::kF32, y_shape);

  const PoolTable table = make_pool_table(w);
  const int64_t planes = x.dim(0) * x.dim(1);
  for (int64_t p = 0; p < planes; ++p) {
    const float* in = x.data<float>() + p * w.in_size();
    float* out = y.data<float>() + p * w.out_size();
    for (int64_t o = 0; o < w.out_size(); ++o) out[o] = reduce(in, table, o);
  }
  outputs[0] = std::move(y);
  return Status::ok();
}

}  // namespace pixlake
