#include "curate/local_features.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_data.h"

namespace pixlake {
namespace {

using testing::data_path;

TEST(LocalFeatures, GrayMatchesBt601Weights) {
  Image image(3, 1);
  const uint8_t colours[3][3] = {{255, 0, 0}, {0, 255, 0}, {10, 200, 30}};
  for (int col = 0; col < 3; ++col) {
    for (int c = 0; c < 3; ++c) image.pixel(0, col)[c] = colours[col][c];
  }
  std::vector<uint8_t> gray = rgb_to_gray(image);
  ASSERT_EQ(gray.size(), 3u);
  EXPECT_EQ(gray[0], 76);   // 0.299 * 255
  EXPECT_EQ(gray[1], 150);  // 0.587 * 255
  EXPECT_EQ(gray[2], 124);  // 0.299*10 + 0.587*200 + 0.114*30 = 123.8
}

TEST(LocalFeatures, RootSiftOnAPhotoIsCappedAndUnitLength) {
  PIXLAKE_REQUIRE_DATA("photos/owl.jpg");
  auto image = decode_image_file(data_path("photos/owl.jpg"));
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  LocalFeatureOptions options;
  options.max_side = 100;
  options.grid_step = 5;
  auto descriptors = extract_rootsift(*image, options, "owl.jpg");
  ASSERT_TRUE(descriptors.is_ok()) << descriptors.status().message();
  const size_t count = descriptors->size() / kRootSiftDim;
  EXPECT_EQ(descriptors->size() % kRootSiftDim, 0u);
  // The grid of the image shrunk to a 100-pixel long side: points 4, 9, ..., <= side - 4.
  const double scale = 100.0 / std::max(image->width, image->height);
  const int width = static_cast<int>(std::lround(image->width * scale));
  const int height = static_cast<int>(std::lround(image->height * scale));
  EXPECT_EQ(count, static_cast<size_t>(((width - 8) / 5 + 1) * ((height - 8) / 5 + 1)));
  int flat = 0;
  for (size_t row = 0; row < count; ++row) {
    double norm = 0;
    for (int d = 0; d < kRootSiftDim; ++d) {
      const float v = (*descriptors)[row * kRootSiftDim + static_cast<size_t>(d)];
      ASSERT_GE(v, 0.0f);  // square roots of a histogram
      norm += static_cast<double>(v) * v;
    }
    ASSERT_NEAR(norm, 1.0, 1e-4) << "row " << row;
    flat += std::fabs((*descriptors)[row * kRootSiftDim] - 1.0f / std::sqrt(128.0f)) < 1e-6f &&
            std::fabs((*descriptors)[row * kRootSiftDim + 77] - 1.0f / std::sqrt(128.0f)) < 1e-6f;
  }
  EXPECT_LT(flat, static_cast<int>(count) / 2) << "an owl photo is not flat";
}

TEST(LocalFeatures, FlatPatchesGetTheUniformDescriptor) {
  Image blank(20, 12);  // a 4 x 2 grid of 8-pixel patches every 4 pixels
  auto descriptors = extract_rootsift(blank, LocalFeatureOptions{});
  ASSERT_TRUE(descriptors.is_ok()) << descriptors.status().message();
  ASSERT_EQ(descriptors->size(), 8u * kRootSiftDim);
  for (float v : *descriptors) ASSERT_NEAR(v, 1.0f / std::sqrt(128.0f), 1e-6f);
}

TEST(LocalFeatures, ImageSmallerThanAPatchHasNoDescriptors) {
  auto descriptors = extract_rootsift(Image(5, 40), LocalFeatureOptions{});
  ASSERT_TRUE(descriptors.is_ok()) << descriptors.status().message();
  EXPECT_TRUE(descriptors->empty());
}

TEST(LocalFeatures, RejectsEmptyImagesAndBadOptions) {
  EXPECT_FALSE(extract_rootsift(Image(), LocalFeatureOptions{}).is_ok());
  LocalFeatureOptions bad;
  bad.grid_step = 0;
  EXPECT_FALSE(extract_rootsift(Image(32, 32), bad).is_ok());
}

}  // namespace
}  // namespace pixlake
