// The stb_image implementation of decode_image_file / decode_image_memory.
//
// Only the JPEG, PNG, BMP and GIF readers are compiled in, and the format is recognised by its
// magic bytes before stb sees the data: stb's TGA reader has no magic number and would
// otherwise "decode" random bytes as an image.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include "image/image.h"

#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_ONLY_GIF
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

namespace pixlake {
namespace {

enum class ImageFormat { kUnknown, kJpeg, kPng, kBmp, kGif };

ImageFormat sniff_format(const uint8_t* data, size_t size) {
  auto starts_with = [&](std::initializer_list<uint8_t> magic) {
    if (size < magic.size()) return false;
    size_t i = 0;
    for (uint8_t byte : magic) {
      if (data[i++] != byte) return false;
    }
    return true;
  };
  if (starts_with({0xFF, 0xD8, 0xFF})) return ImageFormat::kJpeg;
  if (starts_with({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return ImageFormat::kPng;
  if (starts_with({'B', 'M'})) return ImageFormat::kBmp;
  if (starts_with({'G', 'I', 'F', '8'})) return ImageFormat::kGif;
  return ImageFormat::kUnknown;
}

std::string failure_reason() {
  const char* reason = stbi_failure_reason();
  return reason != nullptr ? reason : "unknown error";
}

uint32_t read_le16(const uint8_t* p) { return p[0] | (p[1] << 8); }
uint32_t read_be16(const uint8_t* p) { return (p[0] << 8) | p[1]; }
uint32_t read_le32(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint32_t read_be32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

// What the header declares, read by us rather than by stb so that the pixel limit is checked
// on the declared size even where stb would refuse first with a vaguer reason.
struct HeaderInfo {
  int64_t width = 0;
  int64_t height = 0;
  int64_t min_file_bytes = 0;  // known only for BMP, whose reader does not notice truncation
  bool jpeg_has_end = false;   // the marker walk reached EOI
};

// Walks the JPEG marker segments: the first SOFn gives the frame size, and every DHT is
// checked, because stb_image 2.27 (Debian 12) writes past its Huffman size table when a DHT
// declares more than 256 codes (fixed upstream in 2.28). Entropy-coded data after SOS is
// skipped up to the next marker. Returns an empty string when the structure is sound.
std::string walk_jpeg(const uint8_t* data, size_t size, HeaderInfo& info) {
  bool have_frame = false;
  size_t pos = 2;  // after SOI
  while (pos + 2 <= size) {
    if (data[pos] != 0xFF) return "expected a JPEG marker";
    const uint8_t marker = data[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length field
      pos += 2;
      continue;
    }
    if (marker == 0xD9) {  // EOI; anything after it (e.g. a motion-photo video) is ignored
      info.jpeg_has_end = true;
      break;
    }
    if (pos + 4 > size) return "truncated marker segment";
    const size_t length = read_be16(data + pos + 2);
    if (length < 2 || pos + 2 + length > size) return "truncated marker segment";
    const uint8_t* segment = data + pos + 4;
    const size_t segment_size = length - 2;

    const bool is_sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (is_sof && !have_frame) {
      if (segment_size < 5) return "truncated frame header";
      info.height = read_be16(segment + 1);
      info.width = read_be16(segment + 3);
      have_frame = true;
    }
    if (marker == 0xC4) {  // DHT: one or more tables of 16 counts + symbols
      size_t p = 0;
      while (p < segment_size) {
        if (p + 17 > segment_size) return "bad DHT header";
        size_t n_codes = 0;
        for (int i = 1; i <= 16; ++i) n_codes += segment[p + i];
        if (n_codes > 256) return "bad DHT header";
        p += 17 + n_codes;
      }
      if (p != segment_size) return "bad DHT header";
    }
    pos += 2 + length;

    if (marker == 0xDA) {  // SOS: skip entropy-coded bytes (FF 00 is data, FF D0-D7 restarts)
      while (pos + 1 < size) {
        const uint8_t next = data[pos + 1];
        if (data[pos] == 0xFF && next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7))
          break;
        ++pos;
      }
      if (pos + 1 >= size) break;  // ran off the end: the EOI check reports truncation
    }
  }
  return have_frame ? std::string() : "no frame header";
}

// Copies a PNG without its zero-length IDAT chunks, or returns false when it has none. They are
// legal (and carry no data), but stb_image 2.27 memcpy()s zero bytes into its still-null IDAT
// buffer when one comes first, which is undefined behaviour (found by fuzz_image_decode).
// Dropping a whole chunk leaves every other chunk's CRC valid. A truncated chunk ends the walk;
// stb reports it.
bool strip_empty_png_idat(const uint8_t* data, size_t size, std::vector<uint8_t>& out) {
  std::vector<std::pair<size_t, size_t>> kept;  // [begin, end) byte ranges to keep
  size_t begin = 0;
  size_t pos = 8;  // after the signature
  bool found = false;
  while (pos + 12 <= size) {
    const size_t length = read_be32(data + pos);
    if (length > size - pos - 12) break;
    const size_t next = pos + 12 + length;
    if (length == 0 && std::memcmp(data + pos + 4, "IDAT", 4) == 0) {
      kept.emplace_back(begin, pos);
      begin = next;
      found = true;
    }
    if (std::memcmp(data + pos + 4, "IEND", 4) == 0) break;
    pos = next;
  }
  if (!found) return false;
  kept.emplace_back(begin, size);
  out.clear();
  for (const auto& [from, to] : kept) out.insert(out.end(), data + from, data + to);
  return true;
}

bool read_header(ImageFormat format, const uint8_t* data, size_t size, HeaderInfo& info,
                 std::string* jpeg_problem) {
  switch (format) {
    case ImageFormat::kJpeg: {
      const std::string problem = walk_jpeg(data, size, info);
      if (!problem.empty()) *jpeg_problem = problem;
      return problem.empty();
    }
    case ImageFormat::kPng:
      // Signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
      if (size < 24 || std::memcmp(data + 12, "IHDR", 4) != 0) return false;
      info.width = read_be32(data + 16);
      info.height = read_be32(data + 20);
      return true;
    case ImageFormat::kGif:
      if (size < 10) return false;
      info.width = read_le16(data + 6);
      info.height = read_le16(data + 8);
      return true;
    case ImageFormat::kBmp: {
      if (size < 26) return false;
      const uint32_t pixel_offset = read_le32(data + 10);
      const uint32_t header_size = read_le32(data + 14);
      int64_t bits_per_pixel = 0;
      uint32_t compression = 0;
      if (header_size == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes
        info.width = read_le16(data + 18);
        info.height = read_le16(data + 20);
        bits_per_pixel = read_le16(data + 24);
      } else {
        if (size < 34) return false;
        info.width = static_cast<int32_t>(read_le32(data + 18));
        info.height = static_cast<int32_t>(read_le32(data + 22));
        if (info.height < 0) info.height = -info.height;  // top-down rows
        bits_per_pixel = read_le16(data + 28);
        compression = read_le32(data + 30);
      }
      // Uncompressed (BI_RGB) or bit-field rows are padded to 4 bytes; stb reads missing
      // rows as zeros, so the size is checked here.
      // (Bounded so the product cannot overflow; larger sizes fail the pixel limit or stb.)
      constexpr int64_t kMaxSide = int64_t{1} << 24;
      if ((compression == 0 || compression == 3) && info.width > 0 && info.width <= kMaxSide &&
          info.height <= kMaxSide && bits_per_pixel > 0 && bits_per_pixel <= 64) {
        const int64_t row_bytes = (info.width * bits_per_pixel + 31) / 32 * 4;
        info.min_file_bytes = int64_t{pixel_offset} + row_bytes * info.height;
      }
      return true;
    }
    case ImageFormat::kUnknown: return false;
  }
  return false;
}

}  // namespace

Result<Image> decode_image_memory(const uint8_t* data, size_t size, const std::string& name,
                                  const DecodeLimits& limits) {
  const std::string what = "image '" + name + "'";
  if (size == 0) return data_loss(what + ": empty file (0 bytes)");
  if (static_cast<uint64_t>(size) > static_cast<uint64_t>(limits.max_file_bytes)) {
    return invalid_argument(what + ": " + std::to_string(size) + " bytes exceeds the limit of " +
                            std::to_string(limits.max_file_bytes) + " bytes");
  }
  if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return invalid_argument(what + ": files over 2 GiB are not supported");
  }
  const ImageFormat format = sniff_format(data, size);
  if (format == ImageFormat::kUnknown) {
    return unsupported(what + ": not a supported image (JPEG, PNG, BMP, GIF)");
  }

  // Dimensions come from the header alone; refuse oversized images before allocating.
  HeaderInfo header;
  std::string problem = "no readable image header";
  if (!read_header(format, data, size, header, &problem)) {
    return data_loss(what + ": truncated or corrupt: " + problem);
  }
  const std::string declared = std::to_string(header.width) + "x" + std::to_string(header.height);
  if (header.width <= 0 || header.height <= 0) {
    return data_loss(what + ": truncated or corrupt: header declares " + declared + " pixels");
  }
  // Divide rather than multiply: PNG sides go up to 2^31 - 1 and the product could overflow.
  if (header.width > limits.max_pixels / header.height) {
    return invalid_argument(what + ": " + declared + " pixels exceeds the limit of " +
                            std::to_string(limits.max_pixels) + " pixels");
  }
  if (static_cast<int64_t>(size) < header.min_file_bytes) {
    return data_loss(what + ": truncated or corrupt: " + std::to_string(size) +
                     " bytes where the header needs " + std::to_string(header.min_file_bytes));
  }
  // stb decodes a JPEG whose entropy-coded data stops early "successfully" (the missing blocks
  // come out grey), so truncation is judged by the marker walk reaching EOI.
  if (format == ImageFormat::kJpeg && !header.jpeg_has_end) {
    return data_loss(what + ": truncated or corrupt: JPEG end marker missing");
  }

  std::vector<uint8_t> stripped;
  if (format == ImageFormat::kPng && strip_empty_png_idat(data, size, stripped)) {
    data = stripped.data();
    size = stripped.size();
  }
  const int length = static_cast<int>(size);
  int channels = 0;
  int decoded_width = 0, decoded_height = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, length, &decoded_width, &decoded_height, &channels, 3),
      stbi_image_free);
  if (pixels == nullptr) return data_loss(what + ": truncated or corrupt: " + failure_reason());
  // The limits were checked on the header's size; the decoder must agree with it.
  if (decoded_width != header.width || decoded_height != header.height) {
    return data_loss(what + ": truncated or corrupt: decoded " + std::to_string(decoded_width) +
                     "x" + std::to_string(decoded_height) + " but the header declares " + declared);
  }

  Image image(decoded_width, decoded_height);
  std::copy(pixels.get(), pixels.get() + image.rgb.size(), image.rgb.begin());
  return image;
}

Result<Image> decode_image_file(const std::string& path, const DecodeLimits& limits) {
  const std::string what = "image '" + path + "'";
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) return not_found(what + ": file not found");
  if (std::filesystem::is_directory(status)) return invalid_argument(what + ": is a directory");
  const auto size = std::filesystem::file_size(path, error);
  if (error) return io_error(what + ": cannot read the size: " + error.message());
  if (size == 0) return data_loss(what + ": empty file (0 bytes)");
  if (size > static_cast<uint64_t>(limits.max_file_bytes)) {
    return invalid_argument(what + ": " + std::to_string(size) + " bytes exceeds the limit of " +
                            std::to_string(limits.max_file_bytes) + " bytes");
  }

  std::ifstream file(path, std::ios::binary);
  if (!file) return io_error(what + ": cannot open the file");
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (file.gcount() != static_cast<std::streamsize>(bytes.size())) {
    return io_error(what + ": short read (" + std::to_string(file.gcount()) + " of " +
                    std::to_string(bytes.size()) + " bytes)");
  }
  return decode_image_memory(bytes.data(), bytes.size(), path, limits);
}

}  // namespace pixlake
