// libFuzzer target: arbitrary bytes as an image file through the whole decode path (BMP via
// stb_image; JPEG, PNG, WebP, GIF, TIFF, HEIC/AVIF via libvips; everything else refused), then
// the model's preprocessing when it decodes. The first byte picks a shrink-on-load hint so the
// JPEG DCT-scaling path is reached too. Small limits keep each input fast.
#include <cstddef>
#include <cstdint>

#include "image/image.h"
#include "image/preprocess.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pixlake::DecodeLimits limits;
  limits.max_pixels = 4'000'000;
  limits.max_decode_ms = 2000;
  pixlake::DecodeHints hints;
  hints.min_shorter_side = size > 0 && (data[0] & 1) != 0 ? 16 : 0;
  auto decoded = pixlake::decode_image_memory_with_info(data, size, "fuzz", limits, hints);
  if (decoded.is_ok()) {
    pixlake::PreprocessSpec spec;
    spec.resize_shorter = 40;
    spec.crop = 32;
    auto tensor = pixlake::preprocess_image(decoded->image, spec);
    (void)tensor;
  }
  return 0;
}
