#include "curate/local_features.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/features2d.hpp>

#include "image/resize.h"

namespace pixlake {

std::vector<uint8_t> rgb_to_gray(const Image& image) {
  const size_t pixels = static_cast<size_t>(image.width) * static_cast<size_t>(image.height);
  std::vector<uint8_t> gray(pixels);
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* p = image.rgb.data() + i * 3;
    // Fixed point BT.601 (0.299, 0.587, 0.114) scaled by 2^14, rounded: OpenCV's own integers.
    const uint32_t y = 4899u * p[0] + 9617u * p[1] + 1868u * p[2];
    gray[i] = static_cast<uint8_t>((y + (1u << 13)) >> 14);
  }
  return gray;
}

Result<std::vector<float>> extract_rootsift(const Image& image, const LocalFeatureOptions& options,
                                            const std::string& what) {
  if (image.empty()) return invalid_argument("local features: " + what + " is empty");
  if (options.max_side < 16 || options.grid_step < 1 || !(options.keypoint_size >= 1.0f)) {
    return invalid_argument(
        "local features: max_side must be >= 16, grid_step >= 1 and keypoint_size >= 1");
  }
  const Image* source = &image;
  Image shrunk;
  const int long_side = std::max(image.width, image.height);
  if (long_side > options.max_side) {
    const double scale = static_cast<double>(options.max_side) / long_side;
    const int width = std::max(1, static_cast<int>(std::lround(image.width * scale)));
    const int height = std::max(1, static_cast<int>(std::lround(image.height * scale)));
    PIXLAKE_ASSIGN_OR_RETURN(shrunk, resize_image(image, width, height, Interpolation::kArea));
    source = &shrunk;
  }
  std::vector<uint8_t> gray = rgb_to_gray(*source);
  std::vector<float> out;
  try {
    cv::Mat mat(source->height, source->width, CV_8UC1, gray.data());
    std::vector<cv::KeyPoint> keypoints;
    const int margin = static_cast<int>(std::ceil(options.keypoint_size / 2));
    for (int y = margin; y + margin <= source->height; y += options.grid_step) {
      for (int x = margin; x + margin <= source->width; x += options.grid_step) {
        keypoints.emplace_back(static_cast<float>(x), static_cast<float>(y), options.keypoint_size);
      }
    }
    if (keypoints.empty()) return out;
    auto sift = cv::SIFT::create();
    cv::Mat descriptors;
    // compute() keeps the given keypoints (all with octave 0: no upsampled first octave).
    sift->compute(mat, keypoints, descriptors);
    const int rows = descriptors.rows;
    out.resize(static_cast<size_t>(rows) * kRootSiftDim);
    for (int row = 0; row < rows; ++row) {
      const float* d = descriptors.ptr<float>(row);
      float l1 = 0;
      for (int i = 0; i < kRootSiftDim; ++i) l1 += std::fabs(d[i]);
      float* o = out.data() + static_cast<size_t>(row) * kRootSiftDim;
      if (l1 <= 0) {
        // A flat patch: no gradient anywhere. Give it a fixed unit vector rather than zeros so
        // that every descriptor has unit length.
        std::fill(o, o + kRootSiftDim, 1.0f / std::sqrt(static_cast<float>(kRootSiftDim)));
        continue;
      }
      for (int i = 0; i < kRootSiftDim; ++i) o[i] = std::sqrt(std::fabs(d[i]) / l1);
    }
  } catch (const cv::Exception& e) {
    return internal_error("local features: OpenCV failed on " + what + ": " + e.what());
  }
  return out;
}

}  // namespace pixlake
