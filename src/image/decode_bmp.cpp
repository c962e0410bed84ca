// BMP through stb_image, the one format libvips cannot read without ImageMagick (which we do not
// let near untrusted files). Only stb's BMP reader is compiled in.
#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>

#include "image/decoders.h"

#define STBI_ONLY_BMP
#define STBI_NO_STDIO  // all reads go through our own file code, which names the file in errors
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#endif
#include <stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace pixlake::image_detail {
namespace {

uint32_t read_le16(const uint8_t* p) { return p[0] | (p[1] << 8); }
uint32_t read_le32(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// What the header declares, read by us rather than by stb so that the pixel limit is checked
// on the declared size even where stb would refuse first with a vaguer reason.
struct BmpHeader {
  int64_t width = 0;
  int64_t height = 0;
  int64_t min_file_bytes = 0;  // stb reads missing rows as zeros, so truncation is ours to see
};

bool read_bmp_header(const uint8_t* data, size_t size, BmpHeader& header) {
  if (size < 26) return false;
  const uint32_t pixel_offset = read_le32(data + 10);
  const uint32_t header_size = read_le32(data + 14);
  int64_t bits_per_pixel = 0;
  uint32_t compression = 0;
  if (header_size == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes
    header.width = read_le16(data + 18);
    header.height = read_le16(data + 20);
    bits_per_pixel = read_le16(data + 24);
  } else {
    if (size < 34) return false;
    header.width = static_cast<int32_t>(read_le32(data + 18));
    header.height = static_cast<int32_t>(read_le32(data + 22));
    if (header.height < 0) header.height = -header.height;  // top-down rows
    bits_per_pixel = read_le16(data + 28);
    compression = read_le32(data + 30);
  }
  // Uncompressed (BI_RGB) or bit-field rows are padded to 4 bytes. (Bounded so the product
  // cannot overflow; larger sizes fail the pixel limit or stb.)
  constexpr int64_t kMaxSide = int64_t{1} << 24;
  if ((compression == 0 || compression == 3) && header.width > 0 && header.width <= kMaxSide &&
      header.height <= kMaxSide && bits_per_pixel > 0 && bits_per_pixel <= 64) {
    const int64_t row_bytes = (header.width * bits_per_pixel + 31) / 32 * 4;
    header.min_file_bytes = int64_t{pixel_offset} + row_bytes * header.height;
  }
  return true;
}

// The header, checked against the limits and the file size.
// `file_size` may exceed `size` when only the start of the file is at hand.
Result<BmpHeader> checked_header(const uint8_t* data, size_t size, uint64_t file_size,
                                 const std::string& what, const DecodeLimits& limits) {
  BmpHeader header;
  if (!read_bmp_header(data, size, header)) {
    return data_loss(what + ": truncated or corrupt: no readable BMP header");
  }
  const std::string declared = std::to_string(header.width) + "x" + std::to_string(header.height);
  if (header.width <= 0 || header.height <= 0) {
    return data_loss(what + ": truncated or corrupt: header declares " + declared + " pixels");
  }
  if (header.width > limits.max_pixels / header.height) {
    return invalid_argument(what + ": " + declared + " pixels exceeds the limit of " +
                            std::to_string(limits.max_pixels) + " pixels");
  }
  if (file_size < static_cast<uint64_t>(header.min_file_bytes)) {
    return data_loss(what + ": truncated or corrupt: " + std::to_string(file_size) +
                     " bytes where the header needs " + std::to_string(header.min_file_bytes));
  }
  return header;
}

}  // namespace

bool is_bmp(const uint8_t* head, size_t head_size) {
  return head_size >= 2 && head[0] == 'B' && head[1] == 'M';
}

Result<ImageInfo> probe_bmp(const uint8_t* data, size_t size, uint64_t file_size,
                            const std::string& what, const DecodeLimits& limits) {
  PIXLAKE_ASSIGN_OR_RETURN(BmpHeader header, checked_header(data, size, file_size, what, limits));
  ImageInfo info;
  info.format = "bmp";
  info.width = static_cast<int>(header.width);
  info.height = static_cast<int>(header.height);
  return info;
}

Result<Image> decode_bmp(const uint8_t* data, size_t size, const std::string& what,
                         const DecodeLimits& limits) {
  if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return invalid_argument(what + ": BMP files over 2 GiB are not supported");
  }
  PIXLAKE_ASSIGN_OR_RETURN(BmpHeader header, checked_header(data, size, size, what, limits));

  int channels = 0;
  int decoded_width = 0, decoded_height = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, static_cast<int>(size), &decoded_width, &decoded_height,
                            &channels, 3),
      stbi_image_free);
  if (pixels == nullptr) {
    const char* reason = stbi_failure_reason();
    return data_loss(what + ": truncated or corrupt: " + (reason != nullptr ? reason : "BMP"));
  }
  // The limits were checked on the header's size; the decoder must agree with it.
  if (decoded_width != header.width || decoded_height != header.height) {
    return data_loss(what + ": truncated or corrupt: decoded " + std::to_string(decoded_width) +
                     "x" + std::to_string(decoded_height) + " but the header declares " +
                     std::to_string(header.width) + "x" + std::to_string(header.height));
  }
  Image image(decoded_width, decoded_height);
  std::copy(pixels.get(), pixels.get() + image.rgb.size(), image.rgb.begin());
  return image;
}

}  // namespace pixlake::image_detail
