// The two decoders behind image.h, and what decode.cpp (the front door that checks paths,
// sizes and limits common to both) hands them. Internal to src/image/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "image/image.h"

namespace pixlake::image_detail {

// "image '<name>'", the prefix of every message.
std::string describe(const std::string& name);

// Encoded bytes, either in memory (data, size) or in a file (path) that the decoder reads
// itself. `head` holds the first head_size (<= 16) bytes either way, for sniffing.
struct EncodedInput {
  std::string what;  // describe(name)
  const std::string* path = nullptr;
  const uint8_t* data = nullptr;
  size_t size = 0;  // of the data, or of the file
  uint8_t head[16] = {};
  size_t head_size = 0;
};

// BMP through stb_image (libvips reads BMP only through ImageMagick, which we do not trust).
bool is_bmp(const uint8_t* head, size_t head_size);
// `data` may be just the start of a file of `file_size` bytes.
Result<ImageInfo> probe_bmp(const uint8_t* data, size_t size, uint64_t file_size,
                            const std::string& what, const DecodeLimits& limits);
Result<Image> decode_bmp(const uint8_t* data, size_t size, const std::string& what,
                         const DecodeLimits& limits);

// Everything else through libvips, restricted to an allow-list of its loaders.
Result<ImageInfo> probe_vips(const EncodedInput& input, const DecodeLimits& limits);
Result<DecodedImage> decode_vips(const EncodedInput& input, const DecodeLimits& limits,
                                 const DecodeHints& hints);

}  // namespace pixlake::image_detail
