// resize_image against cv2.resize (OpenCV 4.6.0, Debian 12, x86-64) on synthetic images and on
// real photos; the expected data are written by make_expected.py.
//
// Measured: bit-exact in every case (the MaxDiff lines the tests print). The tests demand
// exactness because our output is deterministic; an OpenCV built for another CPU (NEON, or a
// scalar tail in the vertical pass) may differ from these files by 1 in places.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "image/resize.h"
#include "image_test_util.h"

namespace pixlake::testing {
namespace {

struct ResizeCase {
  const char* source;  // "37x23"
  int width;
  int height;
};

const ResizeCase kCases[] = {
    {"37x23", 18, 11}, {"37x23", 12, 7},  {"37x23", 5, 3},   {"37x23", 1, 1},   {"37x23", 37, 11},
    {"37x23", 20, 23}, {"37x23", 50, 30}, {"37x23", 41, 29}, {"37x23", 55, 35}, {"37x23", 20, 40},
    {"37x23", 60, 12}, {"37x23", 38, 24}, {"36x24", 18, 12}, {"36x24", 12, 8},  {"36x24", 9, 6},
    {"36x24", 4, 3},   {"36x24", 54, 36}, {"36x24", 45, 30},
};

struct Diff {
  int max = 0;
  int64_t n_off = 0;  // pixels (channel values) that differ at all
};

Diff compare(const Image& got, const Image& want) {
  Diff diff;
  for (size_t i = 0; i < want.rgb.size(); ++i) {
    const int d = std::abs(int{got.rgb[i]} - int{want.rgb[i]});
    diff.max = std::max(diff.max, d);
    diff.n_off += d != 0;
  }
  return diff;
}

void check_against_opencv(Interpolation interpolation, const char* cv_name) {
  int overall_max = 0;
  for (const ResizeCase& c : kCases) {
    const std::string source(c.source);
    const int src_w = std::stoi(source.substr(0, source.find('x')));
    const int src_h = std::stoi(source.substr(source.find('x') + 1));
    const Image src = read_raw_rgb("src_" + source + ".rgb", src_w, src_h);
    const std::string size = std::to_string(c.width) + "x" + std::to_string(c.height);
    const Image want =
        read_raw_rgb(source + "_" + cv_name + "_" + size + ".rgb", c.width, c.height);

    auto got = resize_image(src, c.width, c.height, interpolation);
    ASSERT_TRUE(got.is_ok()) << got.status().message();
    ASSERT_EQ(got->width, c.width);
    ASSERT_EQ(got->height, c.height);
    const Diff diff = compare(*got, want);
    std::cout << "MaxDiff " << cv_name << " " << source << " -> " << size << ": " << diff.max
              << " (" << diff.n_off << " of " << want.rgb.size() << " values differ)\n";
    EXPECT_EQ(diff.max, 0) << source << " -> " << size;
    overall_max = std::max(overall_max, diff.max);
  }
  std::cout << "MaxDiff " << cv_name << " overall: " << overall_max << "\n";
}

TEST(Resize, AreaMatchesOpenCvInterArea) { check_against_opencv(Interpolation::kArea, "area"); }

TEST(Resize, BilinearMatchesOpenCvInterLinear) {
  check_against_opencv(Interpolation::kBilinear, "linear");
}

// Real photos, enlarged and shrunk, compared by CRC-32 of the whole resized image. BMPs only,
// since stb and cv2 decode BMP identically (JPEG decoders differ; see test_preprocess.cpp).
TEST(Resize, PhotosMatchOpenCvExactly) {
  const std::string dir = photos_dir();
  if (dir.empty()) GTEST_SKIP() << "no photos: set PIXLAKE_DATA to the shared data folder";
  std::ifstream list(image_test_data("photo_resize_crc32.txt"));
  std::string photo, interp;
  int width = 0, height = 0;
  uint32_t want = 0;
  int n_cases = 0;
  while (list >> photo >> interp >> width >> height >> want) {
    auto image = decode_image_file(dir + "/" + photo);
    ASSERT_TRUE(image.is_ok()) << image.status().message();
    const Interpolation interpolation =
        interp == "area" ? Interpolation::kArea : Interpolation::kBilinear;
    auto got = resize_image(*image, width, height, interpolation);
    ASSERT_TRUE(got.is_ok()) << got.status().message();
    EXPECT_EQ(crc32(got->rgb.data(), got->rgb.size()), want)
        << photo << " " << interp << " " << width << "x" << height;
    ++n_cases;
  }
  EXPECT_EQ(n_cases, 14);
}

TEST(Resize, AreaAveragesWholeBlocks) {
  // 4x2 -> 2x1: each output is the mean of a 2x2 block.
  Image src(4, 2);
  const uint8_t values[2][4] = {{0, 10, 100, 200}, {20, 30, 0, 100}};
  for (int row = 0; row < 2; ++row)
    for (int col = 0; col < 4; ++col)
      for (int c = 0; c < 3; ++c) src.pixel(row, col)[c] = values[row][col];
  auto got = resize_image(src, 2, 1, Interpolation::kArea);
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(got->pixel(0, 0)[0], 15);
  EXPECT_EQ(got->pixel(0, 1)[2], 100);
}

TEST(Resize, SameSizeIsACopy) {
  const Image src = read_raw_rgb("src_37x23.rgb", 37, 23);
  for (Interpolation interpolation : {Interpolation::kArea, Interpolation::kBilinear}) {
    auto got = resize_image(src, 37, 23, interpolation);
    ASSERT_TRUE(got.is_ok());
    EXPECT_EQ(got->rgb, src.rgb);
  }
}

TEST(Resize, ConstantImageStaysConstant) {
  Image src(7, 5);
  std::fill(src.rgb.begin(), src.rgb.end(), uint8_t{201});
  for (Interpolation interpolation : {Interpolation::kArea, Interpolation::kBilinear}) {
    for (auto [w, h] : {std::pair{3, 2}, std::pair{1, 1}, std::pair{17, 3}, std::pair{30, 31}}) {
      auto got = resize_image(src, w, h, interpolation);
      ASSERT_TRUE(got.is_ok());
      for (uint8_t v : got->rgb) ASSERT_EQ(v, 201) << interpolation_name(interpolation) << w;
    }
  }
}

TEST(Resize, OnePixelSourceFillsTheTarget) {
  Image src(1, 1);
  src.rgb = {9, 99, 199};
  auto got = resize_image(src, 3, 4, Interpolation::kBilinear);
  ASSERT_TRUE(got.is_ok());
  for (int i = 0; i < 12; ++i) EXPECT_EQ(got->rgb[i * 3 + 1], 99);
}

TEST(Resize, RefusesBadSizes) {
  Image src(4, 4);
  EXPECT_EQ(resize_image(src, 0, 4, Interpolation::kArea).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(resize_image(src, 4, -1, Interpolation::kBilinear).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(resize_image(Image(), 4, 4, Interpolation::kArea).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(Resize, FullHdPhotoToShorterSide256IsFast) {
  // A 1920x1080 image to 455x256, the preprocessing resize of a 1080p photo.
  Image src(1920, 1080);
  for (size_t i = 0; i < src.rgb.size(); ++i) src.rgb[i] = static_cast<uint8_t>(i * 7 % 251);
  for (Interpolation interpolation : {Interpolation::kArea, Interpolation::kBilinear}) {
    const auto start = std::chrono::steady_clock::now();
    auto got = resize_image(src, 455, 256, interpolation);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(got.is_ok());
    std::cout << "1920x1080 -> 455x256 " << interpolation_name(interpolation) << ": " << ms
              << " ms\n";
    EXPECT_LT(ms, 250.0);  // typically ~10 ms; generous for shared CI machines and sanitizers
  }
}

}  // namespace
}  // namespace pixlake::testing
