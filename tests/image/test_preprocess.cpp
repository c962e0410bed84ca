// preprocess_image / preprocess_batch: sizes, crop position, normalisation, channel order,
// and a full real-photo pipeline against cv2 (reference written by make_expected.py).
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "image/preprocess.h"
#include "image_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Preprocess, ShorterSideSizeRoundsHalfUp) {
  EXPECT_EQ(shorter_side_size(300, 200, 256).width, 384);
  EXPECT_EQ(shorter_side_size(300, 200, 256).height, 256);
  EXPECT_EQ(shorter_side_size(200, 300, 256).width, 256);
  EXPECT_EQ(shorter_side_size(200, 300, 256).height, 384);
  EXPECT_EQ(shorter_side_size(1920, 1080, 256).width, 455);  // 455.1
  EXPECT_EQ(shorter_side_size(512, 343, 256).width, 382);    // 382.1
  EXPECT_EQ(shorter_side_size(512, 929, 256).height, 465);   // 464.5 -> 465
  EXPECT_EQ(shorter_side_size(3, 2, 3).width, 5);            // 4.5 -> 5
  EXPECT_EQ(shorter_side_size(77, 77, 256).width, 256);
  EXPECT_EQ(shorter_side_size(1, 100000, 1).height, 100000);
}

TEST(Preprocess, ConstantImageNormalises) {
  Image image(300, 200);
  for (size_t i = 0; i < image.rgb.size(); i += 3) {
    image.rgb[i] = 10;
    image.rgb[i + 1] = 128;
    image.rgb[i + 2] = 250;
  }
  const PreprocessSpec spec;  // ImageNet defaults, RGB
  auto tensor = preprocess_image(image, spec);
  ASSERT_TRUE(tensor.is_ok()) << tensor.status().message();
  EXPECT_EQ(tensor->shape(), (Shape{3, 224, 224}));
  const float* x = tensor->data<float>();
  const float rgb[3] = {10, 128, 250};
  for (int c = 0; c < 3; ++c) {
    const float want = (rgb[c] * spec.scale - spec.mean[c]) / spec.stddev[c];
    EXPECT_FLOAT_EQ(x[c * 224 * 224], want);
    EXPECT_FLOAT_EQ(x[c * 224 * 224 + 224 * 224 - 1], want);
  }
}

// 6x4 image whose pixel (row, col) is (10 * row + col, 100 + ..., 200 + ...), so that the
// crop position and channel order can be read off the output.
Image numbered_image() {
  Image image(6, 4);
  for (int row = 0; row < 4; ++row)
    for (int col = 0; col < 6; ++col)
      for (int c = 0; c < 3; ++c) image.pixel(row, col)[c] = uint8_t(100 * c + 10 * row + col);
  return image;
}

TEST(Preprocess, CentreCropOffsetIsFloored) {
  // No resize (shorter side already 4); crop 2 from 6x4: left = 2, top = 1.
  // A 3-wide crop: left = floor(3 / 2) = 1, top = floor(1 / 2) = 0.
  PreprocessSpec spec{
      .resize_shorter = 4, .crop = 2, .scale = 1, .mean = {0, 0, 0}, .stddev = {1, 1, 1}};
  auto tensor = preprocess_image(numbered_image(), spec);
  ASSERT_TRUE(tensor.is_ok()) << tensor.status().message();
  EXPECT_EQ(tensor->to_floats(),
            (std::vector<float>{12, 13, 22, 23, 112, 113, 122, 123, 212, 213, 222, 223}));

  spec.crop = 3;
  tensor = preprocess_image(numbered_image(), spec);
  ASSERT_TRUE(tensor.is_ok()) << tensor.status().message();
  EXPECT_EQ(tensor->data<float>()[0], 1);
}

TEST(Preprocess, BgrOrderAndPerChannelMeanStd) {
  PreprocessSpec spec{.resize_shorter = 4,
                      .crop = 2,
                      .channel_order = ChannelOrder::kBGR,
                      .scale = 1,
                      .mean = {200, 100, 0},
                      .stddev = {1, 2, 4}};
  auto tensor = preprocess_image(numbered_image(), spec);
  ASSERT_TRUE(tensor.is_ok()) << tensor.status().message();
  // Channel 0 is blue (212 - 200) / 1, channel 1 green (112 - 100) / 2, channel 2 red 12 / 4.
  const float* x = tensor->data<float>();
  EXPECT_FLOAT_EQ(x[0], 12);
  EXPECT_FLOAT_EQ(x[4], 6);
  EXPECT_FLOAT_EQ(x[8], 3);
}

TEST(Preprocess, RefusesBadSpecs) {
  const Image image(8, 8);
  auto expect_refused = [&](PreprocessSpec spec, const std::string& part) {
    auto tensor = preprocess_image(image, spec);
    ASSERT_FALSE(tensor.is_ok()) << part;
    EXPECT_EQ(tensor.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(tensor.status().message().find(part), std::string::npos) << tensor.status().message();
  };
  expect_refused({.crop = 0}, "crop");
  expect_refused({.resize_shorter = 100, .crop = 224}, "resize_shorter (100) must be at least");
  expect_refused({.stddev = {1, 0, 1}}, "stddev");
  expect_refused({.mean = {NAN, 0, 0}}, "mean");
  EXPECT_FALSE(preprocess_image(Image(), PreprocessSpec{}).is_ok());
}

TEST(Preprocess, BatchMatchesSingleImages) {
  std::vector<Image> images = {Image(300, 200), Image(64, 100), Image(17, 3)};
  for (size_t n = 0; n < images.size(); ++n)
    for (size_t i = 0; i < images[n].rgb.size(); ++i)
      images[n].rgb[i] = static_cast<uint8_t>((i * (n + 3)) % 253);
  const PreprocessSpec spec{.resize_shorter = 40, .crop = 32};
  auto batch = preprocess_batch(images, spec);
  ASSERT_TRUE(batch.is_ok()) << batch.status().message();
  EXPECT_EQ(batch->shape(), (Shape{3, 3, 32, 32}));
  for (size_t n = 0; n < images.size(); ++n) {
    auto single = preprocess_image(images[n], spec);
    ASSERT_TRUE(single.is_ok());
    const float* b = batch->data<float>() + n * 3 * 32 * 32;
    for (int64_t i = 0; i < single->numel(); ++i) ASSERT_EQ(b[i], single->data<float>()[i]);
  }

  images.push_back(Image());
  auto bad = preprocess_batch(images, spec);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("batch image 3"), std::string::npos);
}

std::map<std::string, double> read_stats(const std::string& file) {
  std::map<std::string, double> stats;
  std::ifstream in(image_test_data(file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string key;
    double value = 0;
    fields >> key >> value;
    stats[key] = value;
  }
  return stats;
}

// Full pipeline on a real photo against cv2 (imread -> RGB -> shorter side 256 INTER_AREA ->
// centre crop 224 -> ImageNet normalise). The reference holds every 8th row and column of the
// tensor plus per-channel means. Returns the max abs difference on the sampled values.
void compare_photo_with_cv2(const std::string& file, const std::string& stem, double max_tol,
                            double mean_tol) {
  const std::string dir = photos_dir();
  if (dir.empty()) GTEST_SKIP() << "no photos: set PIXLAKE_DATA to the shared data folder";
  auto image = decode_image_file(dir + "/" + file);
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  auto tensor = preprocess_image(*image, PreprocessSpec{});
  ASSERT_TRUE(tensor.is_ok()) << tensor.status().message();
  const float* x = tensor->data<float>();

  const std::vector<uint8_t> bytes = read_bytes(image_test_data("photo_" + stem + ".f32"));
  ASSERT_EQ(bytes.size(), size_t{3 * 28 * 28 * 4});
  std::vector<float> want(3 * 28 * 28);
  std::memcpy(want.data(), bytes.data(), bytes.size());
  double max_diff = 0;
  for (int c = 0; c < 3; ++c)
    for (int row = 0; row < 28; ++row)
      for (int col = 0; col < 28; ++col) {
        const float got = x[(c * 224 + row * 8) * 224 + col * 8];
        max_diff = std::max(max_diff, std::fabs(double{got} - want[(c * 28 + row) * 28 + col]));
      }

  const auto stats = read_stats("photo_" + stem + ".txt");
  double max_mean_diff = 0;
  for (int c = 0; c < 3; ++c) {
    double sum = 0;
    for (int i = 0; i < 224 * 224; ++i) sum += x[c * 224 * 224 + i];
    const double mean = sum / (224 * 224);
    max_mean_diff = std::max(max_mean_diff, std::fabs(mean - stats.at("mean" + std::to_string(c))));
  }
  std::cout << file << " vs cv2: max abs diff " << max_diff << " (sampled), channel mean diff "
            << max_mean_diff << "\n";
  EXPECT_LE(max_diff, max_tol);
  EXPECT_LE(max_mean_diff, mean_tol);
}

// BMP decoding is exact in both and shrinking by area averaging matches OpenCV exactly, so the
// tensors agree to float rounding. Measured (full tensor, cv2 4.6.0): max abs diff 0 for
// bird.bmp. The tolerance allows one grey level (1 / 255 / 0.224 = 0.0175), the contract.
TEST(Preprocess, BmpPhotoMatchesCv2Pipeline) {
  compare_photo_with_cv2("bird.bmp", "bird", 0.018, 0.001);
}

// JPEGs are decoded by libjpeg-turbo through libvips, the library (and settings: islow IDCT,
// fancy upsampling) behind cv2.imread, so the decoded pixels are identical and so are the
// tensors. Measured (full tensor): max abs diff 0. (With stb_image, the previous decoder, it
// was 2 levels.) Same one-level contract as the BMP.
TEST(Preprocess, JpegPhotoMatchesCv2Pipeline) {
  compare_photo_with_cv2("cat_720p.jpg", "cat_720p", 0.018, 0.001);
}

}  // namespace
}  // namespace pixlake::testing
