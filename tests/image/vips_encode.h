// Writes test images with libvips at test time (no binary fixtures in the repository).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "image/vips_runtime.h"

namespace pixlake::testing {

struct VipsEncodeOptions {
  VipsBandFormat format = VIPS_FORMAT_UCHAR;
  VipsInterpretation interpretation = VIPS_INTERPRETATION_sRGB;
  int orientation = 0;                          // 0: no orientation tag
  std::map<std::string, std::string> metadata;  // e.g. {"exif-ifd0-Make", "Canon"}
};

// Encodes interleaved samples (`bands` per pixel, in options.format) with the saver that
// `suffix` names, e.g. ".png", ".jpg[Q=100]", ".webp[lossless]", ".tif", ".avif". Empty (and a
// test failure) when libvips cannot.
inline std::vector<uint8_t> vips_encode(const void* samples, int width, int height, int bands,
                                        const std::string& suffix,
                                        const VipsEncodeOptions& options = {}) {
  using image_detail::VipsRef;
  EXPECT_TRUE(image_detail::ensure_vips_started().is_ok());
  const size_t size =
      static_cast<size_t>(width) * height * bands * vips_format_sizeof(options.format);
  VipsRef<VipsImage> image(
      vips_image_new_from_memory_copy(samples, size, width, height, bands, options.format));
  if (!image) {
    ADD_FAILURE() << image_detail::take_vips_error();
    return {};
  }
  image->Type = options.interpretation;
  if (options.orientation != 0) {
    vips_image_set_int(image.get(), VIPS_META_ORIENTATION, options.orientation);
  }
  for (const auto& [field, value] : options.metadata) {
    vips_image_set_string(image.get(), field.c_str(), value.c_str());
  }
  void* buffer = nullptr;
  size_t length = 0;
  if (vips_image_write_to_buffer(image.get(), suffix.c_str(), &buffer, &length, nullptr) != 0) {
    ADD_FAILURE() << suffix << ": " << image_detail::take_vips_error();
    return {};
  }
  std::vector<uint8_t> bytes(static_cast<uint8_t*>(buffer), static_cast<uint8_t*>(buffer) + length);
  g_free(buffer);
  return bytes;
}

}  // namespace pixlake::testing
