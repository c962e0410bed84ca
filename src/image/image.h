// Image: a decoded picture as interleaved 8-bit RGB, and the decoders that produce it.
//
// The decoder behind these functions is an implementation detail (stb_image today, in
// decode_stb.cpp; libvips later): callers only see Image, DecodeLimits and Result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

// Interleaved RGB8, row-major, no padding: pixel (row, col) channel c is
// rgb[(row * width + col) * 3 + c].
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;

  Image() = default;
  // Allocates a zero-filled (black) image.
  Image(int width_in, int height_in)
      : width(width_in),
        height(height_in),
        rgb(static_cast<size_t>(width_in) * static_cast<size_t>(height_in) * 3) {}

  bool empty() const { return width <= 0 || height <= 0; }
  uint8_t* pixel(int row, int col) {
    return rgb.data() + (static_cast<size_t>(row) * static_cast<size_t>(width) + col) * 3;
  }
  const uint8_t* pixel(int row, int col) const {
    return rgb.data() + (static_cast<size_t>(row) * static_cast<size_t>(width) + col) * 3;
  }
};

// Refusals made before any pixel memory is allocated, so a hostile header (a PNG declaring
// 100000x100000) costs nothing.
struct DecodeLimits {
  int64_t max_pixels = 100'000'000;             // width * height
  int64_t max_file_bytes = int64_t{512} << 20;  // 512 MiB of encoded data
};

// Decodes JPEG, PNG, BMP or GIF (first frame) into RGB8. Grayscale is replicated to three
// channels and alpha is dropped (not composited). EXIF orientation is NOT applied.
// Errors name the file: NotFound for a missing path, Unsupported for an unknown format,
// DataLoss for empty/truncated/corrupt data, InvalidArgument for images over the limits.
Result<Image> decode_image_file(const std::string& path, const DecodeLimits& limits = {});

// As decode_image_file, for bytes already in memory; `name` is used only in messages.
Result<Image> decode_image_memory(const uint8_t* data, size_t size, const std::string& name,
                                  const DecodeLimits& limits = {});

}  // namespace pixlake
