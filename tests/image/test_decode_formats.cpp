// The libvips formats (files written by libvips at test time): pixels of each format, colour
// conversions, EXIF orientation and metadata, shrink-on-load, refused formats and limits.
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>

#include "image/image.h"
#include "image_test_util.h"
#include "vips_encode.h"

namespace pixlake::testing {
namespace {

// A smooth pattern (lossy codecs keep it close) of `bands` 8-bit samples.
std::vector<uint8_t> smooth(int width, int height, int bands) {
  std::vector<uint8_t> samples(static_cast<size_t>(width) * height * bands);
  for (int row = 0; row < height; ++row)
    for (int col = 0; col < width; ++col)
      for (int b = 0; b < bands; ++b)
        samples[(static_cast<size_t>(row) * width + col) * bands + b] =
            static_cast<uint8_t>(40 + row * 3 + col * 2 + b * 50);
  return samples;
}

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "pixlake_" + name; }

Result<DecodedImage> decode(const std::vector<uint8_t>& bytes, const DecodeLimits& limits = {},
                            const DecodeHints& hints = {}) {
  return decode_image_memory_with_info(bytes.data(), bytes.size(), "t.img", limits, hints);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

double mean_abs_diff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  EXPECT_EQ(a.size(), b.size());
  double sum = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) sum += std::abs(int{a[i]} - int{b[i]});
  return a.empty() ? 0 : sum / static_cast<double>(a.size());
}

TEST(DecodeFormats, LosslessFormatsAreExact) {
  const auto rgb = smooth(19, 7, 3);
  for (const char* suffix : {".png", ".webp[lossless]", ".tif", ".tif[compression=lzw]"}) {
    auto decoded = decode(vips_encode(rgb.data(), 19, 7, 3, suffix));
    ASSERT_TRUE(decoded.is_ok()) << suffix << ": " << decoded.status().message();
    EXPECT_EQ(decoded->image.width, 19) << suffix;
    EXPECT_EQ(decoded->image.height, 7) << suffix;
    EXPECT_EQ(decoded->image.rgb, rgb) << suffix;
    EXPECT_EQ(decoded->shrink, 1);
  }
  auto png = decode(vips_encode(rgb.data(), 19, 7, 3, ".png"));
  ASSERT_TRUE(png.is_ok());
  EXPECT_EQ(png->info.format, "png");
}

TEST(DecodeFormats, FormatNames) {
  const auto rgb = smooth(16, 16, 3);
  const std::pair<const char*, const char*> cases[] = {
      {".jpg", "jpeg"}, {".png", "png"},   {".webp", "webp"}, {".gif", "gif"},
      {".tif", "tiff"}, {".heic", "heif"}, {".avif", "heif"}};
  for (const auto& [suffix, format] : cases) {
    const std::string path = temp_path(std::string("format") + suffix);
    write_bytes(path, vips_encode(rgb.data(), 16, 16, 3, suffix));
    auto info = probe_image_file(path);
    ASSERT_TRUE(info.is_ok()) << suffix << ": " << info.status().message();
    EXPECT_EQ(info->format, format);
    EXPECT_EQ(info->width, 16);
    EXPECT_EQ(info->height, 16);
  }
}

TEST(DecodeFormats, LossyFormatsAreClose) {
  const auto rgb = smooth(48, 32, 3);
  for (const char* suffix : {".jpg[Q=95]", ".webp[Q=95]", ".heic[Q=90]", ".avif[Q=90]"}) {
    auto decoded = decode(vips_encode(rgb.data(), 48, 32, 3, suffix));
    ASSERT_TRUE(decoded.is_ok()) << suffix << ": " << decoded.status().message();
    ASSERT_EQ(decoded->image.width, 48) << suffix;
    ASSERT_EQ(decoded->image.height, 32) << suffix;
    // 4:2:0 chroma on a steep colour ramp; a swapped or misread channel gives tens of levels.
    EXPECT_LT(mean_abs_diff(decoded->image.rgb, rgb), 6.0) << suffix;
  }
}

// A palette GIF of four flat colours: exact, first frame of an animation only.
TEST(DecodeFormats, GifFirstFrameOfAnAnimation) {
  const std::array<std::array<uint8_t, 3>, 4> colours = {
      {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}}};
  const int width = 8, page_height = 6, n_pages = 2;
  std::vector<uint8_t> rgb;
  for (int page = 0; page < n_pages; ++page)
    for (int row = 0; row < page_height; ++row)
      for (int col = 0; col < width; ++col) {
        const auto& colour = colours[(col / 4 + row / 3 * 2 + page) % 4];
        rgb.insert(rgb.end(), colour.begin(), colour.end());
      }
  auto bytes = [&] {
    image_detail::VipsRef<VipsImage> image(vips_image_new_from_memory_copy(
        rgb.data(), rgb.size(), width, page_height * n_pages, 3, VIPS_FORMAT_UCHAR));
    vips_image_set_int(image.get(), VIPS_META_PAGE_HEIGHT, page_height);
    void* buffer = nullptr;
    size_t length = 0;
    EXPECT_EQ(
        vips_image_write_to_buffer(image.get(), ".gif", &buffer, &length, "dither", 0.0, nullptr),
        0)
        << image_detail::take_vips_error();
    std::vector<uint8_t> out(static_cast<uint8_t*>(buffer), static_cast<uint8_t*>(buffer) + length);
    g_free(buffer);
    return out;
  }();
  auto decoded = decode(bytes);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(decoded->info.format, "gif");
  ASSERT_EQ(decoded->image.width, width);
  ASSERT_EQ(decoded->image.height, page_height);
  const std::vector<uint8_t> first(rgb.begin(), rgb.begin() + width * page_height * 3);
  EXPECT_EQ(decoded->image.rgb, first);
}

TEST(DecodeFormats, GrayscaleIsReplicated) {
  const auto gray = smooth(9, 5, 1);
  for (const char* suffix : {".png", ".jpg[Q=100]", ".tif"}) {
    VipsEncodeOptions options{.interpretation = VIPS_INTERPRETATION_B_W};
    auto decoded = decode(vips_encode(gray.data(), 9, 5, 1, suffix, options));
    ASSERT_TRUE(decoded.is_ok()) << suffix << ": " << decoded.status().message();
    ASSERT_EQ(decoded->image.rgb.size(), gray.size() * 3);
    for (size_t i = 0; i < gray.size(); ++i) {
      EXPECT_NEAR(decoded->image.rgb[i * 3], gray[i], 2) << suffix;  // JPEG: lossy
      EXPECT_EQ(decoded->image.rgb[i * 3 + 1], decoded->image.rgb[i * 3]) << suffix;
      EXPECT_EQ(decoded->image.rgb[i * 3 + 2], decoded->image.rgb[i * 3]) << suffix;
    }
  }
}

// 16-bit samples keep their high byte (v >> 8), grey and RGB.
TEST(DecodeFormats, SixteenBitPngKeepsTheHighByte) {
  const std::vector<uint16_t> rgb16 = {0x1234, 0x5678, 0xFF80, 0x0080, 0x00FF, 0x8000,
                                       0xFFFF, 0x0000, 0x7FFF, 0xABCD, 0x0100, 0x01FF};
  auto decoded = decode(
      vips_encode(rgb16.data(), 2, 2, 3, ".png",
                  {.format = VIPS_FORMAT_USHORT, .interpretation = VIPS_INTERPRETATION_RGB16}));
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  std::vector<uint8_t> want;
  for (uint16_t v : rgb16) want.push_back(static_cast<uint8_t>(v >> 8));
  EXPECT_EQ(decoded->image.rgb, want);

  const std::vector<uint16_t> gray16 = {0x1234, 0xFF80, 0x00FF, 0x8000};
  decoded = decode(
      vips_encode(gray16.data(), 4, 1, 1, ".png",
                  {.format = VIPS_FORMAT_USHORT, .interpretation = VIPS_INTERPRETATION_GREY16}));
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(decoded->image.rgb, (std::vector<uint8_t>{0x12, 0x12, 0x12, 0xFF, 0xFF, 0xFF, 0x00,
                                                      0x00, 0x00, 0x80, 0x80, 0x80}));
}

// Alpha is dropped, as PIL's convert('RGB') does: transparent pixels keep their stored colour.
TEST(DecodeFormats, AlphaIsDropped) {
  auto rgba = smooth(5, 3, 4);
  rgba[3] = 0;  // first pixel fully transparent
  for (const char* suffix : {".png", ".webp[lossless]", ".tif"}) {
    auto decoded = decode(vips_encode(rgba.data(), 5, 3, 4, suffix));
    ASSERT_TRUE(decoded.is_ok()) << suffix << ": " << decoded.status().message();
    ASSERT_EQ(decoded->image.rgb.size(), size_t{15 * 3});
    // libwebp's encoder itself zeroes the colour under fully transparent pixels.
    const size_t first = std::string(suffix).find("webp") != std::string::npos ? 1 : 0;
    for (size_t i = first; i < 15; ++i)
      for (int c = 0; c < 3; ++c)
        EXPECT_EQ(decoded->image.rgb[i * 3 + c], rgba[i * 4 + c]) << suffix << " " << i;
  }
  const auto gray_alpha = smooth(5, 3, 2);
  auto decoded = decode(
      vips_encode(gray_alpha.data(), 5, 3, 2, ".png", {.interpretation = VIPS_INTERPRETATION_B_W}));
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  for (size_t i = 0; i < 15; ++i)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(decoded->image.rgb[i * 3 + c], gray_alpha[i * 2]);
}

// CMYK JPEG (as Photoshop writes them) becomes sRGB: if the four bands were read as RGBA,
// no ink would come out black rather than white.
TEST(DecodeFormats, CmykJpegIsConvertedToSrgb) {
  const std::array<std::array<uint8_t, 4>, 4> inks = {{
      {0, 0, 0, 0},      // paper: white
      {0, 0, 0, 255},    // black ink
      {255, 0, 0, 0},    // cyan
      {0, 255, 255, 0},  // magenta + yellow: red
  }};
  const int block = 16;
  std::vector<uint8_t> cmyk;
  for (int row = 0; row < block; ++row)
    for (const auto& ink : inks)
      for (int col = 0; col < block; ++col) cmyk.insert(cmyk.end(), ink.begin(), ink.end());
  auto decoded = decode(vips_encode(cmyk.data(), block * 4, block, 4, ".jpg[Q=100]",
                                    {.interpretation = VIPS_INTERPRETATION_CMYK}));
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  ASSERT_EQ(decoded->image.width, block * 4);
  auto centre = [&](int index) {
    return decoded->image.pixel(block / 2, index * block + block / 2);
  };
  for (int c = 0; c < 3; ++c) EXPECT_GT(centre(0)[c], 240) << "white " << c;
  for (int c = 0; c < 3; ++c) EXPECT_LT(centre(1)[c], 70) << "black " << c;
  EXPECT_LT(centre(2)[0], 80);  // cyan: little red, much green and blue
  EXPECT_GT(centre(2)[1], 100);
  EXPECT_GT(centre(2)[2], 150);
  EXPECT_GT(centre(3)[0], 180);  // red: much red, little green and blue
  EXPECT_LT(centre(3)[1], 80);
  EXPECT_LT(centre(3)[2], 80);
}

// Where displayed pixel (row, col) of an upright picture comes from in the stored w x h
// pixels, for each EXIF orientation (TIFF/EXIF 2.3 definitions, written out independently).
std::pair<int, int> stored_position(int orientation, int row, int col, int w, int h) {
  switch (orientation) {
    case 2: return {row, w - 1 - col};
    case 3: return {h - 1 - row, w - 1 - col};
    case 4: return {h - 1 - row, col};
    case 5: return {col, row};
    case 6: return {h - 1 - col, row};
    case 7: return {h - 1 - col, w - 1 - row};
    case 8: return {col, w - 1 - row};
    default: return {row, col};
  }
}

TEST(DecodeFormats, ExifOrientationIsApplied) {
  // Lossless TIFF with 3x2 distinct pixels: exact.
  const int w = 3, h = 2;
  std::vector<uint8_t> stored;
  for (int i = 0; i < w * h; ++i) stored.insert(stored.end(), {uint8_t(10 * i), 7, uint8_t(i)});
  // JPEG (the usual carrier of the tag) with 8x8 flat blocks in a 4x2 grid: block centres.
  const int bw = 4, bh = 2, block = 8;
  std::vector<uint8_t> blocks;
  for (int row = 0; row < bh * block; ++row)
    for (int col = 0; col < bw * block; ++col) {
      const int index = row / block * bw + col / block;
      blocks.insert(blocks.end(), {uint8_t(index * 30), uint8_t(255 - index * 30), 128});
    }
  for (int orientation = 1; orientation <= 8; ++orientation) {
    SCOPED_TRACE("orientation " + std::to_string(orientation));
    const bool swap = orientation >= 5;
    auto tiff = decode(vips_encode(stored.data(), w, h, 3, ".tif", {.orientation = orientation}));
    ASSERT_TRUE(tiff.is_ok()) << tiff.status().message();
    EXPECT_EQ(tiff->info.orientation, orientation);
    ASSERT_EQ(tiff->image.width, swap ? h : w);
    ASSERT_EQ(tiff->image.height, swap ? w : h);
    EXPECT_EQ(tiff->info.width, tiff->image.width);
    EXPECT_EQ(tiff->info.height, tiff->image.height);
    for (int row = 0; row < tiff->image.height; ++row)
      for (int col = 0; col < tiff->image.width; ++col) {
        const auto [srow, scol] = stored_position(orientation, row, col, w, h);
        for (int c = 0; c < 3; ++c)
          EXPECT_EQ(tiff->image.pixel(row, col)[c], stored[(srow * w + scol) * 3 + c]);
      }

    auto jpeg = decode(vips_encode(blocks.data(), bw * block, bh * block, 3, ".jpg[Q=100]",
                                   {.orientation = orientation}));
    ASSERT_TRUE(jpeg.is_ok()) << jpeg.status().message();
    EXPECT_EQ(jpeg->info.orientation, orientation);
    const int out_bw = swap ? bh : bw, out_bh = swap ? bw : bh;
    ASSERT_EQ(jpeg->image.width, out_bw * block);
    ASSERT_EQ(jpeg->image.height, out_bh * block);
    for (int brow = 0; brow < out_bh; ++brow)
      for (int bcol = 0; bcol < out_bw; ++bcol) {
        const auto [srow, scol] = stored_position(orientation, brow, bcol, bw, bh);
        const int index = srow * bw + scol;
        const uint8_t* p = jpeg->image.pixel(brow * block + block / 2, bcol * block + block / 2);
        EXPECT_NEAR(p[0], index * 30, 6) << brow << "," << bcol;
        EXPECT_NEAR(p[1], 255 - index * 30, 6) << brow << "," << bcol;
      }
  }
}

TEST(DecodeFormats, ExifMetadataIsReported) {
  const auto rgb = smooth(12, 8, 3);
  VipsEncodeOptions options;
  options.orientation = 6;
  options.metadata = {
      {"exif-ifd0-Make", "Canon "},
      {"exif-ifd0-Model", "EOS 5D"},
      {"exif-ifd2-DateTimeOriginal", "2019:05:04 12:34:56"},
      {"exif-ifd3-GPSLatitude", "51/1 30/1 1234/100"},
      {"exif-ifd3-GPSLatitudeRef", "S"},
      {"exif-ifd3-GPSLongitude", "122/1 25/1 0/1"},
      {"exif-ifd3-GPSLongitudeRef", "W"},
  };
  for (const char* suffix : {".jpg", ".webp"}) {
    const std::string path = temp_path(std::string("exif") + suffix);
    write_bytes(path, vips_encode(rgb.data(), 12, 8, 3, suffix, options));
    auto info = probe_image_file(path);
    ASSERT_TRUE(info.is_ok()) << suffix << ": " << info.status().message();
    EXPECT_EQ(info->camera, "Canon EOS 5D") << suffix;
    EXPECT_EQ(info->taken, 1556973296) << suffix;
    ASSERT_TRUE(info->gps_lat.has_value()) << suffix;
    ASSERT_TRUE(info->gps_lon.has_value()) << suffix;
    EXPECT_NEAR(*info->gps_lat, -(51 + 30 / 60.0 + 12.34 / 3600.0), 1e-9);
    EXPECT_NEAR(*info->gps_lon, -(122 + 25 / 60.0), 1e-9);
    EXPECT_EQ(info->orientation, 6);
    EXPECT_EQ(info->width, 8);  // turned upright
    EXPECT_EQ(info->height, 12);

    auto decoded = decode_image_file_with_info(path);
    ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
    EXPECT_EQ(decoded->info.camera, info->camera);
    EXPECT_EQ(decoded->info.taken, info->taken);
    EXPECT_EQ(decoded->image.width, 8);
  }
  const std::string plain = temp_path("plain.png");
  write_bytes(plain, vips_encode(rgb.data(), 12, 8, 3, ".png"));
  auto info = probe_image_file(plain);
  ASSERT_TRUE(info.is_ok()) << info.status().message();
  EXPECT_EQ(info->camera, "");
  EXPECT_EQ(info->taken, std::nullopt);
  EXPECT_EQ(info->gps_lat, std::nullopt);
  EXPECT_EQ(info->orientation, 1);
}

TEST(DecodeFormats, ShrinkOnLoadKeepsTwiceTheTarget) {
  const int w = 800, h = 600;
  const auto rgb = smooth(w, h, 3);
  const auto jpeg = vips_encode(rgb.data(), w, h, 3, ".jpg");
  struct Case {
    int min_shorter_side, shrink, width, height;
  };
  for (const Case& c : {Case{0, 1, 800, 600}, Case{64, 4, 200, 150}, Case{37, 8, 100, 75},
                        Case{150, 2, 400, 300}, Case{151, 1, 800, 600}, Case{1000, 1, 800, 600}}) {
    auto decoded = decode(jpeg, {}, {.min_shorter_side = c.min_shorter_side});
    ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
    EXPECT_EQ(decoded->shrink, c.shrink) << c.min_shorter_side;
    EXPECT_EQ(decoded->image.width, c.width) << c.min_shorter_side;
    EXPECT_EQ(decoded->image.height, c.height) << c.min_shorter_side;
    EXPECT_EQ(decoded->info.width, w);  // the file's own size
  }
  // A shrunk decode is the picture at a smaller scale, not something else.
  auto full = decode(jpeg);
  auto half = decode(jpeg, {}, {.min_shorter_side = 150});
  ASSERT_TRUE(full.is_ok() && half.is_ok());
  const uint8_t* a = full->image.pixel(400, 600);
  const uint8_t* b = half->image.pixel(200, 300);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(a[c], b[c], 6);
  // Other formats decode at full size.
  auto png = decode(vips_encode(rgb.data(), w, h, 3, ".png"), {}, {.min_shorter_side = 64});
  ASSERT_TRUE(png.is_ok());
  EXPECT_EQ(png->shrink, 1);
  EXPECT_EQ(png->image.width, w);
}

TEST(DecodeFormats, OtherVipsFormatsAreRefused) {
  const std::string svg =
      "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
      "height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";
  const std::string pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF";
  const std::string ppm = std::string("P6\n2 1\n255\n") + std::string(6, '\x80');
  const std::string csv = "1,2,3\n4,5,6\n";
  for (const auto& [name, text] : {std::pair<std::string, std::string>{"a.svg", svg},
                                   {"a.pdf", pdf},
                                   {"a.ppm", ppm},
                                   {"a.csv", csv}}) {
    const std::string path = temp_path(name);
    write_bytes(path, std::vector<uint8_t>(text.begin(), text.end()));
    for (bool probe : {false, true}) {
      const Status status =
          probe ? probe_image_file(path).status() : decode_image_file(path).status();
      EXPECT_EQ(status.code(), StatusCode::kUnsupported) << name << ": " << status.message();
      EXPECT_TRUE(contains(status.message(), "image '" + path + "': ")) << status.message();
    }
  }
  // libvips's own format, which it would otherwise trust completely.
  const std::string vips_file = temp_path("a.v");
  const auto rgb = smooth(4, 4, 3);
  image_detail::VipsRef<VipsImage> image(
      vips_image_new_from_memory_copy(rgb.data(), rgb.size(), 4, 4, 3, VIPS_FORMAT_UCHAR));
  ASSERT_EQ(vips_image_write_to_file(image.get(), vips_file.c_str(), nullptr), 0);
  auto refused = decode_image_file(vips_file);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnsupported) << refused.status().message();
  EXPECT_TRUE(contains(refused.status().message(), "refused")) << refused.status().message();
}

TEST(DecodeFormats, BadPathsAndEmptyFiles) {
  const std::string text = temp_path("notes.txt");
  write_bytes(text, {'h', 'e', 'l', 'l', 'o'});
  auto image = decode_image_file(text);
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(image.status().message(),
            "image '" + text +
                "': not a supported image (JPEG, PNG, WebP, GIF, TIFF, HEIC/AVIF, "
                "BMP)");

  const std::string empty = temp_path("empty.png");
  write_bytes(empty, {});
  EXPECT_EQ(probe_image_file(empty).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(probe_image_file(::testing::TempDir()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(probe_image_file("/nonexistent/x.jpg").status().code(), StatusCode::kNotFound);
  auto device = decode_image_file("/dev/zero");
  ASSERT_FALSE(device.is_ok());
  EXPECT_EQ(device.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(device.status().message(), "not a regular file"));
}

TEST(DecodeFormats, TruncatedFilesNameTheFile) {
  const auto rgb = smooth(64, 48, 3);
  for (const char* suffix : {".jpg", ".png", ".webp", ".tif", ".gif", ".heic"}) {
    auto bytes = vips_encode(rgb.data(), 64, 48, 3, suffix);
    bytes.resize(bytes.size() * 2 / 3);
    const std::string path = temp_path(std::string("cut") + suffix);
    write_bytes(path, bytes);
    auto image = decode_image_file(path);
    ASSERT_FALSE(image.is_ok()) << suffix;
    EXPECT_EQ(image.status().code(), StatusCode::kDataLoss) << image.status().message();
    EXPECT_TRUE(contains(image.status().message(), "image '" + path + "': truncated or corrupt: "))
        << image.status().message();
  }
}

TEST(DecodeFormats, PixelLimitIsCheckedOnTheHeader) {
  const auto rgb = smooth(20, 10, 3);
  for (const char* suffix : {".jpg", ".webp", ".tif", ".gif", ".avif"}) {
    const auto bytes = vips_encode(rgb.data(), 20, 10, 3, suffix);
    EXPECT_TRUE(decode(bytes, {.max_pixels = 200}).is_ok()) << suffix;
    auto image = decode(bytes, {.max_pixels = 199});
    ASSERT_FALSE(image.is_ok()) << suffix;
    EXPECT_EQ(image.status().message(),
              "image 't.img': 20x10 pixels exceeds the limit of 199 pixels");
    const std::string path = temp_path(std::string("limit") + suffix);
    write_bytes(path, bytes);
    EXPECT_EQ(probe_image_file(path, {.max_pixels = 199}).status().code(),
              StatusCode::kInvalidArgument);
  }
}

// No timing assertion: a 4000x3000 decode takes far longer than 1 ms on any machine, and the
// test checks only that the limit is enforced with its own error.
TEST(DecodeFormats, DecodeDeadline) {
  std::vector<uint8_t> noise(4000 * 3000 * 3);
  std::mt19937 rng(5);
  for (size_t i = 0; i < noise.size(); i += 97) noise[i] = static_cast<uint8_t>(rng());
  const auto jpeg = vips_encode(noise.data(), 4000, 3000, 3, ".jpg[Q=90]");
  auto image = decode(jpeg, {.max_decode_ms = 1});
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(image.status().message(), "image 't.img': decoding took longer than the limit of 1 ms");
  EXPECT_TRUE(decode(jpeg, {.max_decode_ms = 600'000}).is_ok());
}

// Valid files of the libvips formats with random bytes overwritten: an error or a valid image,
// never a crash (run it under ASan: PIXLAKE_FUZZ_TRIALS raises the count).
TEST(DecodeFormats, MutatedFilesNeverCrash) {
  const char* env_trials = std::getenv("PIXLAKE_FUZZ_TRIALS");
  const int n_trials = env_trials != nullptr ? std::atoi(env_trials) : 60;
  std::mt19937 rng(99);
  const auto rgb = smooth(40, 30, 3);
  for (const char* suffix : {".jpg", ".png", ".webp", ".webp[lossless]", ".tif", ".gif", ".heic"}) {
    const auto seed = vips_encode(rgb.data(), 40, 30, 3, suffix);
    ASSERT_FALSE(seed.empty());
    for (int trial = 0; trial < n_trials; ++trial) {
      std::vector<uint8_t> bytes = seed;
      const int n_changes = 1 + static_cast<int>(rng() % 8);
      for (int k = 0; k < n_changes; ++k) bytes[rng() % bytes.size()] = static_cast<uint8_t>(rng());
      auto image = decode(bytes, {.max_pixels = 4'000'000});
      if (image.is_ok()) {
        EXPECT_EQ(image->image.rgb.size(), size_t(image->image.width) * image->image.height * 3);
      } else {
        EXPECT_TRUE(contains(image.status().message(), "image 't.img': ")) << suffix;
      }
    }
  }
}

}  // namespace
}  // namespace pixlake::testing
