// Local features for the Bag of Visual Words: SIFT keypoints (OpenCV features2d) described by
// RootSIFT (Arandjelovic & Zisserman 2012: L1-normalise, then square-root, so that comparing
// descriptors with Euclidean distance amounts to the Hellinger kernel, which matches SIFT's
// histograms better; it is also what makes the descriptors unit-length).
//
// Images come from the project's own decoder (src/image) and are converted here to 8-bit
// grayscale; OpenCV never sees a file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image/image.h"
#include "pixlake/status.h"

namespace pixlake {

constexpr int kRootSiftDim = 128;

struct LocalFeatureOptions {
  // The image is shrunk (area averaging) so that its longer side is at most this: SIFT's cost
  // grows with the pixels, and a 24-megapixel photo holds no more objects than a 640-pixel one.
  int max_side = 640;
  // Keep the strongest keypoints (by SIFT's contrast response) up to this many per image.
  int max_keypoints = 500;
  // SIFT's contrast threshold. OpenCV's default, 0.04, finds only ~100 keypoints on the
  // 300x200 pictures of Caltech-101; 0.02 finds several hundred, and the cap keeps the best.
  double contrast_threshold = 0.02;
};

// 8-bit luma (ITU-R BT.601 weights, as cv::cvtColor RGB2GRAY), width * height bytes.
std::vector<uint8_t> rgb_to_gray(const Image& image);

// RootSIFT descriptors of the image: count * kRootSiftDim floats, each row of unit L2 norm
// (count may be 0 for a blank image). Errors from OpenCV become Internal statuses naming
// `what` (the file), never exceptions.
Result<std::vector<float>> extract_rootsift(const Image& image, const LocalFeatureOptions& options,
                                            const std::string& what = "image");

}  // namespace pixlake
