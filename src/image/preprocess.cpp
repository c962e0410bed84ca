#include "image/preprocess.h"

#include <cmath>
#include <string>

namespace pixlake {

Status validate_preprocess_spec(const PreprocessSpec& spec) {
  if (spec.crop <= 0) return invalid_argument("preprocess: crop must be positive");
  if (spec.resize_shorter < spec.crop) {
    return invalid_argument("preprocess: resize_shorter (" + std::to_string(spec.resize_shorter) +
                            ") must be at least crop (" + std::to_string(spec.crop) + ")");
  }
  if (!std::isfinite(spec.scale)) return invalid_argument("preprocess: scale must be finite");
  for (int c = 0; c < 3; ++c) {
    if (!std::isfinite(spec.mean[c])) return invalid_argument("preprocess: mean must be finite");
    if (!std::isfinite(spec.stddev[c]) || spec.stddev[c] == 0.0f) {
      return invalid_argument("preprocess: stddev must be finite and non-zero");
    }
  }
  return Status::ok();
}

ResizedSize shorter_side_size(int width, int height, int resize_shorter) {
  // Round half up, in exact integer arithmetic: the common OpenCV-script form
  // int(long * target / short + 0.5). (torchvision's Resize truncates instead; the two differ
  // by at most one pixel on the long side, which the centre crop then mostly hides.)
  auto scaled = [&](int64_t longer, int64_t shorter) {
    const int64_t size = (2 * longer * resize_shorter + shorter) / (2 * shorter);
    return static_cast<int>(std::max<int64_t>(size, 1));
  };
  if (width <= height) return {resize_shorter, scaled(height, width)};
  return {scaled(width, height), resize_shorter};
}

Status preprocess_into_batch(const Image& image, const PreprocessSpec& spec, Tensor& batch,
                             int64_t index) {
  PIXLAKE_RETURN_IF_ERROR(validate_preprocess_spec(spec));
  const int crop = spec.crop;
  PIXLAKE_ASSERT(batch.dtype() == DType::kF32 && batch.rank() == 4 && batch.dim(1) == 3 &&
                 batch.dim(2) == crop && batch.dim(3) == crop);
  PIXLAKE_ASSERT(index >= 0 && index < batch.dim(0));
  if (image.empty()) return invalid_argument("preprocess: the image is empty");

  const ResizedSize size = shorter_side_size(image.width, image.height, spec.resize_shorter);
  PIXLAKE_ASSIGN_OR_RETURN(Image resized,
                           resize_image(image, size.width, size.height, spec.interpolation));
  // Floor, like `(w - crop) // 2` in a NumPy script; torchvision rounds half to even instead,
  // which moves the crop by one pixel when the margin is odd.
  const int left = (resized.width - crop) / 2;
  const int top = (resized.height - crop) / 2;

  // Output channel c reads source channel source_channel[c]; mean/stddev are already in
  // output order. Multiplying by 1/stddev would differ from a reference script's division in
  // the last bit, so divide.
  const std::array<int, 3> source_channel = spec.channel_order == ChannelOrder::kRGB
                                                ? std::array<int, 3>{0, 1, 2}
                                                : std::array<int, 3>{2, 1, 0};
  const size_t plane = static_cast<size_t>(crop) * crop;
  float* out = batch.data<float>() + static_cast<size_t>(index) * 3 * plane;
  for (int c = 0; c < 3; ++c) {
    const float mean = spec.mean[c];
    const float stddev = spec.stddev[c];
    float* out_plane = out + c * plane;
    for (int row = 0; row < crop; ++row) {
      const uint8_t* in = resized.pixel(top + row, left) + source_channel[c];
      float* out_row = out_plane + static_cast<size_t>(row) * crop;
      for (int col = 0; col < crop; ++col) {
        out_row[col] = (static_cast<float>(in[col * 3]) * spec.scale - mean) / stddev;
      }
    }
  }
  return Status::ok();
}

Result<Tensor> preprocess_image(const Image& image, const PreprocessSpec& spec) {
  PIXLAKE_RETURN_IF_ERROR(validate_preprocess_spec(spec));
  Tensor batch(DType::kF32, {1, 3, spec.crop, spec.crop});
  PIXLAKE_RETURN_IF_ERROR(preprocess_into_batch(image, spec, batch, 0));
  return batch.reshaped({3, spec.crop, spec.crop});
}

Result<Tensor> preprocess_batch(const std::vector<Image>& images, const PreprocessSpec& spec) {
  PIXLAKE_RETURN_IF_ERROR(validate_preprocess_spec(spec));
  if (images.empty()) return invalid_argument("preprocess: the batch has no images");
  Tensor batch(DType::kF32, {static_cast<int64_t>(images.size()), 3, spec.crop, spec.crop});
  for (size_t i = 0; i < images.size(); ++i) {
    Status status = preprocess_into_batch(images[i], spec, batch, static_cast<int64_t>(i));
    if (!status.is_ok()) return status.with_context("batch image " + std::to_string(i));
  }
  return batch;
}

}  // namespace pixlake
