// Resizing RGB8 images the way OpenCV's cv2.resize does, so that models trained with
// OpenCV-based preprocessing see the pixels they expect.
#pragma once

#include "image/image.h"
#include "pixlake/status.h"

namespace pixlake {

enum class Interpolation {
  // cv2.INTER_AREA. Shrinking along both axes: exact area averaging, each output pixel the
  // coverage-weighted mean of the source pixels its footprint overlaps (fractional pixels at
  // the edges count by their covered fraction). Any other case (enlarging along one or both
  // axes): OpenCV's "area-mode" 2-tap interpolation, which copies source pixels except in a
  // one-pixel band around each source pixel boundary where it blends linearly.
  kArea,
  // cv2.INTER_LINEAR: 2-tap bilinear with half-pixel centres, src = (dst + 0.5) * scale - 0.5,
  // clamped to the edge. No anti-aliasing when shrinking.
  kBilinear,
};

const char* interpolation_name(Interpolation interpolation);

// Resizes to width x height (both > 0; InvalidArgument otherwise or for an empty source).
// Computed in float, rounded to nearest (ties to even) and clamped to 0..255. OpenCV uses
// 11-bit fixed-point weights for 8-bit bilinear, so results can differ from it by 1.
Result<Image> resize_image(const Image& src, int width, int height, Interpolation interpolation);

}  // namespace pixlake
