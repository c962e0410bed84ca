// Turning a decoded Image into the float tensor a vision model takes: resize the shorter side,
// centre-crop a square, scale, subtract the mean and divide by the standard deviation, CHW.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "image/image.h"
#include "image/resize.h"
#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace pixlake {

enum class ChannelOrder { kRGB, kBGR };

struct PreprocessSpec {
  // The shorter side is resized to this; the longer side to
  // round_half_up(longer * resize_shorter / shorter), keeping the aspect ratio.
  int resize_shorter = 256;
  // Side of the square centre crop; offset = floor((side - crop) / 2) on each axis.
  int crop = 224;
  Interpolation interpolation = Interpolation::kArea;
  // Order of the output channels; mean and stddev are given in this order.
  ChannelOrder channel_order = ChannelOrder::kRGB;
  // value = (pixel * scale - mean[c]) / stddev[c]. The defaults are ImageNet's in RGB.
  // (Named stddev, not std, so that the member cannot shadow namespace std.)
  float scale = 1.0f / 255.0f;
  std::array<float, 3> mean = {0.485f, 0.456f, 0.406f};
  std::array<float, 3> stddev = {0.229f, 0.224f, 0.225f};
};

// InvalidArgument naming the field when the spec cannot be applied (crop > resize_shorter,
// non-positive sizes, zero or non-finite stddev, ...).
Status validate_preprocess_spec(const PreprocessSpec& spec);

// The size the shorter-side resize produces for a width x height image.
struct ResizedSize {
  int width;
  int height;
};
ResizedSize shorter_side_size(int width, int height, int resize_shorter);

// f32 [3, crop, crop].
Result<Tensor> preprocess_image(const Image& image, const PreprocessSpec& spec);

// Writes image `index` of an f32 [N, 3, crop, crop] batch tensor.
Status preprocess_into_batch(const Image& image, const PreprocessSpec& spec, Tensor& batch,
                             int64_t index);

// f32 [N, 3, crop, crop] from N images of any sizes. Errors name the failing image's index.
Result<Tensor> preprocess_batch(const std::vector<Image>& images, const PreprocessSpec& spec);

}  // namespace pixlake
