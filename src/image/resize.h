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
// Bit-exact with cv2.resize (OpenCV 4.6, x86-64) on the tested cases: area averaging is
// computed in float and rounded like cvRound; the 2-tap filters copy OpenCV's 8-bit
// fixed-point arithmetic.
Result<Image> resize_image(const Image& src, int width, int height, Interpolation interpolation);

}  // namespace pixlake
