// Index files: a saved index answers exactly as before; a damaged, truncated or foreign file is
// an error naming the file, never a crash or a silently wrong index.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "index_test_data.h"

namespace pixlake::testing {
namespace {

namespace fs = std::filesystem;

class IndexFile : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pixlake_index_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::unique_ptr<Index> build(int64_t n) {
    base_ = clustered(n, kDim, 10, 5);
    auto index = make_index(GetParam(), kDim, Metric::kCosine);
    EXPECT_TRUE(index.is_ok());
    const auto ids = iota_labels(n, 1000);
    EXPECT_TRUE((*index)->add(n, base_.data(), ids.data()).is_ok());
    const int64_t gone[] = {1003, 1010};
    (*index)->remove(2, gone);
    return std::move(*index);
  }

  static constexpr int kDim = 24;
  fs::path dir_;
  std::vector<float> base_;
};

TEST_P(IndexFile, RoundTripAnswersIdentically) {
  auto index = build(600);
  ASSERT_TRUE(index->save(path("a.pxi")).is_ok());
  auto loaded = load_index(path("a.pxi"));
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  EXPECT_EQ((*loaded)->description(), index->description());
  EXPECT_EQ((*loaded)->size(), index->size());
  EXPECT_EQ((*loaded)->dim(), kDim);
  EXPECT_EQ((*loaded)->metric(), Metric::kCosine);
  const int k = 8;
  for (int64_t row = 0; row < 600; row += 37) {
    float d1[k], d2[k];
    int64_t l1[k], l2[k];
    ASSERT_TRUE(index->search(1, base_.data() + row * kDim, k, d1, l1).is_ok());
    ASSERT_TRUE((*loaded)->search(1, base_.data() + row * kDim, k, d2, l2).is_ok());
    for (int i = 0; i < k; ++i) {
      EXPECT_EQ(l1[i], l2[i]);
      EXPECT_EQ(d1[i], d2[i]);
    }
  }
  // The loaded index keeps working: adds and removes.
  const int64_t id = 5;
  ASSERT_TRUE((*loaded)->add(1, base_.data(), &id).is_ok());
  EXPECT_EQ((*loaded)->size(), index->size() + 1);
}

TEST_P(IndexFile, EveryDamagedByteIsCaught) {
  auto index = build(200);
  ASSERT_TRUE(index->save(path("a.pxi")).is_ok());
  std::ifstream in(path("a.pxi"), std::ios::binary);
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Flip one byte at a spread of offsets (header, section table, every section): each load
  // either fails with a message naming the file or -- for padding bytes no checksum covers --
  // loads an index that still answers like the original.
  int failures = 0;
  for (size_t at = 0; at < good.size(); at += 97) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x5A);
    std::ofstream(path("b.pxi"), std::ios::binary) << bad;
    auto loaded = load_index(path("b.pxi"));
    if (!loaded.is_ok()) {
      ++failures;
      EXPECT_NE(loaded.status().message().find("b.pxi"), std::string::npos)
          << loaded.status().message();
      continue;
    }
    float d;
    int64_t l;
    ASSERT_TRUE((*loaded)->search(1, base_.data(), 1, &d, &l).is_ok());
    EXPECT_EQ(l, 1000) << "byte " << at;
  }
  EXPECT_GT(failures, 0);
}

TEST_P(IndexFile, OpenedWithoutVerifyAnswersIdenticallyAndCopiesOnWrite) {
  auto index = build(600);
  ASSERT_TRUE(index->save(path("a.pxi")).is_ok());
  const auto bytes_before = fs::file_size(path("a.pxi"));
  auto mapped = load_index(path("a.pxi"), /*verify=*/false);
  ASSERT_TRUE(mapped.is_ok()) << mapped.status().message();
  EXPECT_EQ((*mapped)->size(), index->size());
  EXPECT_EQ((*mapped)->max_label(), index->max_label());
  const int k = 5;
  for (int64_t row = 0; row < 600; row += 41) {
    float d1[k], d2[k];
    int64_t l1[k], l2[k];
    ASSERT_TRUE(index->search(1, base_.data() + row * kDim, k, d1, l1).is_ok());
    ASSERT_TRUE((*mapped)->search(1, base_.data() + row * kDim, k, d2, l2).is_ok());
    for (int i = 0; i < k; ++i) EXPECT_EQ(l1[i], l2[i]);
  }
  // Changes go to memory: the mapped file stays as it was, and a save writes them out.
  const int64_t gone = 1000;
  EXPECT_EQ((*mapped)->remove(1, &gone), 1);
  const int64_t id = 77;
  ASSERT_TRUE((*mapped)->add(1, base_.data() + 5 * kDim, &id).is_ok());
  EXPECT_EQ(fs::file_size(path("a.pxi")), bytes_before);
  auto again = load_index(path("a.pxi"));
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ((*again)->size(), index->size());
  ASSERT_TRUE((*mapped)->save(path("a.pxi")).is_ok());
  auto saved = load_index(path("a.pxi"));
  ASSERT_TRUE(saved.is_ok());
  EXPECT_EQ((*saved)->size(), index->size());  // one removed, one added
  float d;
  int64_t l;
  ASSERT_TRUE((*saved)->search(1, base_.data(), 1, &d, &l).is_ok());
  EXPECT_NE(l, 1000);
}

TEST_P(IndexFile, DamagedFilesOpenedWithoutVerifyNeverCrash) {
  // Without verify, damage inside sections is not detected at open; every search must still
  // stay inside the index (the ASan build of this test is what proves it).
  auto index = build(300);
  ASSERT_TRUE(index->save(path("a.pxi")).is_ok());
  std::ifstream in(path("a.pxi"), std::ios::binary);
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::mt19937 rng(11);
  for (int round = 0; round < 60; ++round) {
    std::string bad = good;
    for (int flip = 0; flip < 20; ++flip) {
      const size_t at = 4096 + rng() % (bad.size() - 4096);
      bad[at] = static_cast<char>(rng());
    }
    std::ofstream(path("b.pxi"), std::ios::binary) << bad;
    auto loaded = load_index(path("b.pxi"), /*verify=*/false);
    if (!loaded.is_ok()) continue;
    for (int64_t row = 0; row < 300; row += 30) {
      float d[10];
      int64_t l[10];
      ASSERT_TRUE((*loaded)->search(1, base_.data() + row * kDim, 10, d, l).is_ok());
    }
    EXPECT_FALSE(load_index(path("b.pxi"), /*verify=*/true).is_ok()) << "round " << round;
  }
}

TEST_P(IndexFile, TruncatedFilesAreRefused) {
  auto index = build(100);
  ASSERT_TRUE(index->save(path("a.pxi")).is_ok());
  const auto size = fs::file_size(path("a.pxi"));
  for (uintmax_t keep :
       {uintmax_t{0}, uintmax_t{10}, uintmax_t{4095}, uintmax_t{4096}, size / 2, size - 1}) {
    fs::copy_file(path("a.pxi"), path("t.pxi"), fs::copy_options::overwrite_existing);
    fs::resize_file(path("t.pxi"), keep);
    auto loaded = load_index(path("t.pxi"));
    EXPECT_FALSE(loaded.is_ok()) << "kept " << keep << " bytes";
  }
}

TEST_P(IndexFile, AFailedSaveLeavesTheOldFile) {
  auto index = build(100);
  ASSERT_TRUE(index->save(path("a.pxi")).is_ok());
  // A folder where the temporary file should go makes the write fail before the rename.
  fs::create_directories(path("a.pxi.tmp"));
  EXPECT_FALSE(index->save(path("a.pxi")).is_ok());
  fs::remove_all(path("a.pxi.tmp"));
  EXPECT_TRUE(load_index(path("a.pxi")).is_ok());
}

INSTANTIATE_TEST_SUITE_P(Kinds, IndexFile,
                         ::testing::Values("Flat", "HNSW8", "HNSW8,SQ8", "HNSW8,F16",
                                           "HNSW8,BF16"));

TEST(IndexFileErrors, MissingAndForeignFiles) {
  auto missing = load_index("/nonexistent/x.pxi");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/x.pxi"), std::string::npos);
  const std::string foreign = fs::temp_directory_path() / "pixlake_foreign.pxi";
  std::ofstream(foreign, std::ios::binary) << std::string(8192, 'x');
  auto loaded = load_index(foreign);
  ASSERT_FALSE(loaded.is_ok());
  EXPECT_NE(loaded.status().message().find("not a pixlake index"), std::string::npos);
  fs::remove(foreign);
}

}  // namespace
}  // namespace pixlake::testing
