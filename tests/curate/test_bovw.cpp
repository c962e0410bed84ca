// Bag of Visual Words: histograms, IDF and the vocabulary file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "curate/bovw_histogram.h"
#include "curate/bovw_vocabulary.h"

namespace pixlake {
namespace {

// Three words: unit vectors along the first three axes of the 128-d descriptor space.
BovwVocabulary axis_vocabulary() {
  BovwVocabulary v;
  v.words = 3;
  v.centroids.assign(3 * kRootSiftDim, 0.0f);
  for (int w = 0; w < 3; ++w) v.centroids[static_cast<size_t>(w * kRootSiftDim + w)] = 1.0f;
  v.idf = {1.0f, 2.0f, 1.0f};
  v.idf_images = 7;
  return v;
}

std::vector<float> descriptors_near(const std::vector<int>& words) {
  std::vector<float> d(words.size() * kRootSiftDim, 0.0f);
  for (size_t i = 0; i < words.size(); ++i) {
    d[i * kRootSiftDim + static_cast<size_t>(words[i])] = 0.9f;
    d[i * kRootSiftDim + 100] = 0.1f;  // noise off every word's axis
  }
  return d;
}

TEST(Bovw, CountsVotesPerNearestWord) {
  BovwVocabulary v = axis_vocabulary();
  auto d = descriptors_near({2, 0, 2, 2});
  WordCounts counts = count_words(d.data(), 4, v);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0], std::make_pair(0, 1));
  EXPECT_EQ(counts[1], std::make_pair(2, 3));
  EXPECT_TRUE(count_words(d.data(), 0, v).empty());
}

TEST(Bovw, HistogramIsTfIdfWeightedAndUnitLength) {
  BovwVocabulary v = axis_vocabulary();
  WordCounts counts = {{0, 4}, {1, 1}};
  std::vector<float> out(3);
  tfidf_embedding(counts, v, out.data());
  // Weights sqrt(4) * 1 = 2 and sqrt(1) * 2 = 2: equal after normalisation.
  EXPECT_NEAR(out[0], std::sqrt(0.5f), 1e-6);
  EXPECT_NEAR(out[1], std::sqrt(0.5f), 1e-6);
  EXPECT_EQ(out[2], 0.0f);
  double norm = 0;
  for (float x : out) norm += x * x;
  EXPECT_NEAR(norm, 1.0, 1e-6);
}

TEST(Bovw, ImageWithoutFeaturesEmbedsAsZeros) {
  BovwVocabulary v = axis_vocabulary();
  std::vector<float> out(3, 5.0f);
  tfidf_embedding({}, v, out.data());
  EXPECT_EQ(out, std::vector<float>(3, 0.0f));
}

TEST(Bovw, IdfFavoursRareWords) {
  auto idf = inverse_document_frequency({10, 1, 0}, 10);
  EXPECT_NEAR(idf[0], std::log(11.0 / 11.0) + 1, 1e-6);
  EXPECT_NEAR(idf[1], std::log(11.0 / 2.0) + 1, 1e-6);
  EXPECT_GT(idf[2], idf[1]);
}

class BovwFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pixlake_bovw_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "vocabulary.pxv").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(BovwFile, RoundTripsEveryField) {
  BovwVocabulary v = axis_vocabulary();
  v.features.max_side = 333;
  v.features.grid_step = 7;
  v.features.keypoint_size = 9.5f;
  ASSERT_TRUE(save_bovw_vocabulary(path_, v).is_ok());
  EXPECT_EQ(std::filesystem::file_size(path_), 64u + 3u * 128u * 4u + 3u * 4u);
  auto loaded = load_bovw_vocabulary(path_);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  EXPECT_EQ(loaded->words, 3);
  EXPECT_EQ(loaded->centroids, v.centroids);
  EXPECT_EQ(loaded->idf, v.idf);
  EXPECT_EQ(loaded->idf_images, 7);
  EXPECT_EQ(loaded->features.max_side, 333);
  EXPECT_EQ(loaded->features.grid_step, 7);
  EXPECT_EQ(loaded->features.keypoint_size, 9.5f);
  EXPECT_FALSE(std::filesystem::exists(path_ + ".tmp"));
}

void flip_byte(const std::string& path, std::streamoff offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(offset);
  char c;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x40);
  f.seekp(offset);
  f.write(&c, 1);
}

TEST_F(BovwFile, CorruptionIsDataLossNamingTheFile) {
  ASSERT_TRUE(save_bovw_vocabulary(path_, axis_vocabulary()).is_ok());
  flip_byte(path_, 64 + 500);  // a centroid
  auto payload = load_bovw_vocabulary(path_);
  ASSERT_FALSE(payload.is_ok());
  EXPECT_EQ(payload.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(payload.status().message().find(path_), std::string::npos);
  EXPECT_NE(payload.status().message().find("payload checksum"), std::string::npos);

  ASSERT_TRUE(save_bovw_vocabulary(path_, axis_vocabulary()).is_ok());
  flip_byte(path_, 16);  // words
  auto header = load_bovw_vocabulary(path_);
  ASSERT_FALSE(header.is_ok());
  EXPECT_NE(header.status().message().find("header checksum"), std::string::npos);

  std::filesystem::resize_file(path_, 10);
  EXPECT_FALSE(load_bovw_vocabulary(path_).is_ok());
  EXPECT_EQ(load_bovw_vocabulary((dir_ / "absent.pxv").string()).status().code(),
            StatusCode::kNotFound);
}

// The vocabulary kept from format version 1 (tests/curate/data/bovw_vocabulary_v1.pxv): two
// words with centroid values w + d / 1000, idf {1.5, 2.5}, 9 images, settings 320/3/6.
// Regenerate only with a version bump: PIXLAKE_UPDATE_GOLDEN=1 test_curate.
BovwVocabulary golden_vocabulary() {
  BovwVocabulary v;
  v.words = 2;
  v.features.max_side = 320;
  v.features.grid_step = 3;
  v.features.keypoint_size = 6.0f;
  v.idf_images = 9;
  for (int w = 0; w < 2; ++w) {
    for (int d = 0; d < kRootSiftDim; ++d)
      v.centroids.push_back(static_cast<float>(w) + static_cast<float>(d) / 1000.0f);
  }
  v.idf = {1.5f, 2.5f};
  return v;
}

std::string golden_path() {
  return std::string(PIXLAKE_SOURCE_DIR) + "/tests/curate/data/bovw_vocabulary_v1.pxv";
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(BovwFile, WriterStillProducesTheVersion1Bytes) {
  ASSERT_TRUE(save_bovw_vocabulary(path_, golden_vocabulary()).is_ok());
  if (std::getenv("PIXLAKE_UPDATE_GOLDEN"))
    std::filesystem::copy_file(path_, golden_path(),
                               std::filesystem::copy_options::overwrite_existing);
  EXPECT_EQ(file_bytes(path_), file_bytes(golden_path()))
      << "the vocabulary file layout changed: bump BovwVocabulary::kVersion and keep a reader for "
         "version 1";
}

TEST(BovwGolden, Version1FileStillLoads) {
  auto loaded = load_bovw_vocabulary(golden_path());
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  BovwVocabulary want = golden_vocabulary();
  EXPECT_EQ(loaded->words, 2);
  EXPECT_EQ(loaded->centroids, want.centroids);
  EXPECT_EQ(loaded->idf, want.idf);
  EXPECT_EQ(loaded->idf_images, 9);
  EXPECT_EQ(loaded->features.max_side, 320);
  EXPECT_EQ(loaded->features.grid_step, 3);
  EXPECT_EQ(loaded->features.keypoint_size, 6.0f);
}

}  // namespace
}  // namespace pixlake
