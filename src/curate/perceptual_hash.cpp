#include "curate/perceptual_hash.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace pixlake {
namespace {

// Weights of source pixels [0, src) falling in output cell `cell` of `cells` equal parts:
// first pixel, and the covered fraction of each pixel from there.
struct Span {
  int first = 0;
  std::vector<float> weights;
};

std::vector<Span> area_spans(int src, int cells) {
  std::vector<Span> spans(static_cast<size_t>(cells));
  const double scale = static_cast<double>(src) / cells;
  for (int cell = 0; cell < cells; ++cell) {
    const double begin = cell * scale;
    const double end = (cell + 1) * scale;
    Span& span = spans[static_cast<size_t>(cell)];
    span.first = static_cast<int>(std::floor(begin));
    const int last = std::min(src - 1, static_cast<int>(std::ceil(end)) - 1);
    for (int p = span.first; p <= last; ++p) {
      const double covered = std::min(end, p + 1.0) - std::max(begin, static_cast<double>(p));
      span.weights.push_back(static_cast<float>(std::max(0.0, covered) / scale));
    }
  }
  return spans;
}

// DCT-II basis for n = 32 samples, the first 8 frequencies: basis[u][x].
const std::array<std::array<float, 32>, 8>& dct_basis() {
  static const auto basis = [] {
    std::array<std::array<float, 32>, 8> b{};
    for (int u = 0; u < 8; ++u) {
      for (int x = 0; x < 32; ++x) {
        b[u][x] = static_cast<float>(std::cos(std::numbers::pi * (2 * x + 1) * u / 64.0));
      }
    }
    return b;
  }();
  return basis;
}

std::vector<float> mirrored_grid(const std::vector<float>& grid, int width, int height) {
  std::vector<float> out(grid.size());
  for (int row = 0; row < height; ++row) {
    for (int col = 0; col < width; ++col) {
      out[static_cast<size_t>(row * width + col)] =
          grid[static_cast<size_t>(row * width + (width - 1 - col))];
    }
  }
  return out;
}

// The image without `fraction` of its width and height on each side.
Image centre_crop(const Image& image, double fraction) {
  const int dx = static_cast<int>(image.width * fraction + 0.5);
  const int dy = static_cast<int>(image.height * fraction + 0.5);
  if (image.width - 2 * dx < 1 || image.height - 2 * dy < 1) return image;
  Image out(image.width - 2 * dx, image.height - 2 * dy);
  for (int row = 0; row < out.height; ++row) {
    std::copy_n(image.pixel(row + dy, dx), static_cast<size_t>(out.width) * 3, out.pixel(row, 0));
  }
  return out;
}

}  // namespace

std::vector<float> grey_thumbnail(const Image& image, int width, int height) {
  std::vector<float> out(static_cast<size_t>(width) * static_cast<size_t>(height), 0.0f);
  if (image.empty()) return out;
  const auto col_spans = area_spans(image.width, width);
  const auto row_spans = area_spans(image.height, height);
  // Rows first: each output row band collapses to one line of grey values, then columns.
  std::vector<float> line(static_cast<size_t>(image.width));
  for (int cell_row = 0; cell_row < height; ++cell_row) {
    std::fill(line.begin(), line.end(), 0.0f);
    const Span& rs = row_spans[static_cast<size_t>(cell_row)];
    for (size_t i = 0; i < rs.weights.size(); ++i) {
      const int row = rs.first + static_cast<int>(i);
      for (int col = 0; col < image.width; ++col) {
        const uint8_t* p = image.pixel(row, col);
        const float grey = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
        line[static_cast<size_t>(col)] += rs.weights[i] * grey;
      }
    }
    for (int cell_col = 0; cell_col < width; ++cell_col) {
      const Span& cs = col_spans[static_cast<size_t>(cell_col)];
      float sum = 0;
      for (size_t i = 0; i < cs.weights.size(); ++i) {
        sum += cs.weights[i] * line[static_cast<size_t>(cs.first) + i];
      }
      out[static_cast<size_t>(cell_row * width + cell_col)] = sum;
    }
  }
  return out;
}

uint64_t ahash_of(const std::vector<float>& grey8x8) {
  double mean = 0;
  for (float v : grey8x8) mean += v;
  mean /= 64.0;
  uint64_t bits = 0;
  for (int i = 0; i < 64; ++i) {
    if (grey8x8[static_cast<size_t>(i)] > mean) bits |= uint64_t{1} << i;
  }
  return bits;
}

uint64_t dhash_of(const std::vector<float>& grey9x8) {
  uint64_t bits = 0;
  for (int row = 0; row < 8; ++row) {
    for (int col = 0; col < 8; ++col) {
      const float left = grey9x8[static_cast<size_t>(row * 9 + col)];
      const float right = grey9x8[static_cast<size_t>(row * 9 + col + 1)];
      if (left > right) bits |= uint64_t{1} << (row * 8 + col);
    }
  }
  return bits;
}

uint64_t phash_of(const std::vector<float>& grey32x32) {
  const auto& basis = dct_basis();
  // Separable DCT: columns of each row to 8 frequencies, then rows.
  std::array<std::array<float, 8>, 32> rows_dct{};
  for (int y = 0; y < 32; ++y) {
    for (int u = 0; u < 8; ++u) {
      float sum = 0;
      for (int x = 0; x < 32; ++x) sum += basis[u][x] * grey32x32[static_cast<size_t>(y * 32 + x)];
      rows_dct[y][u] = sum;
    }
  }
  std::array<float, 64> coeffs{};
  for (int v = 0; v < 8; ++v) {
    for (int u = 0; u < 8; ++u) {
      float sum = 0;
      for (int y = 0; y < 32; ++y) sum += basis[v][y] * rows_dct[y][u];
      coeffs[v * 8 + u] = sum;
    }
  }
  // The DC term is the overall brightness, far larger than the rest: it would pull the median.
  std::array<float, 63> ac{};
  std::copy(coeffs.begin() + 1, coeffs.end(), ac.begin());
  std::nth_element(ac.begin(), ac.begin() + 31, ac.end());
  const float median = ac[31];
  uint64_t bits = 0;
  for (int i = 0; i < 64; ++i) {
    if (coeffs[static_cast<size_t>(i)] > median) bits |= uint64_t{1} << i;
  }
  return bits;
}

PerceptualHashes perceptual_hashes(const Image& image) {
  PerceptualHashes h;
  h.ahash = ahash_of(grey_thumbnail(image, 8, 8));
  h.dhash = dhash_of(grey_thumbnail(image, 9, 8));
  const std::vector<float> grey32 = grey_thumbnail(image, 32, 32);
  h.phash = phash_of(grey32);
  h.phash_mirror = phash_of(mirrored_grid(grey32, 32, 32));
  h.phash_centre = phash_of(grey_thumbnail(centre_crop(image, 0.05), 32, 32));
  return h;
}

}  // namespace pixlake
