#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "embedding_test_util.h"
#include "lake/embedding_store.h"

namespace pixlake {
namespace {

using testing::EmbeddingStoreTest;
using testing::holds_test_rows;
using testing::test_header;
using testing::test_rows;

// Creates `path` with rows [0, n) of test_rows, synced, and closes it.
void make_file(const std::string& path, int32_t dim, int64_t n) {
  auto store = EmbeddingStore::create(path, test_header(dim));
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  auto rows = test_rows(0, n, dim);
  ASSERT_TRUE((*store)->append(rows.ids.data(), rows.vectors.data(), n).is_ok());
  ASSERT_TRUE((*store)->sync().is_ok());
}

void flip_byte(const std::string& path, uint64_t offset, uint8_t mask) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c;
  f.get(c);
  c = static_cast<char>(c ^ mask);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(c);
}

TEST_F(EmbeddingStoreTest, RoundTripIsBitExactAcrossReopen) {
  const int32_t dim = 5;  // odd: the id lands after 4 bytes of alignment padding
  make_file(path(), dim, 7);
  auto store = EmbeddingStore::open(path(), 7);
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  EXPECT_TRUE(holds_test_rows(**store, 7));
  const auto& h = (*store)->header();
  EXPECT_EQ(h.model, "mobilenetv2");
  EXPECT_EQ(h.layer, "627");
  EXPECT_EQ(h.model_sha256, test_header(dim).model_sha256);
  EXPECT_EQ(h.dim, dim);
  EXPECT_EQ(h.dtype, EmbeddingDType::kF32);
  EXPECT_EQ(h.created_unix, 1700000000);
  EXPECT_EQ(h.generation, 0u);
  EXPECT_TRUE((*store)->verify().is_ok());
  EXPECT_EQ(std::filesystem::file_size(path()), 512u + 7u * (*store)->row_stride());
}

TEST_F(EmbeddingStoreTest, VectorsAre64ByteAligned) {
  make_file(path(), 3, 4);
  auto store = EmbeddingStore::open(path(), 4);
  ASSERT_TRUE(store.is_ok());
  EXPECT_EQ((*store)->row_stride(), 64u);  // 12 bytes of vector + id + checksum fit one line
  for (int64_t row = 0; row < 4; ++row)
    EXPECT_EQ(reinterpret_cast<uintptr_t>((*store)->vector(row)) % 64, 0u) << row;
}

TEST_F(EmbeddingStoreTest, CreateFillsCreatedTimeAndRefusesExistingFile) {
  auto header = test_header(4);
  header.created_unix = 0;
  auto store = EmbeddingStore::create(path(), header);
  ASSERT_TRUE(store.is_ok());
  EXPECT_GT((*store)->header().created_unix, 1700000000);
  EXPECT_EQ((*store)->rows(), 0);
  store->reset();
  auto again = EmbeddingStore::create(path(), test_header(4));
  ASSERT_FALSE(again.is_ok());
  EXPECT_NE(again.status().message().find("already exists"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path() + ".tmp"));
}

TEST_F(EmbeddingStoreTest, CreateRejectsBadHeaderNamingField) {
  auto header = test_header(0);
  auto r = EmbeddingStore::create(path(), header);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("dim"), std::string::npos) << r.status().message();
  header = test_header(4);
  header.model = std::string(64, 'm');
  r = EmbeddingStore::create(path(), header);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("model name"), std::string::npos) << r.status().message();
  EXPECT_FALSE(std::filesystem::exists(path()));
}

TEST_F(EmbeddingStoreTest, OpenWithSmallerCommittedCountTruncates) {
  make_file(path(), 8, 10);
  {
    auto store = EmbeddingStore::open(path(), 6);
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    EXPECT_TRUE(holds_test_rows(**store, 6));
    // Appending after the cut continues right after row 5.
    auto more = test_rows(6, 2, 8);
    ASSERT_TRUE((*store)->append(more.ids.data(), more.vectors.data(), 2).is_ok());
    ASSERT_TRUE((*store)->sync().is_ok());
  }
  auto store = EmbeddingStore::open(path(), 8);
  ASSERT_TRUE(store.is_ok());
  EXPECT_TRUE(holds_test_rows(**store, 8));
  EXPECT_EQ(std::filesystem::file_size(path()), 512u + 8u * (*store)->row_stride());
}

TEST_F(EmbeddingStoreTest, OpenWithLargerCommittedCountIsDataLoss) {
  make_file(path(), 8, 3);
  auto store = EmbeddingStore::open(path(), 5);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find(path()), std::string::npos);
  EXPECT_NE(store.status().message().find("lost"), std::string::npos) << store.status().message();
  EXPECT_EQ(std::filesystem::file_size(path()), 512u + 3u * 64u);  // left untouched
}

TEST_F(EmbeddingStoreTest, TornTailIsCutOff) {
  make_file(path(), 20, 4);  // stride 128
  // A kill -9 in the middle of row 4: half a row past the committed ones.
  std::filesystem::resize_file(path(), 512 + 4 * 128 + 50);
  auto store = EmbeddingStore::open(path(), 4);
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  EXPECT_TRUE(holds_test_rows(**store, 4));
  EXPECT_EQ(std::filesystem::file_size(path()), 512u + 4u * 128u);
  // And a torn row among the committed ones is lost data.
  std::filesystem::resize_file(path(), 512 + 3 * 128 + 50);
  store->reset();
  auto lost = EmbeddingStore::open(path(), 4);
  ASSERT_FALSE(lost.is_ok());
  EXPECT_EQ(lost.status().code(), StatusCode::kDataLoss);
}

TEST_F(EmbeddingStoreTest, CorruptHeaderByteNamesTheChecksumField) {
  make_file(path(), 4, 2);
  flip_byte(path(), 85, 0x01);  // inside the model name
  auto store = EmbeddingStore::open(path(), 2);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find(path()), std::string::npos);
  EXPECT_NE(store.status().message().find("header_crc32c"), std::string::npos)
      << store.status().message();
}

TEST_F(EmbeddingStoreTest, WrongMagicIsRefused) {
  make_file(path(), 4, 1);
  flip_byte(path(), 0, 0x20);  // 'P' -> 'p'
  auto store = EmbeddingStore::open(path(), 1);
  ASSERT_FALSE(store.is_ok());
  EXPECT_NE(store.status().message().find("magic"), std::string::npos) << store.status().message();
  EXPECT_NE(store.status().message().find(path()), std::string::npos);
}

TEST_F(EmbeddingStoreTest, FutureVersionIsUnsupported) {
  make_file(path(), 4, 1);
  flip_byte(path(), 8, 0x01 ^ 0x02);  // version 1 -> 2 (the checksum is not even reached)
  auto store = EmbeddingStore::open_read_only(path());
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(store.status().message().find("version 2"), std::string::npos)
      << store.status().message();
}

TEST_F(EmbeddingStoreTest, ShortOrMissingFileIsReported) {
  auto missing = EmbeddingStore::open(path(), 0);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  std::ofstream(path(), std::ios::binary) << "PXLK";
  auto short_file = EmbeddingStore::open(path(), 0);
  ASSERT_FALSE(short_file.is_ok());
  EXPECT_EQ(short_file.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(short_file.status().message().find("too short"), std::string::npos);
}

TEST_F(EmbeddingStoreTest, SecondWriterIsRefused) {
  make_file(path(), 4, 1);
  auto first = EmbeddingStore::open(path(), 1);
  ASSERT_TRUE(first.is_ok());
  auto second = EmbeddingStore::open(path(), 1);
  ASSERT_FALSE(second.is_ok());
  EXPECT_NE(second.status().message().find("open for writing"), std::string::npos);
  auto reader = EmbeddingStore::open_read_only(path());
  ASSERT_TRUE(reader.is_ok());
  EXPECT_EQ((*reader)->rows(), 1);
  EXPECT_FALSE((*reader)->append(nullptr, nullptr, 0).is_ok());
}

TEST_F(EmbeddingStoreTest, ReadOnlyOpenSeesEveryCompleteRowAndChangesNothing) {
  make_file(path(), 4, 5);
  std::filesystem::resize_file(path(), 512 + 5 * 64 + 10);
  auto store = EmbeddingStore::open_read_only(path());
  ASSERT_TRUE(store.is_ok());
  EXPECT_TRUE(holds_test_rows(**store, 5));
  EXPECT_EQ(std::filesystem::file_size(path()), 512u + 5u * 64u + 10u);
}

TEST_F(EmbeddingStoreTest, CompactKeepsTheRightRowsInOrder) {
  make_file(path(), 6, 10);
  auto store = EmbeddingStore::open(path(), 10);
  ASSERT_TRUE(store.is_ok());
  EmbeddingSnapshot before = (*store)->snapshot();
  std::vector<bool> keep = {true, false, false, true, true, false, true, false, false, true};
  ASSERT_TRUE((*store)->compact(keep).is_ok());
  const std::vector<int64_t> kept_rows = {0, 3, 4, 6, 9};
  auto check = [&](const EmbeddingStore& s) {
    ASSERT_EQ(s.rows(), 5);
    EXPECT_EQ(s.header().generation, 1u);
    for (size_t i = 0; i < kept_rows.size(); ++i) {
      EXPECT_EQ(s.id(static_cast<int64_t>(i)), testing::test_id(kept_rows[i]));
      for (int32_t col = 0; col < 6; ++col)
        EXPECT_EQ(s.vector(static_cast<int64_t>(i))[col], testing::test_value(kept_rows[i], col));
    }
    EXPECT_TRUE(s.verify().is_ok());
  };
  check(**store);
  // A snapshot taken before still shows the old rows (its mapping outlives the rename).
  ASSERT_EQ(before.rows(), 10);
  EXPECT_EQ(before.id(1), testing::test_id(1));
  // Appending after compaction goes on from the kept rows; reopening sees the compacted file.
  auto more = test_rows(10, 1, 6);
  ASSERT_TRUE((*store)->append(more.ids.data(), more.vectors.data(), 1).is_ok());
  ASSERT_TRUE((*store)->sync().is_ok());
  EXPECT_EQ((*store)->id(5), testing::test_id(10));
  store->reset();
  auto reopened = EmbeddingStore::open(path(), 5);  // the catalog committed the compaction only
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  check(**reopened);
  EXPECT_FALSE(std::filesystem::exists(path() + ".tmp"));
  EXPECT_FALSE((*reopened)->compact(std::vector<bool>(3, true)).is_ok());  // wrong size
}

TEST_F(EmbeddingStoreTest, VerifyFindsAFlippedBitInARow) {
  make_file(path(), 16, 6);  // stride 128
  {
    auto store = EmbeddingStore::open_read_only(path());
    ASSERT_TRUE(store.is_ok());
    ASSERT_TRUE((*store)->verify().is_ok());
  }
  flip_byte(path(), 512 + 4 * 128 + 37, 0x10);  // a bit of row 4's vector
  auto store = EmbeddingStore::open_read_only(path());
  ASSERT_TRUE(store.is_ok());  // open does not read rows
  Status status = (*store)->verify();
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("row 4 "), std::string::npos) << status.message();
  EXPECT_NE(status.message().find(path()), std::string::npos);
}

TEST_F(EmbeddingStoreTest, SnapshotStaysValidWhileTheWriterGrowsTheFile) {
  const int32_t dim = 256;  // stride 1088: 1 MiB holds ~960 rows, so 5000 rows force remaps
  auto store = EmbeddingStore::create(path(), test_header(dim));
  ASSERT_TRUE(store.is_ok());
  auto first = test_rows(0, 10, dim);
  ASSERT_TRUE((*store)->append(first.ids.data(), first.vectors.data(), 10).is_ok());
  EmbeddingSnapshot snap = (*store)->snapshot();
  const float* old_vector = snap.vector(3);
  for (int64_t start = 10; start < 5000; start += 499) {
    int64_t n = std::min<int64_t>(499, 5000 - start);
    auto rows = test_rows(start, n, dim);
    ASSERT_TRUE((*store)->append(rows.ids.data(), rows.vectors.data(), n).is_ok());
  }
  EXPECT_EQ(snap.rows(), 10);
  EXPECT_EQ(snap.vector(3), old_vector);
  EXPECT_EQ(snap.vector(3)[7], testing::test_value(3, 7));
  EXPECT_TRUE(holds_test_rows(**store, 5000));
  EmbeddingSnapshot now = (*store)->snapshot();
  EXPECT_EQ(now.rows(), 5000);
  EXPECT_EQ(now.id(4999), testing::test_id(4999));
}

TEST_F(EmbeddingStoreTest, ReaderThreadSeesWholeRowsWhileTheWriterAppends) {
  const int32_t dim = 200;
  auto store = EmbeddingStore::create(path(), test_header(dim));
  ASSERT_TRUE(store.is_ok());
  std::atomic<bool> done{false};
  std::atomic<int64_t> bad_rows{0}, snapshots{0};
  std::thread reader([&] {
    while (!done.load()) {
      EmbeddingSnapshot snap = (*store)->snapshot();  // the only call made off the writer thread
      ++snapshots;
      for (int64_t row = std::max<int64_t>(0, snap.rows() - 3); row < snap.rows(); ++row)
        if (snap.id(row) != testing::test_id(row) ||
            snap.vector(row)[dim - 1] != testing::test_value(row, dim - 1))
          ++bad_rows;
    }
  });
  for (int64_t start = 0; start < 6000; start += 100) {
    auto rows = test_rows(start, 100, dim);
    Status status = (*store)->append(rows.ids.data(), rows.vectors.data(), 100);
    if (!status.is_ok()) {
      ADD_FAILURE() << status.to_string();  // no ASSERT: the reader must be joined first
      break;
    }
  }
  done = true;
  reader.join();
  EXPECT_EQ(bad_rows.load(), 0);
  EXPECT_GT(snapshots.load(), 0);
  EXPECT_TRUE(holds_test_rows(**store, 6000));
}

TEST_F(EmbeddingStoreTest, LargeAppendAcrossRemapsRoundTrips) {
  const int32_t dim = 1280;
  const int64_t n = 10000;  // ~52 MB, several remaps and many 1 MiB writes
  auto store = EmbeddingStore::create(path(), test_header(dim));
  ASSERT_TRUE(store.is_ok());
  for (int64_t start = 0; start < n; start += 2500) {
    auto rows = test_rows(start, 2500, dim);
    ASSERT_TRUE((*store)->append(rows.ids.data(), rows.vectors.data(), 2500).is_ok());
  }
  ASSERT_TRUE((*store)->sync().is_ok());
  EXPECT_TRUE(holds_test_rows(**store, n));
  store->reset();
  auto reopened = EmbeddingStore::open(path(), n);
  ASSERT_TRUE(reopened.is_ok());
  EXPECT_TRUE(holds_test_rows(**reopened, n));
  EXPECT_TRUE((*reopened)->verify().is_ok());
}

}  // namespace
}  // namespace pixlake
