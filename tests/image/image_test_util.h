// Helpers shared by the image tests: reading committed reference data and the shared photos.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "image/image.h"

namespace pixlake::testing {

inline std::string image_test_data(const std::string& file) {
  return std::string(PIXLAKE_SOURCE_DIR) + "/tests/image/data/" + file;
}

// $PIXLAKE_DATA/photos, else the compile-time default; empty when neither exists.
inline std::string photos_dir() {
  const char* env = std::getenv("PIXLAKE_DATA");
  std::string root = env != nullptr && *env != '\0' ? env : PIXLAKE_DEFAULT_DATA;
  std::string dir = root + "/photos";
  return std::filesystem::is_directory(dir) ? dir : std::string();
}

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

inline void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

// zlib's CRC-32 (as Python's zlib.crc32 and PNG use).
inline uint32_t crc32(const uint8_t* data, size_t size) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// A raw interleaved RGB8 file of known size, as written by make_expected.py.
inline Image read_raw_rgb(const std::string& file, int width, int height) {
  Image image(width, height);
  std::vector<uint8_t> bytes = read_bytes(image_test_data(file));
  EXPECT_EQ(bytes.size(), image.rgb.size()) << file;
  if (bytes.size() == image.rgb.size()) image.rgb = std::move(bytes);
  return image;
}

}  // namespace pixlake::testing
