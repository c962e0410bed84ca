// Image: a decoded picture as interleaved 8-bit RGB, and the decoders that produce it.
//
// The decoders behind these functions are an implementation detail (libvips for JPEG, PNG,
// WebP, GIF, TIFF and HEIC/AVIF in decode_vips.cpp; stb_image for BMP in decode_bmp.cpp):
// callers only see Image, ImageInfo, DecodeLimits, DecodeHints and Result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
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

// Refusals that protect a process decoding files it did not make. The byte and pixel limits
// are checked before any pixel memory is allocated, so a hostile header (a PNG declaring
// 100000x100000) costs nothing.
struct DecodeLimits {
  int64_t max_pixels = 100'000'000;             // width * height, from the header
  int64_t max_file_bytes = int64_t{512} << 20;  // 512 MiB of encoded data, from stat()
  // Wall-clock limit on one decode; 0 = none. Checked between strips of decoded rows (see
  // docs/image_pipeline.md), so one slow library call can overrun it. DeadlineExceeded.
  int64_t max_decode_ms = 0;
};

// What a file says about itself, read from its header (no pixels decoded).
struct ImageInfo {
  std::string format;  // "jpeg", "png", "webp", "gif", "tiff", "heif" (HEIC and AVIF), "bmp"
  int width = 0;       // full size, after the orientation is applied
  int height = 0;
  std::string camera;             // EXIF Make + " " + Model, trimmed; empty when absent
  std::optional<int64_t> taken;   // EXIF DateTimeOriginal as unix seconds, read as UTC
  std::optional<double> gps_lat;  // signed decimal degrees (south negative)
  std::optional<double> gps_lon;  // signed decimal degrees (west negative)
  int orientation = 1;            // EXIF orientation 1..8 of the stored pixels
};

struct DecodeHints {
  // When > 0, a JPEG may be decoded at 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling, much
  // faster) as long as its shorter side stays >= 2 * min_shorter_side, so that a later area
  // resize to min_shorter_side still averages at least 2x2 source pixels per output pixel.
  int min_shorter_side = 0;
};

struct DecodedImage {
  Image image;     // oriented; smaller than info.width x info.height by `shrink`
  ImageInfo info;  // of the full-size file
  int shrink = 1;  // 1, 2, 4 or 8: the shrink-on-load factor that was used
};

// Decodes JPEG, PNG, WebP, GIF (first frame), TIFF (first page), HEIC/AVIF (when libvips's heif
// module is installed) or BMP into RGB8, with the EXIF orientation applied. Grayscale is
// replicated to three channels, CMYK is converted to sRGB, 16-bit samples are reduced to 8 bits
// and alpha is dropped (not composited), as PIL's convert('RGB') does. Other formats libvips
// knows (SVG, PDF, ...) are refused. Errors name the file: NotFound for a missing path,
// Unsupported for an unknown or refused format, DataLoss for empty/truncated/corrupt data,
// InvalidArgument for images over the limits or a directory, DeadlineExceeded for a decode
// over max_decode_ms.
Result<Image> decode_image_file(const std::string& path, const DecodeLimits& limits = {});

// As decode_image_file, for bytes already in memory; `name` is used only in messages.
Result<Image> decode_image_memory(const uint8_t* data, size_t size, const std::string& name,
                                  const DecodeLimits& limits = {});

// The header only: format, oriented size, camera, time and place. Cheap: no pixel is decoded.
// Applies max_file_bytes and max_pixels as a decode would.
Result<ImageInfo> probe_image_file(const std::string& path, const DecodeLimits& limits = {});

// decode_image_file plus the ImageInfo, with optional shrink-on-load.
Result<DecodedImage> decode_image_file_with_info(const std::string& path,
                                                 const DecodeLimits& limits = {},
                                                 const DecodeHints& hints = {});
Result<DecodedImage> decode_image_memory_with_info(const uint8_t* data, size_t size,
                                                   const std::string& name,
                                                   const DecodeLimits& limits = {},
                                                   const DecodeHints& hints = {});

}  // namespace pixlake
