// The shared body of GlobalAveragePool and GlobalMaxPool, which differ only in how they reduce
// one (batch, channel) plane to a single value.
#pragma once

#include <cstdint>
#include <span>
#include <utility>

#include "ops/op_util.h"

namespace pixlake {

// Checks X is f32 [N, C, spatial...] and sets Y [N, C, 1, 1, ...] (X's rank) to
// reduce(plane, plane_size) for every (batch, channel) plane of X.
template <typename Reduce>
Status run_global_pool(std::span<const Tensor* const> inputs, std::span<Tensor> outputs,
                       Reduce reduce) {
  PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[0], DType::kF32, "input X"));
  const Tensor& x = *inputs[0];
  if (x.rank() < 2) return invalid_argument("X " + x.describe() + " must be [N, C, spatial...]");
  Shape y_shape(x.shape().size(), 1);
  y_shape[0] = x.dim(0);
  y_shape[1] = x.dim(1);
  Tensor y(DType::kF32, y_shape);
  const int64_t planes = x.dim(0) * x.dim(1);
  const int64_t plane_size = planes > 0 ? x.numel() / planes : 0;
  for (int64_t p = 0; p < planes; ++p) {
    y.data<float>()[p] = reduce(x.data<float>() + p * plane_size, plane_size);
  }
  outputs[0] = std::move(y);
  return Status::ok();
}

}  // namespace pixlake
