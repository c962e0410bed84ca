#include "ops/im2col.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace pixlake {
namespace {

// Advances a row-major multi-index over `shape` by one position.
void next_index(std::vector<int64_t>& index, const Shape& shape, size_t n_dims) {
  for (size_t d = n_dims; d-- > 0;) {
    if (++index[d] < shape[d]) return;
    index[d] = 0;
  }
}

// Walks every column-matrix entry in order and calls visit(col_position, image_offset), where
// image_offset is -1 for a tap that falls in the padding. The last spatial dimension is the
// inner loop so that the common case stays a tight loop.
template <typename Visit>
void for_each_column_entry(int64_t channels, const Window& w, Visit visit) {
  const size_t rank = w.rank();
  const size_t last = rank - 1;
  const std::vector<int64_t> in_strides = shape_strides(w.in);
  const int64_t in_size = w.in_size();
  const int64_t out_size = w.out_size();
  const int64_t out_last = w.out[last];
  const int64_t out_rows = out_size / out_last;  // output positions over the leading dims
  int64_t position = 0;
  for (int64_t c = 0; c < channels; ++c) {
    std::vector<int64_t> tap(rank, 0);
    for (int64_t k = 0; k < w.kernel_size(); ++k, next_index(tap, w.kernel, rank)) {
      std::vector<int64_t> out_index(rank, 0);
      for (int64_t row = 0; row < out_rows; ++row, next_index(out_index, w.out, last)) {
        bool inside = true;
        int64_t base = c * in_size;
        for (size_t d = 0; d < last; ++d) {
          int64_t at = out_index[d] * w.strides[d] - w.pad_begin[d] + tap[d] * w.dilations[d];
          inside = inside && at >= 0 && at < w.in[d];
          base += at * in_strides[d];
        }
        const int64_t first = tap[last] * w.dilations[last] - w.pad_begin[last];
        for (int64_t x = 0; x < out_last; ++x, ++position) {
          int64_t at = first + x * w.strides[last];
          visit(position, inside && at >= 0 && at < w.in[last] ? base + at : int64_t{-1});
        }
      }
    }
  }
}

}  // namespace

void im2col(const float* image, int64_t channels, const Window& w, float* col) {
  for_each_column_entry(channels, w, [&](int64_t position, int64_t offset) {
    col[position] = offset >= 0 ? image[offset] : 0.0f;
  });
}

void im2col_panel_2d(const float* image, int64_t channels, const Window& w, int64_t col,
                     int64_t cols, int64_t panel_cols, float* panel) {
  // The panel's columns split into runs along output rows (one or two for wide maps, several
  // for 7x7 ones); each run reads one input row per kernel tap.
  struct Run {
    int64_t out_y, out_x, count, at;  // first output position, length, offset in the panel row
  };
  std::vector<Run> runs;
  runs.reserve(8);
  const int64_t out_w = w.out[1];
  for (int64_t done = 0; done < cols;) {
    const int64_t position = col + done;
    const Run run{position / out_w, position % out_w,
                  std::min(cols - done, out_w - position % out_w), done};
    runs.push_back(run);
    done += run.count;
  }
  const int64_t in_h = w.in[0], in_w = w.in[1];
  const int64_t stride_x = w.strides[1];
  float* row = panel;
  for (int64_t c = 0; c < channels; ++c) {
    const float* plane = image + c * in_h * in_w;
    for (int64_t ky = 0; ky < w.kernel[0]; ++ky) {
      for (int64_t kx = 0; kx < w.kernel[1]; ++kx, row += panel_cols) {
        std::memset(row, 0, sizeof(float) * static_cast<size_t>(panel_cols));
        for (const Run& run : runs) {
          const int64_t in_y = run.out_y * w.strides[0] - w.pad_begin[0] + ky * w.dilations[0];
          if (in_y < 0 || in_y >= in_h) continue;  // padding: stays zero
          const float* src = plane + in_y * in_w;
          // in_x = x0 + j * stride_x; the j with 0 <= in_x < in_w.
          const int64_t x0 = run.out_x * stride_x - w.pad_begin[1] + kx * w.dilations[1];
          const int64_t j0 = x0 >= 0 ? 0 : (-x0 + stride_x - 1) / stride_x;
          const int64_t j1 =
              std::min(run.count, x0 >= in_w ? 0 : (in_w - x0 + stride_x - 1) / stride_x);
          float* dst = row + run.at;
          if (stride_x == 1) {
            if (j1 > j0)
              std::memcpy(dst + j0, src + x0 + j0, sizeof(float) * static_cast<size_t>(j1 - j0));
          } else {
            for (int64_t j = j0; j < j1; ++j) dst[j] = src[x0 + j * stride_x];
          }
        }
      }
    }
  }
}

void col2im(const float* col, int64_t channels, const Window& w, float* image) {
  for_each_column_entry(channels, w, [&](int64_t position, int64_t offset) {
    if (offset >= 0) image[offset] += col[position];
  });
}

bool im2col_is_identity(const Window& w) {
  for (size_t d = 0; d < w.rank(); ++d) {
    if (w.kernel[d] != 1 || w.strides[d] != 1 || w.pad_begin[d] != 0 || w.pad_end[d] != 0) {
      return false;
    }
  }
  return true;
}

}  // namespace pixlake
