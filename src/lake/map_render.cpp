#include "lake/map_render.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "image/resize.h"
#include "image/text_mask.h"
#include "index/index_util.h"

namespace pixlake {
namespace {

constexpr std::array<uint32_t, 20> kPalette = {
    // Tableau 10, then ten of Kelly's colours of maximum contrast that differ from them.
    0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1,
    0xff9da7, 0x9c755f, 0xbab0ac, 0x875692, 0x008856, 0xbe0032, 0x0067a5,
    0x8db600, 0x882d17, 0xdcd300, 0x2b3d26, 0xe68fac, 0x604e97};
constexpr uint8_t kBackground[3] = {251, 251, 249};
constexpr uint8_t kInk[3] = {60, 60, 64};
constexpr uint8_t kFaintInk[3] = {130, 130, 136};

// Blends `colour` over the pixel with opacity alpha in [0, 1].
void blend(Image& image, int row, int col, const uint8_t colour[3], float alpha) {
  if (row < 0 || col < 0 || row >= image.height || col >= image.width || alpha <= 0) return;
  uint8_t* p = image.pixel(row, col);
  for (int c = 0; c < 3; ++c)
    p[c] = static_cast<uint8_t>(std::lround(p[c] + (colour[c] - p[c]) * std::min(alpha, 1.0f)));
}

// An anti-aliased disc: coverage falls from 1 to 0 across the last pixel of the radius.
void draw_disc(Image& image, float cx, float cy, float radius, const uint8_t colour[3],
               float opacity) {
  const int r0 = static_cast<int>(std::floor(cy - radius - 1)),
            r1 = static_cast<int>(std::ceil(cy + radius + 1));
  const int c0 = static_cast<int>(std::floor(cx - radius - 1)),
            c1 = static_cast<int>(std::ceil(cx + radius + 1));
  for (int row = r0; row <= r1; ++row) {
    for (int col = c0; col <= c1; ++col) {
      const float d = std::hypot(col + 0.5f - cx, row + 0.5f - cy);
      blend(image, row, col, colour, opacity * std::clamp(radius + 0.5f - d, 0.0f, 1.0f));
    }
  }
}

void fill_rect(Image& image, int x, int y, int w, int h, const uint8_t colour[3]) {
  for (int row = std::max(y, 0); row < std::min(y + h, image.height); ++row)
    for (int col = std::max(x, 0); col < std::min(x + w, image.width); ++col)
      std::copy_n(colour, 3, image.pixel(row, col));
}

// Draws text with its top-left corner at (x, y); returns its width (0 when text cannot be
// rendered: a picture without labels is still a map).
int draw_text(Image& image, int x, int y, const std::string& text, int pixels,
              const uint8_t colour[3], bool bold = false, int max_width = 1 << 30) {
  auto mask = render_text(text, pixels, bold);
  if (!mask.is_ok()) return 0;
  const int width = std::min(mask->width, max_width);
  for (int row = 0; row < mask->height; ++row)
    for (int col = 0; col < width; ++col)
      blend(image, y + row, x + col, colour, mask->coverage[row * mask->width + col] / 255.0f);
  return width;
}

// A square thumbnail: the centre square of the image, resized to side x side.
Result<Image> square_thumbnail(const std::string& path, int side) {
  DecodeLimits limits;
  limits.max_pixels = 50'000'000;
  limits.max_decode_ms = 2000;
  DecodeHints hints;
  hints.min_shorter_side = side;
  PIXLAKE_ASSIGN_OR_RETURN(DecodedImage decoded, decode_image_file_with_info(path, limits, hints));
  const Image& full = decoded.image;
  const int crop = std::min(full.width, full.height);
  Image square(crop, crop);
  const int x0 = (full.width - crop) / 2, y0 = (full.height - crop) / 2;
  for (int row = 0; row < crop; ++row)
    std::copy_n(full.pixel(y0 + row, x0), static_cast<size_t>(crop) * 3, square.pixel(row, 0));
  return resize_image(square, side, side, Interpolation::kArea);
}

}  // namespace

void map_group_colour(int index, uint8_t rgb[3]) {
  if (index < 0) {
    rgb[0] = rgb[1] = rgb[2] = 175;
    return;
  }
  if (index < static_cast<int>(kPalette.size())) {
    const uint32_t c = kPalette[index];
    rgb[0] = static_cast<uint8_t>(c >> 16);
    rgb[1] = static_cast<uint8_t>(c >> 8);
    rgb[2] = static_cast<uint8_t>(c);
    return;
  }
  // Past the palette: hues a golden angle apart, so neighbours in the list differ most; the
  // value steps so that similar hues still differ in lightness.
  const float hue = std::fmod(index * 137.508f, 360.0f) / 60.0f;
  const float s = 0.6f, v = 0.62f + 0.12f * static_cast<float>(index % 3);
  const float c = v * s, x = c * (1 - std::abs(std::fmod(hue, 2.0f) - 1)), m = v - c;
  float r = 0, g = 0, b = 0;
  switch (static_cast<int>(hue)) {
    case 0: r = c, g = x; break;
    case 1: r = x, g = c; break;
    case 2: g = c, b = x; break;
    case 3: g = x, b = c; break;
    case 4: r = x, b = c; break;
    default: r = c, b = x; break;
  }
  rgb[0] = static_cast<uint8_t>(std::lround((r + m) * 255));
  rgb[1] = static_cast<uint8_t>(std::lround((g + m) * 255));
  rgb[2] = static_cast<uint8_t>(std::lround((b + m) * 255));
}

Result<Image> render_map(const MapPicture& picture) {
  const int size = picture.size;
  if (size < 256 || size > 16384) {
    return invalid_argument("map: --size must be in [256, 16384], got " + std::to_string(size));
  }
  Image image(size, size);
  for (size_t i = 0; i < image.rgb.size(); i += 3) std::copy_n(kBackground, 3, &image.rgb[i]);

  // Layout of the picture: a title line, the plot (a square), the legend in a right column.
  const int font = std::max(11, size / 90);
  const int margin = size / 32;
  const bool legend = !picture.groups.empty();
  const int legend_width = legend ? size / 5 : 0;
  const int top = margin + font * 2;
  const int plot = std::min(size - 2 * margin - legend_width, size - top - margin);
  const int plot_x = margin + (size - 2 * margin - legend_width - plot) / 2;
  const int plot_y = top;
  draw_text(image, margin, margin, picture.title, font, kInk, true, size - 2 * margin);

  const int64_t n = static_cast<int64_t>(picture.dots.size());
  const float radius =
      std::clamp(0.22f * static_cast<float>(plot) / std::sqrt(std::max<float>(n, 1)), 1.5f,
                 static_cast<float>(size) / 128.0f);
  // Drawn in a fixed shuffled order, so no group is always painted over by the others.
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  uint64_t state = 0x9e3779b97f4a7c15ull;
  for (int64_t i = n - 1; i > 0; --i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    std::swap(order[i], order[(state >> 33) % static_cast<uint64_t>(i + 1)]);
  }
  auto px = [&](float v) { return plot_x + v * static_cast<float>(plot); };
  auto py = [&](float v) { return plot_y + v * static_cast<float>(plot); };
  for (int64_t i : order) {
    const MapDot& dot = picture.dots[i];
    uint8_t colour[3];
    map_group_colour(dot.group, colour);
    draw_disc(image, px(dot.x), py(dot.y), radius, colour, 0.8f);
  }

  if (picture.thumbs && n > 0) {
    // One thumbnail per grid cell: the dot nearest the cell's centre. The cell count bounds
    // the decoding work whatever the lake's size.
    int cells = std::max(4, static_cast<int>(std::sqrt(static_cast<double>(picture.max_thumbs))));
    cells = std::min<int>(cells, std::max(4, plot / 48));  // thumbnails of 44+ pixels
    const float cell = static_cast<float>(plot) / static_cast<float>(cells);
    std::vector<int64_t> chosen(static_cast<size_t>(cells) * cells, -1);
    std::vector<float> best(chosen.size(), INFINITY);
    for (int64_t i = 0; i < n; ++i) {
      const MapDot& dot = picture.dots[i];
      const int cx = std::clamp(static_cast<int>(dot.x * cells), 0, cells - 1);
      const int cy = std::clamp(static_cast<int>(dot.y * cells), 0, cells - 1);
      const float d = std::hypot(dot.x * cells - (cx + 0.5f), dot.y * cells - (cy + 0.5f));
      const size_t slot = static_cast<size_t>(cy) * cells + cx;
      if (d < best[slot]) {
        best[slot] = d;
        chosen[slot] = i;
      }
    }
    const int side = std::max(8, static_cast<int>(cell) - 4);
    std::vector<Image> thumbs(chosen.size());
    parallel_for(static_cast<int64_t>(chosen.size()), picture.threads, [&](int64_t slot) {
      if (chosen[slot] < 0) return;
      auto thumb = square_thumbnail(picture.dots[chosen[slot]].path, side);
      if (thumb.is_ok()) thumbs[slot] = std::move(*thumb);
    });
    for (size_t slot = 0; slot < chosen.size(); ++slot) {
      if (thumbs[slot].empty()) continue;
      const int x = plot_x + static_cast<int>((slot % cells) * cell + (cell - side) / 2);
      const int y = plot_y + static_cast<int>((slot / cells) * cell + (cell - side) / 2);
      uint8_t colour[3];
      map_group_colour(picture.dots[chosen[slot]].group, colour);
      fill_rect(image, x - 2, y - 2, side + 4, side + 4, colour);
      for (int row = 0; row < side; ++row)
        for (int col = 0; col < side; ++col)
          if (y + row < size && x + col < size)
            std::copy_n(thumbs[slot].pixel(row, col), 3, image.pixel(y + row, x + col));
    }
  }

  if (legend) {
    const int x = size - margin - legend_width + font;
    const int row_height = font * 3 / 2;
    const int rows_fit = std::max(1, (size - top - margin) / row_height - 1);
    const int shown =
        std::min<int>(static_cast<int>(picture.groups.size()), std::min(rows_fit, 30));
    int y = top;
    for (int g = 0; g < shown; ++g) {
      uint8_t colour[3];
      map_group_colour(g, colour);
      draw_disc(image, static_cast<float>(x + font / 2), static_cast<float>(y + row_height / 2),
                static_cast<float>(font) * 0.4f, colour, 1.0f);
      const std::string label =
          picture.groups[g].name + "  " + std::to_string(picture.groups[g].count);
      draw_text(image, x + font * 3 / 2, y + (row_height - font) / 2 - font / 8, label, font, kInk,
                false, legend_width - font * 2);
      y += row_height;
    }
    const int64_t rest = static_cast<int64_t>(picture.groups.size()) - shown;
    if (rest > 0) {
      draw_text(image, x, y + (row_height - font) / 2,
                "+ " + std::to_string(rest) + " more group" + (rest == 1 ? "" : "s"), font,
                kFaintInk, false, legend_width - font);
    }
  }
  return image;
}

}  // namespace pixlake
