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
  options.max_keypoints = 200;
  options.max_side = 320;
  auto descriptors = extract_rootsift(*image, options, "owl.jpg");
  ASSERT_TRUE(descriptors.is_ok()) << descriptors.status().message();
  const size_t count = descriptors->size() / kRootSiftDim;
  EXPECT_EQ(descriptors->size() % kRootSiftDim, 0u);
  EXPECT_GT(count, 50u) << "a photo of an owl should have plenty of SIFT keypoints";
  EXPECT_LE(count, 200u);
  for (size_t row = 0; row < count; ++row) {
    double norm = 0;
    for (int d = 0; d < kRootSiftDim; ++d) {
      const float v = (*descriptors)[row * kRootSiftDim + static_cast<size_t>(d)];
      ASSERT_GE(v, 0.0f);  // square roots of a histogram
      norm += static_cast<double>(v) * v;
    }
    ASSERT_NEAR(norm, 1.0, 1e-4) << "row " << row;
  }
}

TEST(LocalFeatures, BlankImageHasNoKeypoints) {
  Image blank(64, 48);
  auto descriptors = extract_rootsift(blank, LocalFeatureOptions{});
  ASSERT_TRUE(descriptors.is_ok()) << descriptors.status().message();
  EXPECT_TRUE(descriptors->empty());
}

TEST(LocalFeatures, RejectsEmptyImagesAndBadOptions) {
  EXPECT_FALSE(extract_rootsift(Image(), LocalFeatureOptions{}).is_ok());
  LocalFeatureOptions bad;
  bad.max_keypoints = 0;
  EXPECT_FALSE(extract_rootsift(Image(32, 32), bad).is_ok());
}

}  // namespace
}  // namespace pixlake
