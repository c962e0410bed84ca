// Local features for the Bag of Visual Words: dense SIFT (OpenCV features2d's SIFT descriptor
// computed on a regular grid of keypoints rather than at detected ones) described by RootSIFT
// (Arandjelovic & Zisserman 2012: L1-normalise, then square-root, so that comparing
// descriptors with Euclidean distance amounts to the Hellinger kernel, which matches SIFT's
// histograms better; it is also what makes the descriptors unit-length).
//
// Why dense: on Caltech-101 (a 600-image subset, 500 words) detected SIFT keypoints gave
// retrieval mAP 0.155 and a dense grid 0.40; detectors fire on texture and clutter, while object
// categories are told apart by the shape of the whole object, which a grid covers evenly.
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
  // The image is shrunk (area averaging) so that its longer side is at most this. Each
  // descriptor then covers 6 x keypoint_size = 48 pixels, 30% of the long side: large enough
  // to see object parts. On the Caltech subset, 160 px / step 4 / size 8 scored mAP 0.40 at
  // ~50 ms an image, the same geometry at twice the resolution 0.41 at 4x the time, and a
  // finer geometry (8-px keypoints on a 300-px image) 0.35.
  int max_side = 160;
  int grid_step = 4;           // pixels between grid keypoints, in the shrunk image
  float keypoint_size = 8.0f;  // SIFT keypoint diameter ("size"); the descriptor spans 6x this
};

// 8-bit luma (ITU-R BT.601 weights, as cv::cvtColor RGB2GRAY), width * height bytes.
std::vector<uint8_t> rgb_to_gray(const Image& image);

// Dense RootSIFT descriptors of the image: count * kRootSiftDim floats, each row of unit L2
// norm, one per grid point whose patch lies inside the image (count is 0 only for an image
// smaller than one patch). A flat patch, which has no gradient, gets the uniform unit vector.
// Errors from OpenCV become Internal statuses naming `what` (the file), never exceptions.
Result<std::vector<float>> extract_rootsift(const Image& image, const LocalFeatureOptions& options,
                                            const std::string& what = "image");

}  // namespace pixlake
