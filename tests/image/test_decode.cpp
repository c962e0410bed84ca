// decode_image_file / decode_image_memory: each format, channel conversions, real photos,
// limits, and hostile inputs (which must give an error, never a crash).
#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>

#include "image/image.h"
#include "image_test_util.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#endif
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace pixlake::testing {
namespace {

// A smooth 8-bit test pattern with `channels` channels (JPEG-friendly, so lossy round trips
// stay close).
std::vector<uint8_t> pattern(int width, int height, int channels) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * channels);
  for (int row = 0; row < height; ++row)
    for (int col = 0; col < width; ++col)
      for (int c = 0; c < channels; ++c)
        pixels[(static_cast<size_t>(row) * width + col) * channels + c] =
            static_cast<uint8_t>((row * 5 + col * 3 + c * 60) % 256);
  return pixels;
}

void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  const auto* bytes = static_cast<const uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

enum class Format { kPng, kBmp, kJpeg };

std::vector<uint8_t> encode(Format format, int width, int height, int channels,
                            const std::vector<uint8_t>& pixels) {
  std::vector<uint8_t> out;
  switch (format) {
    case Format::kPng:
      stbi_write_png_to_func(append_bytes, &out, width, height, channels, pixels.data(),
                             width * channels);
      break;
    case Format::kBmp:
      stbi_write_bmp_to_func(append_bytes, &out, width, height, channels, pixels.data());
      break;
    case Format::kJpeg:
      stbi_write_jpg_to_func(append_bytes, &out, width, height, channels, pixels.data(), 100);
      break;
  }
  return out;
}

Result<Image> decode(const std::vector<uint8_t>& bytes, const DecodeLimits& limits = {}) {
  return decode_image_memory(bytes.data(), bytes.size(), "x.img", limits);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Decode, PngRgbIsLossless) {
  const auto pixels = pattern(17, 3, 3);
  auto image = decode(encode(Format::kPng, 17, 3, 3, pixels));
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(image->width, 17);
  EXPECT_EQ(image->height, 3);
  EXPECT_EQ(image->rgb, pixels);
}

// Found by fuzz_image_decode: a zero-length IDAT chunk before the image data made stb_image
// memcpy() into a null buffer (UB, reported by UBSan in the ASan build). Such chunks are legal
// and carry nothing, so the image must decode exactly as without them.
TEST(Decode, PngWithEmptyIdatChunksDecodesLikeWithout) {
  const auto pixels = pattern(9, 5, 3);
  const std::vector<uint8_t> png = encode(Format::kPng, 9, 5, 3, pixels);
  // Chunks start after the 8-byte signature and the 25-byte IHDR chunk.
  const std::vector<uint8_t> empty_idat = {0, 0, 0, 0, 'I', 'D', 'A', 'T', 0x35, 0xAF, 0x06, 0x1E};
  ASSERT_EQ(std::memcmp(png.data() + 37, "IDAT", 4), 0);
  std::vector<uint8_t> with_empty(png.begin(), png.begin() + 33);
  with_empty.insert(with_empty.end(), empty_idat.begin(), empty_idat.end());
  with_empty.insert(with_empty.end(), png.begin() + 33, png.end() - 12);  // up to IEND
  with_empty.insert(with_empty.end(), empty_idat.begin(), empty_idat.end());
  with_empty.insert(with_empty.end(), png.end() - 12, png.end());
  auto image = decode(with_empty);
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(image->width, 9);
  EXPECT_EQ(image->height, 5);
  EXPECT_EQ(image->rgb, pixels);
  // Only empty chunks: no data to decode, an error rather than a crash.
  std::vector<uint8_t> only_empty(png.begin(), png.begin() + 33);
  only_empty.insert(only_empty.end(), empty_idat.begin(), empty_idat.end());
  only_empty.insert(only_empty.end(), png.end() - 12, png.end());
  EXPECT_EQ(decode(only_empty).status().code(), StatusCode::kDataLoss);
}

TEST(Decode, BmpRgbIsLossless) {
  const auto pixels = pattern(5, 7, 3);
  auto image = decode(encode(Format::kBmp, 5, 7, 3, pixels));
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(image->width, 5);
  EXPECT_EQ(image->height, 7);
  EXPECT_EQ(image->rgb, pixels);  // also checks that BMP's bottom-up rows are flipped
}

TEST(Decode, HandWrittenBmp) {
  // 2x2, 24-bit, bottom-up rows padded to 4 bytes, pixels stored as B, G, R.
  std::vector<uint8_t> bmp = {
      'B', 'M', 70, 0, 0,  0, 0, 0, 0, 0, 54, 0, 0, 0,         // file header
      40,  0,   0,  0, 2,  0, 0, 0, 2, 0, 0,  0, 1, 0, 24, 0,  // info header
      0,   0,   0,  0, 16, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0, 0};
  const std::vector<uint8_t> bottom = {1, 2, 3, 4, 5, 6, 0, 0};     // (3,2,1) (6,5,4)
  const std::vector<uint8_t> top = {10, 20, 30, 40, 50, 60, 0, 0};  // (30,20,10) (60,50,40)
  bmp.insert(bmp.end(), bottom.begin(), bottom.end());
  bmp.insert(bmp.end(), top.begin(), top.end());
  auto image = decode(bmp);
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(image->rgb, (std::vector<uint8_t>{30, 20, 10, 60, 50, 40, 3, 2, 1, 6, 5, 4}));
}

TEST(Decode, JpegIsCloseToTheSource) {
  const auto pixels = pattern(32, 24, 3);
  auto image = decode(encode(Format::kJpeg, 32, 24, 3, pixels));
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  ASSERT_EQ(image->rgb.size(), pixels.size());
  int max_diff = 0;
  for (size_t i = 0; i < pixels.size(); ++i)
    max_diff = std::max(max_diff, std::abs(int{image->rgb[i]} - int{pixels[i]}));
  EXPECT_LE(max_diff, 16);  // quality 100 with 4:2:0-free output; lossy all the same
}

TEST(Decode, GifFirstFrame) {
  // 1x1 GIF89a, two-colour global table (red, green), pixel index 0, no extensions.
  const std::vector<uint8_t> gif = {
      'G',  'I', 'F',  '8',  '9', 'a', 1, 0,    1, 0,
      0x80, 0,   0,    0xFF, 0,   0,   0, 0xFF, 0,     // colour table
      0x2C, 0,   0,    0,    0,   1,   0, 1,    0, 0,  // image descriptor
      2,    2,   0x44, 0x01, 0,                        // LZW: clear, 0, end
      0x3B};
  auto image = decode(gif);
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(image->rgb, (std::vector<uint8_t>{255, 0, 0}));
}

TEST(Decode, GrayscaleIsReplicated) {
  const auto gray = pattern(4, 3, 1);
  for (Format format : {Format::kPng, Format::kBmp}) {
    auto image = decode(encode(format, 4, 3, 1, gray));
    ASSERT_TRUE(image.is_ok()) << image.status().message();
    for (size_t i = 0; i < gray.size(); ++i) {
      EXPECT_EQ(image->rgb[i * 3 + 0], gray[i]);
      EXPECT_EQ(image->rgb[i * 3 + 1], gray[i]);
      EXPECT_EQ(image->rgb[i * 3 + 2], gray[i]);
    }
  }
}

TEST(Decode, AlphaIsDropped) {
  const auto rgba = pattern(3, 5, 4);
  auto image = decode(encode(Format::kPng, 3, 5, 4, rgba));
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  for (size_t i = 0; i < 15; ++i)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(image->rgb[i * 3 + c], rgba[i * 4 + c]);

  const auto gray_alpha = pattern(3, 5, 2);
  image = decode(encode(Format::kPng, 3, 5, 2, gray_alpha));
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  for (size_t i = 0; i < 15; ++i) EXPECT_EQ(image->rgb[i * 3 + 2], gray_alpha[i * 2]);
}

TEST(Decode, FileRoundTrip) {
  const auto pixels = pattern(6, 4, 3);
  const std::string path = ::testing::TempDir() + "pixlake_decode_round_trip.png";
  write_bytes(path, encode(Format::kPng, 6, 4, 3, pixels));
  auto image = decode_image_file(path);
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(image->rgb, pixels);
}

TEST(Decode, MissingFileIsNotFound) {
  auto image = decode_image_file("/nonexistent/dir/x.jpg");
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(contains(image.status().message(), "image '/nonexistent/dir/x.jpg'"))
      << image.status().message();
}

TEST(Decode, DirectoryIsRefused) {
  auto image = decode_image_file(::testing::TempDir());
  ASSERT_FALSE(image.is_ok());
  EXPECT_TRUE(contains(image.status().message(), "directory")) << image.status().message();
}

TEST(Decode, ZeroBytes) {
  const std::string path = ::testing::TempDir() + "pixlake_empty.jpg";
  write_bytes(path, {});
  auto image = decode_image_file(path);
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(contains(image.status().message(), "pixlake_empty.jpg': empty file"))
      << image.status().message();
  EXPECT_FALSE(decode_image_memory(nullptr, 0, "m", {}).is_ok());
}

TEST(Decode, UnknownFormatNamesTheFile) {
  const std::string text = "hello, this is not an image";
  auto image = decode_image_memory(reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                                   "notes.jpg", {});
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(
      image.status().message(),
      "image 'notes.jpg': not a supported image (JPEG, PNG, WebP, GIF, TIFF, HEIC/AVIF, BMP)");
}

TEST(Decode, TruncatedJpeg) {
  std::mt19937 rng(7);
  std::vector<uint8_t> noise(64 * 48 * 3);
  for (auto& v : noise) v = static_cast<uint8_t>(rng());
  const auto jpeg = encode(Format::kJpeg, 64, 48, 3, noise);
  ASSERT_TRUE(decode(jpeg).is_ok());
  for (size_t keep : {jpeg.size() - 2, jpeg.size() / 2, size_t{200}, size_t{20}, size_t{3}}) {
    std::vector<uint8_t> cut(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(keep));
    auto image = decode(cut);
    ASSERT_FALSE(image.is_ok()) << keep;
    EXPECT_EQ(image.status().code(), StatusCode::kDataLoss) << keep;
    EXPECT_TRUE(contains(image.status().message(), "image 'x.img': truncated or corrupt: "))
        << image.status().message();
  }
}

// stb_image 2.27 wrote past its table for a DHT declaring over 256 codes; JPEG now goes through
// libjpeg-turbo (libvips), which must refuse it as well.
TEST(Decode, JpegWithOversizedHuffmanTableIsRefused) {
  auto jpeg = encode(Format::kJpeg, 16, 16, 3, pattern(16, 16, 3));
  size_t dht = 0;
  for (size_t i = 2; i + 1 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC4) {
      dht = i;
      break;
    }
  }
  ASSERT_NE(dht, 0u);
  for (size_t i = dht + 5; i < dht + 21; ++i) jpeg[i] = 0x20;  // 16 counts of 32 = 512 codes
  auto image = decode(jpeg);
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(contains(image.status().message(), "image 'x.img': truncated or corrupt: "))
      << image.status().message();
}

// Phones append data after EOI (motion-photo videos, vendor trailers); the image is complete.
TEST(Decode, JpegWithTrailingDataIsAccepted) {
  const auto pixels = pattern(16, 8, 3);
  auto jpeg = encode(Format::kJpeg, 16, 8, 3, pixels);
  jpeg.insert(jpeg.end(), 100000, 0xAB);
  auto image = decode(jpeg);
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(image->width, 16);
}

TEST(Decode, TruncatedPngAndBmp) {
  const auto pixels = pattern(40, 30, 3);
  for (Format format : {Format::kPng, Format::kBmp}) {
    const auto bytes = encode(format, 40, 30, 3, pixels);
    // PNG: cutting into IEND loses nothing stb needs, so cut the image data itself.
    const size_t last_data_byte = format == Format::kPng ? bytes.size() - 13 : bytes.size() - 1;
    for (size_t keep : {last_data_byte, bytes.size() / 2, size_t{30}, size_t{10}}) {
      std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep));
      auto image = decode(cut);
      ASSERT_FALSE(image.is_ok()) << keep;
      EXPECT_EQ(image.status().code(), StatusCode::kDataLoss) << image.status().message();
    }
  }
}

TEST(Decode, RandomBytesNeverCrash) {
  std::mt19937 rng(42);
  const std::vector<std::vector<uint8_t>> magics = {{},
                                                    {0xFF, 0xD8, 0xFF},
                                                    {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
                                                    {'B', 'M'},
                                                    {'G', 'I', 'F', '8', '9', 'a'}};
  for (const auto& magic : magics) {
    for (size_t size : {1, 7, 64, 1000, 20000}) {
      for (int trial = 0; trial < 20; ++trial) {
        std::vector<uint8_t> bytes(size);
        for (auto& v : bytes) v = static_cast<uint8_t>(rng());
        std::copy(magic.begin(), magic.begin() + std::min(magic.size(), size), bytes.begin());
        auto image = decode(bytes);
        if (image.is_ok()) {  // garbage that happens to parse must still be a valid image
          EXPECT_EQ(image->rgb.size(), size_t(image->width) * image->height * 3);
        } else {
          EXPECT_TRUE(contains(image.status().message(), "image 'x.img': "));
        }
      }
    }
  }
}

// Valid files with random bytes overwritten: deeper into each decoder than pure noise gets.
TEST(Decode, MutatedFilesNeverCrash) {
  const char* env_seed = std::getenv("PIXLAKE_FUZZ_SEED");  // vary for longer sanitizer runs
  std::mt19937 rng(env_seed != nullptr ? static_cast<unsigned>(std::atoi(env_seed)) : 1234u);
  std::vector<uint8_t> noise(48 * 40 * 3);
  for (auto& v : noise) v = static_cast<uint8_t>(rng());
  const std::vector<uint8_t> gif = {'G', 'I',  'F', '8', '9', 'a',  1, 0,    1,    0, 0x80, 0,
                                    0,   0xFF, 0,   0,   0,   0xFF, 0, 0x2C, 0,    0, 0,    0,
                                    1,   0,    1,   0,   0,   2,    2, 0x44, 0x01, 0, 0x3B};
  const std::vector<std::vector<uint8_t>> seeds = {
      encode(Format::kJpeg, 48, 40, 3, noise), encode(Format::kPng, 48, 40, 3, noise),
      encode(Format::kBmp, 48, 40, 3, noise), encode(Format::kPng, 48, 40, 4, pattern(48, 40, 4)),
      gif};
  // PIXLAKE_FUZZ_TRIALS raises the count for a longer run under the sanitizers.
  const char* env_trials = std::getenv("PIXLAKE_FUZZ_TRIALS");
  const int n_trials = env_trials != nullptr ? std::atoi(env_trials) : 300;
  int n_ok = 0;
  for (const auto& seed : seeds) {
    for (int trial = 0; trial < n_trials; ++trial) {
      std::vector<uint8_t> bytes = seed;
      const int n_changes = 1 + static_cast<int>(rng() % 8);
      for (int k = 0; k < n_changes; ++k) bytes[rng() % bytes.size()] = static_cast<uint8_t>(rng());
      auto image = decode(bytes);
      if (image.is_ok()) {
        ++n_ok;
        EXPECT_EQ(image->rgb.size(), size_t(image->width) * image->height * 3);
      }
    }
  }
  std::cout << "mutated files decoded anyway: " << n_ok << " of " << 5 * n_trials << "\n";
}

void put_be32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

// A PNG whose IHDR declares width x height RGB8, followed by a tiny (wrong) IDAT and IEND.
std::vector<uint8_t> png_declaring(uint32_t width, uint32_t height) {
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  auto chunk = [&](const char* type, const std::vector<uint8_t>& data) {
    put_be32(png, static_cast<uint32_t>(data.size()));
    std::vector<uint8_t> body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    png.insert(png.end(), body.begin(), body.end());
    put_be32(png, crc32(body.data(), body.size()));
  };
  std::vector<uint8_t> ihdr;
  put_be32(ihdr, width);
  put_be32(ihdr, height);
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit, RGB, deflate, no filter, no interlace
  chunk("IHDR", ihdr);
  chunk("IDAT", {0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
  chunk("IEND", {});
  return png;
}

TEST(Decode, HugeDeclaredPngIsRefusedBeforeDecoding) {
  auto image = decode(png_declaring(100000, 100000));
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(image.status().message(),
            "image 'x.img': 100000x100000 pixels exceeds the limit of 100000000 pixels");
  // Sides whose product overflows int64. PNG allows sides up to 2^31 - 1, so libpng refuses
  // the header itself as corrupt before our pixel limit is consulted.
  image = decode(png_declaring(0xFFFFFFFFu, 0xFFFFFFFFu));
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kDataLoss) << image.status().message();
}

TEST(Decode, PixelAndByteLimits) {
  const auto png = encode(Format::kPng, 20, 10, 3, pattern(20, 10, 3));
  EXPECT_TRUE(decode(png, {.max_pixels = 200}).is_ok());
  auto image = decode(png, {.max_pixels = 199});
  ASSERT_FALSE(image.is_ok());
  EXPECT_TRUE(contains(image.status().message(), "20x10 pixels exceeds the limit of 199"));

  image = decode(png, {.max_file_bytes = 10});
  ASSERT_FALSE(image.is_ok());
  EXPECT_TRUE(contains(image.status().message(), "exceeds the limit of 10 bytes"));

  const std::string path = ::testing::TempDir() + "pixlake_limits.png";
  write_bytes(path, png);
  image = decode_image_file(path, {.max_file_bytes = 10});
  ASSERT_FALSE(image.is_ok());
  EXPECT_TRUE(contains(image.status().message(), "exceeds the limit of 10 bytes"));
}

TEST(Decode, PngWithBadDataIsCorrupt) {
  auto image = decode(png_declaring(4, 4));
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(contains(image.status().message(), "truncated or corrupt: "))
      << image.status().message();
}

TEST(Decode, RealPhotos) {
  const std::string dir = photos_dir();
  if (dir.empty()) GTEST_SKIP() << "no photos: set PIXLAKE_DATA to the shared data folder";
  struct Expected {
    const char* file;
    int width, height;
  };
  const Expected photos[] = {
      {"bird.bmp", 512, 343},    {"cat_720p.jpg", 1280, 720}, {"cat_1080p.jpg", 1920, 1080},
      {"pets.jpg", 512, 430},    {"owl.jpg", 512, 384},       {"parrot.jpg", 512, 929},
      {"hot_dog.jpg", 512, 384},
  };
  for (const Expected& photo : photos) {
    auto image = decode_image_file(dir + "/" + photo.file);
    ASSERT_TRUE(image.is_ok()) << image.status().message();
    EXPECT_EQ(image->width, photo.width) << photo.file;
    EXPECT_EQ(image->height, photo.height) << photo.file;
    // A real photo uses much of the range and is not grey.
    const auto [lo, hi] = std::minmax_element(image->rgb.begin(), image->rgb.end());
    EXPECT_GT(*hi - *lo, 128) << photo.file;
  }
}

}  // namespace
}  // namespace pixlake::testing
