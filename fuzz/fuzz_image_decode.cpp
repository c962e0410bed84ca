// libFuzzer target: arbitrary bytes as an image file (JPEG, PNG, BMP, GIF), then the model's
// preprocessing when it decodes. Small limits keep each input fast.
#include <cstddef>
#include <cstdint>

#include "image/image.h"
#include "image/preprocess.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pixlake::DecodeLimits limits;
  limits.max_pixels = 4'000'000;
  auto image = pixlake::decode_image_memory(data, size, "fuzz", limits);
  if (image.is_ok()) {
    pixlake::PreprocessSpec spec;
    spec.resize_shorter = 40;
    spec.crop = 32;
    auto tensor = pixlake::preprocess_image(*image, spec);
    (void)tensor;
  }
  return 0;
}
