// The stb_image implementation of decode_image_file / decode_image_memory.
//
// Only the JPEG, PNG, BMP and GIF readers are compiled in, and the format is recognised by its
// magic bytes before stb sees the data: stb's TGA reader has no magic number and would
// otherwise "decode" random bytes as an image.
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <system_error>

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

// A JPEG whose entropy-coded data stops early decodes "successfully" in stb (the missing
// blocks come out grey), so truncation is detected separately: a complete JPEG ends with the
// EOI marker FF D9, possibly followed by a few bytes of padding that some writers append.
bool jpeg_has_end_marker(const uint8_t* data, size_t size) {
  constexpr size_t kMaxTrailingBytes = 4096;
  size_t first = size > kMaxTrailingBytes + 2 ? size - kMaxTrailingBytes - 2 : 0;
  for (size_t i = size; i-- > first + 1;) {
    if (data[i - 1] == 0xFF && data[i] == 0xD9) return true;
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
  const int length = static_cast<int>(size);
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(data, length, &width, &height, &channels)) {
    return data_loss(what + ": truncated or corrupt: " + failure_reason());
  }
  const int64_t n_pixels = int64_t{width} * int64_t{height};
  if (width <= 0 || height <= 0) {
    return data_loss(what + ": truncated or corrupt: header declares " + std::to_string(width) +
                     "x" + std::to_string(height) + " pixels");
  }
  if (n_pixels > limits.max_pixels) {
    return invalid_argument(what + ": " + std::to_string(width) + "x" + std::to_string(height) +
                            " pixels exceeds the limit of " + std::to_string(limits.max_pixels) +
                            " pixels");
  }
  if (format == ImageFormat::kJpeg && !jpeg_has_end_marker(data, size)) {
    return data_loss(what + ": truncated or corrupt: JPEG end marker missing");
  }

  int decoded_width = 0, decoded_height = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, length, &decoded_width, &decoded_height, &channels, 3),
      stbi_image_free);
  if (pixels == nullptr) return data_loss(what + ": truncated or corrupt: " + failure_reason());
  // The header was checked above, but the decoder has the final word on the size.
  if (int64_t{decoded_width} * decoded_height > limits.max_pixels || decoded_width <= 0 ||
      decoded_height <= 0) {
    return data_loss(what + ": truncated or corrupt: decoded size differs from the header");
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
