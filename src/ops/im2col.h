// im2col and its adjoint col2im, which turn an N-D convolution into one matrix product.
// For an image of `channels` planes of spatial size w.in, the column matrix has
// channels * w.kernel_size() rows and w.out_size() columns, row-major: row (c, k) holds, for
// every output position, the input value that kernel tap k of channel c reads there (0 in
// the padding).
#pragma once

#include <cstdint>

#include "ops/window.h"

namespace pixlake {

void im2col(const float* image, int64_t channels, const Window& w, float* col);

// One panel of the column matrix of a 2-D window: rows [0, channels * kernel size), columns
// [col, col + cols), written as rows of `panel_cols` floats with zeros after `cols` (the
// layout of the GEMM kernel's panel, see kernels/f32_gemm/gemm.h). The same values im2col
// writes, gathered where they are needed instead of all at once.
void im2col_panel_2d(const float* image, int64_t channels, const Window& w, int64_t col,
                     int64_t cols, int64_t panel_cols, float* panel);

// Adds every column entry into the image position it was read from; the image must be
// initialised (usually zeroed) by the caller. Used by ConvTranspose.
void col2im(const float* col, int64_t channels, const Window& w, float* image);

// True when the column matrix is the image itself (1x1 kernel, unit strides, no padding),
// so that im2col can be skipped.
bool im2col_is_identity(const Window& w);

}  // namespace pixlake
