// Resizing reproduces OpenCV's resize.cpp (4.x) for 8-bit images, bit for bit on the cases
// tested (tests/image/test_resize.cpp):
// - shrinking with INTER_AREA: exact area averaging in float (computeResizeAreaTab);
// - every other case: OpenCV's 2-tap filter in its 8-bit fixed-point form (11-bit weights, an
//   integer horizontal pass, and the SIMD vertical pass whose truncating multiply-high
//   rounding we copy). Computing these in float instead gives ±1 on ~10% of values.
#include "image/resize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace pixlake {
namespace {

// ---- Area averaging (shrinking) ----

// Taps of output index i are entries [offsets[i], offsets[i + 1]) of index / weight.
struct AreaTaps {
  std::vector<int> offsets{0};
  std::vector<int> index;
  std::vector<float> weight;

  void add(int src_index, double w) {
    index.push_back(src_index);
    weight.push_back(static_cast<float>(w));
  }
  void end_output() { offsets.push_back(static_cast<int>(index.size())); }
};

// Output pixel i covers source interval [i * scale, (i + 1) * scale); partial pixels at either
// end are weighted by the covered fraction. The 1e-3 thresholds ignore slivers, as OpenCV's
// computeResizeAreaTab does.
AreaTaps area_average_taps(int src_size, int dst_size) {
  const double scale = static_cast<double>(src_size) / dst_size;
  AreaTaps taps;
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

// Rounds half to even like OpenCV's cvRound, or half up where OpenCV computes in integers.
uint8_t saturate_u8(float value, bool round_half_up) {
  const float rounded = round_half_up ? std::floor(value + 0.5f) : std::nearbyint(value);
  return static_cast<uint8_t>(std::clamp(rounded, 0.0f, 255.0f));
}

Image resize_area_average(const Image& src, int width, int height) {
  const AreaTaps x_taps = area_average_taps(src.width, width);
  const AreaTaps y_taps = area_average_taps(src.height, height);
  // An exact 2x shrink is OpenCV's integer fast path, (a + b + c + d + 2) >> 2: ties go up.
  const bool round_half_up = src.width == 2 * width && src.height == 2 * height;

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

// ---- 2-tap filters in OpenCV's 8-bit fixed point ----

constexpr int kCoefBits = 11;  // OpenCV's INTER_RESIZE_COEF_BITS
constexpr float kCoefScale = 1 << kCoefBits;

// Output i blends source index0 and index1 with integer weights summing to ~2048.
struct TwoTaps {
  std::vector<int> index0, index1;
  std::vector<int32_t> weight0, weight1;
};

// Position of output i: s = floor(x), f = x - s, from OpenCV's resizeGeneric set-up.
// `area_mode` selects INTER_AREA's enlarging formula, else INTER_LINEAR's half-pixel centres.
// Columns (clamp_weights) are clamped to the edge with f = 0; rows are not: OpenCV only clips
// the row indices, keeping the weights, which matters for the rounding below.
TwoTaps two_taps(int src_size, int dst_size, bool area_mode, bool clamp_weights) {
  const double inv_scale = static_cast<double>(dst_size) / src_size;
  const double scale = 1.0 / inv_scale;
  TwoTaps taps;
  for (int i = 0; i < dst_size; ++i) {
    int s = 0;
    float f = 0.0f;
    if (area_mode) {
      // Copies source pixel floor(i * scale) unless output pixel i's right edge crosses a
      // source boundary; then f is the fraction past it.
      s = static_cast<int>(std::floor(i * scale));
      f = static_cast<float>((i + 1) - (s + 1) * inv_scale);
      f = f <= 0 ? 0.0f : f - std::floor(f);
    } else {
      f = static_cast<float>((i + 0.5) * scale - 0.5);  // float, as in OpenCV
      s = static_cast<int>(std::floor(f));
      f -= static_cast<float>(s);
    }
    if (clamp_weights) {
      if (s < 0) s = 0, f = 0.0f;
      if (s >= src_size - 1) s = src_size - 1, f = 0.0f;
    }
    taps.index0.push_back(std::clamp(s, 0, src_size - 1));
    taps.index1.push_back(std::clamp(s + 1, 0, src_size - 1));
    // saturate_cast<short>(float) rounds half to even.
    taps.weight0.push_back(static_cast<int32_t>(std::nearbyint((1.0f - f) * kCoefScale)));
    taps.weight1.push_back(static_cast<int32_t>(std::nearbyint(f * kCoefScale)));
  }
  return taps;
}

Image resize_two_tap(const Image& src, int width, int height, bool area_mode) {
  const TwoTaps x_taps = two_taps(src.width, width, area_mode, /*clamp_weights=*/true);
  const TwoTaps y_taps = two_taps(src.height, height, area_mode, /*clamp_weights=*/false);

  // Horizontal pass, exact in integers: values scaled by 2048.
  const size_t row_values = static_cast<size_t>(width) * 3;
  std::vector<int32_t> rows(static_cast<size_t>(src.height) * row_values);
  for (int src_row = 0; src_row < src.height; ++src_row) {
    int32_t* out = rows.data() + static_cast<size_t>(src_row) * row_values;
    for (int col = 0; col < width; ++col) {
      const uint8_t* p0 = src.pixel(src_row, x_taps.index0[col]);
      const uint8_t* p1 = src.pixel(src_row, x_taps.index1[col]);
      for (int c = 0; c < 3; ++c) {
        out[col * 3 + c] = p0[c] * x_taps.weight0[col] + p1[c] * x_taps.weight1[col];
      }
    }
  }

  // Vertical pass as OpenCV's SIMD VResizeLinearVec_32s8u computes it: each row value is
  // shifted down 4 bits to fit int16, multiplied by its 11-bit weight keeping the high 16
  // bits, and the sum rounded by (v + 2) >> 2, for a total scale of 2^22.
  Image dst(width, height);
  for (int row = 0; row < height; ++row) {
    const int32_t* in0 = rows.data() + static_cast<size_t>(y_taps.index0[row]) * row_values;
    const int32_t* in1 = rows.data() + static_cast<size_t>(y_taps.index1[row]) * row_values;
    const int32_t w0 = y_taps.weight0[row];
    const int32_t w1 = y_taps.weight1[row];
    uint8_t* out = dst.pixel(row, 0);
    for (size_t k = 0; k < row_values; ++k) {
      const int32_t v = (((in0[k] >> 4) * w0) >> 16) + (((in1[k] >> 4) * w1) >> 16);
      out[k] = static_cast<uint8_t>(std::clamp((v + 2) >> 2, 0, 255));
    }
  }
  return dst;
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

  const bool shrinking = width <= src.width && height <= src.height;
  // OpenCV turns an exact 2x INTER_LINEAR shrink into INTER_AREA (they coincide there).
  const bool exact_half = src.width == 2 * width && src.height == 2 * height;
  if ((interpolation == Interpolation::kArea && shrinking) || exact_half) {
    return resize_area_average(src, width, height);
  }
  // INTER_AREA enlarging along either axis uses its 2-tap area-mode formula on BOTH axes.
  return resize_two_tap(src, width, height, interpolation == Interpolation::kArea);
}

}  // namespace pixlake
