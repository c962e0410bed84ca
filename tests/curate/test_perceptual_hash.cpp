#include "curate/perceptual_hash.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "image/image.h"

namespace pixlake {
namespace {

std::string photo(const std::string& name) {
  const char* env = std::getenv("PIXLAKE_DATA");
  std::string root = env != nullptr && *env != '\0' ? env : PIXLAKE_DEFAULT_DATA;
  return root + "/photos/" + name;
}

Image gradient_image(int width, int height) {
  Image image(width, height);
  for (int row = 0; row < height; ++row) {
    for (int col = 0; col < width; ++col) {
      uint8_t* p = image.pixel(row, col);
      p[0] = static_cast<uint8_t>((col * 255) / std::max(1, width - 1));
      p[1] = static_cast<uint8_t>((row * 255) / std::max(1, height - 1));
      p[2] = static_cast<uint8_t>((row * col) % 256);
    }
  }
  return image;
}

Image mirrored(const Image& image) {
  Image out(image.width, image.height);
  for (int row = 0; row < image.height; ++row) {
    for (int col = 0; col < image.width; ++col) {
      const uint8_t* src = image.pixel(row, image.width - 1 - col);
      std::copy(src, src + 3, out.pixel(row, col));
    }
  }
  return out;
}

Image brighter(const Image& image, float factor) {
  Image out = image;
  for (uint8_t& v : out.rgb) v = static_cast<uint8_t>(std::min(255.0f, v * factor));
  return out;
}

TEST(GreyThumbnail, AveragesEqualAreasExactly) {
  // 3x2 image to 2x1 cells: each cell covers 1.5 columns of both rows.
  Image image(3, 2);
  const uint8_t greys[2][3] = {{0, 100, 200}, {50, 150, 250}};
  for (int row = 0; row < 2; ++row) {
    for (int col = 0; col < 3; ++col) {
      std::fill(image.pixel(row, col), image.pixel(row, col) + 3, greys[row][col]);
    }
  }
  auto cells = grey_thumbnail(image, 2, 1);
  ASSERT_EQ(cells.size(), 2u);
  // Left cell: column 0 whole, column 1 half -> (0 + 50 + 0.5 * (100 + 150)) / 3.
  EXPECT_NEAR(cells[0], (0 + 50 + 0.5 * (100 + 150)) / 3.0, 1e-3);
  EXPECT_NEAR(cells[1], (200 + 250 + 0.5 * (100 + 150)) / 3.0, 1e-3);
  // Upscaling (fewer pixels than cells) repeats pixels.
  auto up = grey_thumbnail(image, 6, 4);
  EXPECT_NEAR(up[0], 0.0, 1e-3);
  EXPECT_NEAR(up[5], 200.0, 1e-3);
  EXPECT_NEAR(up[23], 250.0, 1e-3);
}

TEST(PerceptualHash, AhashAndDhashFollowTheirDefinitions) {
  std::vector<float> grid(64, 10.0f);
  for (int i = 0; i < 64; i += 3) grid[static_cast<size_t>(i)] = 200.0f;
  const uint64_t a = ahash_of(grid);
  for (int i = 0; i < 64; ++i) EXPECT_EQ((a >> i) & 1, i % 3 == 0 ? 1u : 0u) << i;

  std::vector<float> rows(72);
  for (int row = 0; row < 8; ++row) {
    for (int col = 0; col < 9; ++col) {
      rows[static_cast<size_t>(row * 9 + col)] = row % 2 == 0 ? 100.0f - col : 100.0f + col;
    }
  }
  const uint64_t d = dhash_of(rows);
  for (int i = 0; i < 64; ++i) EXPECT_EQ((d >> i) & 1, (i / 8) % 2 == 0 ? 1u : 0u) << i;
}

TEST(PerceptualHash, SurvivesBrightnessAndKnowsItsMirror) {
  const Image image = gradient_image(97, 61);
  const PerceptualHashes h = perceptual_hashes(image);
  const PerceptualHashes bright = perceptual_hashes(brighter(image, 1.2f));
  EXPECT_LE(hamming_distance(h.phash, bright.phash), 6);
  EXPECT_LE(hamming_distance(h.dhash, bright.dhash), 8);
  const PerceptualHashes flipped = perceptual_hashes(mirrored(image));
  EXPECT_LE(hamming_distance(h.phash_mirror, flipped.phash), 2);
  EXPECT_GT(hamming_distance(h.phash, flipped.phash), 10);
}

TEST(PerceptualHash, CentreHashMatchesABorderCrop) {
  if (!std::filesystem::exists(photo("parrot.jpg"))) {
    GTEST_SKIP() << "shared photos not found (set PIXLAKE_DATA to the shared folder)";
  }
  auto image = decode_image_file(photo("parrot.jpg"));
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  const int dx = image->width / 20;
  const int dy = image->height / 20;
  Image crop(image->width - 2 * dx, image->height - 2 * dy);
  for (int row = 0; row < crop.height; ++row) {
    std::copy_n(image->pixel(row + dy, dx), static_cast<size_t>(crop.width) * 3,
                crop.pixel(row, 0));
  }
  const PerceptualHashes full = perceptual_hashes(*image);
  const PerceptualHashes cropped = perceptual_hashes(crop);
  EXPECT_LE(hamming_distance(full.phash_centre, cropped.phash), 4);
  EXPECT_GT(hamming_distance(full.phash, cropped.phash),
            hamming_distance(full.phash_centre, cropped.phash));
}

TEST(PerceptualHash, UniformImageDoesNotCrash) {
  Image grey(5, 5);
  std::fill(grey.rgb.begin(), grey.rgb.end(), 128);
  const PerceptualHashes h = perceptual_hashes(grey);
  EXPECT_EQ(h.ahash, 0u);  // nothing brighter than the mean
  EXPECT_EQ(h.dhash, 0u);
  Image empty;
  EXPECT_EQ(perceptual_hashes(empty).ahash, 0u);
}

TEST(PerceptualHash, SharedCatCopiesAreCloseAndOtherPhotosFar) {
  if (!std::filesystem::exists(photo("cat.bmp"))) {
    GTEST_SKIP() << "shared photos not found (set PIXLAKE_DATA to the shared folder)";
  }
  auto hash_of = [](const std::string& name) {
    auto image = decode_image_file(photo(name));
    EXPECT_TRUE(image.is_ok()) << image.status().message();
    return perceptual_hashes(*image);
  };
  const PerceptualHashes cat = hash_of("cat.bmp");
  for (const char* copy : {"cat_720p.jpg", "cat_1080p.jpg"}) {
    const PerceptualHashes other = hash_of(copy);
    EXPECT_LE(hamming_distance(cat.phash, other.phash), 6) << copy;
    EXPECT_LE(hamming_distance(cat.dhash, other.dhash), 10) << copy;
    EXPECT_LE(hamming_distance(cat.ahash, other.ahash), 6) << copy;
  }
  for (const char* unrelated : {"bird.bmp", "parrot.jpg", "owl.jpg", "hot_dog.jpg"}) {
    const PerceptualHashes other = hash_of(unrelated);
    EXPECT_GE(hamming_distance(cat.phash, other.phash), 16) << unrelated;
  }
}

}  // namespace
}  // namespace pixlake
