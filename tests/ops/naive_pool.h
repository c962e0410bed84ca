// A naive pooling loop for MaxPool / AveragePool tests: explicit pads and output size, 1-D to
// 3-D spatial shapes.
#pragma once

#include <algorithm>
#include <limits>
#include <vector>

#include "random_tensor.h"

namespace pixlake::testing {

struct PoolCase {
  Shape x;  // [N, C, spatial...]
  Shape kernel;
  Shape strides;
  Shape pads;  // begin..., end...
  Shape dilations;
  bool ceil_mode = false;
  bool count_include_pad = false;
};

enum class PoolKind { kMax, kAverage };

// Output size along one dimension, the PyTorch / ONNX Runtime way: with ceil_mode, a last
// window that would start in the end padding is dropped.
inline int64_t pool_out_size(const PoolCase& c, size_t d) {
  const size_t rank = c.kernel.size();
  const int64_t in = c.x[2 + d], pb = c.pads[d], pe = c.pads[d + rank], s = c.strides[d];
  const int64_t span = in + pb + pe - ((c.kernel[d] - 1) * c.dilations[d] + 1);
  int64_t out = (c.ceil_mode ? (span + s - 1) / s : span / s) + 1;
  if (c.ceil_mode && (out - 1) * s >= in + pb) --out;
  return out;
}

inline Tensor naive_pool(const PoolCase& c, const Tensor& x, PoolKind kind) {
  const size_t rank = c.kernel.size();
  Shape in3 = to_3d(Shape(c.x.begin() + 2, c.x.end()), 1);
  Shape k3 = to_3d(c.kernel, 1), s3 = to_3d(c.strides, 1), d3 = to_3d(c.dilations, 1);
  Shape pb3(3, 0), pe3(3, 0), out3(3, 1), out_shape = {c.x[0], c.x[1]};
  for (size_t d = 0; d < rank; ++d) {
    pb3[3 - rank + d] = c.pads[d];
    pe3[3 - rank + d] = c.pads[d + rank];
    out3[3 - rank + d] = pool_out_size(c, d);
    out_shape.push_back(out3[3 - rank + d]);
  }
  Tensor y(DType::kF32, out_shape);
  float* out = y.data<float>();
  for (int64_t plane = 0; plane < c.x[0] * c.x[1]; ++plane)
    for (int64_t o0 = 0; o0 < out3[0]; ++o0)
      for (int64_t o1 = 0; o1 < out3[1]; ++o1)
        for (int64_t o2 = 0; o2 < out3[2]; ++o2) {
          float best = std::numeric_limits<float>::lowest();
          double sum = 0;
          int64_t inside = 0, padded = 0;
          for (int64_t k0 = 0; k0 < k3[0]; ++k0)
            for (int64_t k1 = 0; k1 < k3[1]; ++k1)
              for (int64_t k2 = 0; k2 < k3[2]; ++k2) {
                int64_t at[3] = {o0 * s3[0] - pb3[0] + k0 * d3[0], o1 * s3[1] - pb3[1] + k1 * d3[1],
                                 o2 * s3[2] - pb3[2] + k2 * d3[2]};
                bool in_padded = true, in_input = true;
                for (int d = 0; d < 3; ++d) {
                  in_padded = in_padded && at[d] >= -pb3[d] && at[d] < in3[d] + pe3[d];
                  in_input = in_input && at[d] >= 0 && at[d] < in3[d];
                }
                padded += in_padded;
                if (!in_input) continue;
                float v =
                    x.data<float>()[((plane * in3[0] + at[0]) * in3[1] + at[1]) * in3[2] + at[2]];
                best = std::max(best, v);
                sum += v;
                ++inside;
              }
          if (kind == PoolKind::kMax) {
            *out++ = best;
          } else {
            *out++ = static_cast<float>(sum / (c.count_include_pad ? padded : inside));
          }
        }
  return y;
}

}  // namespace pixlake::testing
