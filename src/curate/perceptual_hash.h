// Perceptual hashes: 64-bit fingerprints of how an image looks, so that a re-encoded, resized
// or slightly edited copy lands a few bits away from its original (Hamming distance), while
// unrelated images differ in about half of the bits.
//
//   aHash: 8x8 grey thumbnail, bit = pixel brighter than the mean.
//   dHash: 9x8 grey thumbnail, bit = pixel brighter than its right neighbour (gradients survive
//          brightness and contrast changes).
//   pHash: 32x32 grey thumbnail, 2-D DCT, the 8x8 lowest frequencies, bit = coefficient above
//          their median (DC excluded from the median). Robust to resizing and compression.
//   pHash of the mirror image, so that a horizontally flipped copy can be recognised too.
//   pHash of the centre 90 % (5 % cut from each side), compared with the other image's full
//   pHash: a copy with its borders cropped (the most common edit: frames, social-media crops)
//   is then a few bits away instead of ~20.
// Bit i of a hash is thumbnail cell i in row-major order (for pHash: coefficient (v, u) with
// i = v * 8 + u).
#pragma once

#include <cstdint>
#include <vector>

#include "image/image.h"

namespace pixlake {

struct PerceptualHashes {
  uint64_t ahash = 0;
  uint64_t dhash = 0;
  uint64_t phash = 0;
  uint64_t phash_mirror = 0;  // pHash of the horizontally flipped image
  uint64_t phash_centre = 0;  // pHash of the centre 90 % of the image
};

PerceptualHashes perceptual_hashes(const Image& image);

// Grey levels (ITU-R BT.601 luma, 0-255) of `image` averaged over a width x height grid of equal
// areas (each output cell is the exact area average of the pixels it covers, fractions
// weighted), row-major.
std::vector<float> grey_thumbnail(const Image& image, int width, int height);

uint64_t ahash_of(const std::vector<float>& grey8x8);
uint64_t dhash_of(const std::vector<float>& grey9x8);
uint64_t phash_of(const std::vector<float>& grey32x32);

inline int hamming_distance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }

}  // namespace pixlake
