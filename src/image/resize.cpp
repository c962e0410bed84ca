// Separable resampling: each axis gets a table of (source index, weight) taps per output
// index, built to reproduce OpenCV's resize.cpp (4.x) coefficient by coefficient; then a
// horizontal pass into a float buffer and a vertical pass into the output.
#include "image/resize.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace pixlake {
namespace {

// Taps of output index i are entries [offsets[i], offsets[i + 1]) of index / weight.
struct AxisTaps {
  std::vector<int> offsets{0};
  std::vector<int> index;
  std::vector<float> weight;

  void add(int src_index, double w) {
    index.push_back(src_index);
    weight.push_back(static_cast<float>(w));
  }
  void end_output() { offsets.push_back(static_cast<int>(index.size())); }
};

// Exact area averaging for shrinking (OpenCV computeResizeAreaTab). Output pixel i covers
// source interval [i * scale, (i + 1) * scale); partial pixels at either end are weighted by
// the covered fraction. The 1e-3 thresholds ignore slivers, as OpenCV does.
AxisTaps area_average_taps(int src_size, int dst_size) {
  const double scale = static_cast<double>(src_size) / dst_size;
  AxisTaps taps;
  for (int i = 0; i < dst_size; ++i) {
    const double begin = i * scale;
    const double end = begin + scale;
    const double cell_width = std::min(scale, src_size - begin);
    const int whole_end = std::min(static_cast<int>(std::floor(end)), src_size - 1);
    const int whole_begin = std::min(static_cast<int>(std::ceil(begin)), whole_end);
    if (whole_begin - begin > 1e-3) taps.add(whole_begin - 1, (whole_begin - begin) / cell_width);
    for (int s = whole_begin; s < whole_end; ++s) taps.add(s, 1.0 / cell_width);
    if (end - whole_end > 1e-3) {
      taps.add(whole_end, std::min(std::min(end - whole_end, 1.0), cell_width) / cell_width);
    }
    taps.end_output();
  }
  return taps;
}

// Two taps (s, 1 - f) and (s + 1, f), clamped at the edges exactly as OpenCV's
// resizeGeneric set-up does: before the first pixel f = 0, s = 0; at or past the last, s =
// last, f = 0. `area_mode` selects INTER_AREA's enlarging formula, else INTER_LINEAR's.
AxisTaps two_tap(int src_size, int dst_size, bool area_mode) {
  const double inv_scale = static_cast<double>(dst_size) / src_size;
  const double scale = 1.0 / inv_scale;
  AxisTaps taps;
  for (int i = 0; i < dst_size; ++i) {
    int s = 0;
    float f = 0.0f;
    if (area_mode) {
      // Output pixel i copies source pixel floor(i * scale) unless its right edge crosses a
      // source boundary, in which case f is the fraction past that boundary.
      s = static_cast<int>(std::floor(i * scale));
      f = static_cast<float>((i + 1) - (s + 1) * inv_scale);
      f = f <= 0 ? 0.0f : f - std::floor(f);
    } else {
      // Half-pixel centres; OpenCV computes the position in float.
      f = static_cast<float>((i + 0.5) * scale - 0.5);
      s = static_cast<int>(std::floor(f));
      f -= static_cast<float>(s);
    }
    if (s < 0) s = 0, f = 0.0f;
    if (s >= src_size - 1) s = src_size - 1, f = 0.0f;
    taps.add(s, 1.0f - f);
    if (f != 0.0f) taps.add(s + 1, f);
    taps.end_output();
  }
  return taps;
}

// Half-to-even like OpenCV's cvRound (the default FP rounding mode), or half-up where OpenCV
// computes in integers, then saturate.
uint8_t saturate_u8(float value, bool round_half_up) {
  const float rounded = round_half_up ? std::floor(value + 0.5f) : std::nearbyint(value);
  return static_cast<uint8_t>(std::clamp(rounded, 0.0f, 255.0f));
}

}  // namespace

const char* interpolation_name(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::kArea: return "area";
    case Interpolation::kBilinear: return "bilinear";
  }
  return "unknown";
}

Result<Image> resize_image(const Image& src, int width, int height, Interpolation interpolation) {
  if (src.empty()) return invalid_argument("resize: the source image is empty");
  if (width <= 0 || height <= 0) {
    return invalid_argument("resize: target size " + std::to_string(width) + "x" +
                            std::to_string(height) + " must be positive");
  }
  if (width == src.width && height == src.height) return src;

  // OpenCV averages areas only when neither axis grows; otherwise INTER_AREA uses its
  // 2-tap area-mode formula on BOTH axes (even the one that shrinks).
  AxisTaps x_taps, y_taps;
  if (interpolation == Interpolation::kArea && width <= src.width && height <= src.height) {
    x_taps = area_average_taps(src.width, width);
    y_taps = area_average_taps(src.height, height);
  } else {
    const bool area_mode = interpolation == Interpolation::kArea;
    x_taps = two_tap(src.width, width, area_mode);
    y_taps = two_tap(src.height, height, area_mode);
  }

  // Horizontal pass: every source row to `width` columns, in float.
  const size_t row_floats = static_cast<size_t>(width) * 3;
  std::vector<float> rows(static_cast<size_t>(src.height) * row_floats);
  for (int src_row = 0; src_row < src.height; ++src_row) {
    const uint8_t* in = src.pixel(src_row, 0);
    float* out = rows.data() + static_cast<size_t>(src_row) * row_floats;
    for (int col = 0; col < width; ++col) {
      float r = 0, g = 0, b = 0;
      for (int t = x_taps.offsets[col]; t < x_taps.offsets[col + 1]; ++t) {
        const uint8_t* p = in + static_cast<size_t>(x_taps.index[t]) * 3;
        const float w = x_taps.weight[t];
        r += w * p[0];
        g += w * p[1];
        b += w * p[2];
      }
      out[col * 3 + 0] = r;
      out[col * 3 + 1] = g;
      out[col * 3 + 2] = b;
    }
  }

  // An exact 2x shrink on both axes is OpenCV's integer fast path for INTER_AREA, which
  // INTER_LINEAR also takes (the two coincide there): (a + b + c + d + 2) >> 2, ties up.
  const bool round_half_up = src.width == 2 * width && src.height == 2 * height;

  // Vertical pass: blend the rows each output row's taps name.
  Image dst(width, height);
  std::vector<float> acc(row_floats);
  for (int row = 0; row < height; ++row) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    for (int t = y_taps.offsets[row]; t < y_taps.offsets[row + 1]; ++t) {
      const float* in = rows.data() + static_cast<size_t>(y_taps.index[t]) * row_floats;
      const float w = y_taps.weight[t];
      for (size_t k = 0; k < row_floats; ++k) acc[k] += w * in[k];
    }
    uint8_t* out = dst.pixel(row, 0);
    for (size_t k = 0; k < row_floats; ++k) out[k] = saturate_u8(acc[k], round_half_up);
  }
  return dst;
}

}  // namespace pixlake
