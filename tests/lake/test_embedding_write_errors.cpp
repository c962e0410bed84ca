// A write that fails half way (disk full) must leave the file as it was: no half row, no
// changed header, rows() unchanged, and the store still usable.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>

#include "embedding_test_util.h"

namespace pixlake {
namespace {

using testing::EmbeddingStoreTest;
using testing::holds_test_rows;
using testing::test_rows;

// Lowers this process's file size limit so that writes past `bytes` fail with EFBIG, the way a
// full disk fails them with ENOSPC (both take the same path). Restored on destruction.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);  // else the kernel kills us instead of EFBIG
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit lowered = old_;
    lowered.rlim_cur = bytes;
    ok_ = ::setrlimit(RLIMIT_FSIZE, &lowered) == 0;
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }
  bool ok() const { return ok_; }

 private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
  bool ok_ = false;
};

TEST_F(EmbeddingStoreTest, FailedAppendLeavesFileAndRowsUnchanged) {
  const int32_t dim = 64;  // stride 320
  auto store = EmbeddingStore::create(path(), testing::test_header(dim));
  ASSERT_TRUE(store.is_ok());
  auto rows = test_rows(0, 100, dim);
  ASSERT_TRUE((*store)->append(rows.ids.data(), rows.vectors.data(), 3).is_ok());
  const auto size_before = std::filesystem::file_size(path());
  Status status;
  {
    // Room for 2.5 more rows: the 5-row append below lands partly, then fails.
    FileSizeLimit limit(size_before + 800);
    ASSERT_TRUE(limit.ok());
    status = (*store)->append(rows.ids.data() + 3, rows.vectors.data() + 3 * dim, 5);
  }
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_NE(status.message().find(path()), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("EFBIG"), std::string::npos) << status.message();
  EXPECT_EQ((*store)->rows(), 3);
  EXPECT_EQ(std::filesystem::file_size(path()), size_before);

  // The store carries on: the same rows append fine once there is room.
  ASSERT_TRUE((*store)->append(rows.ids.data() + 3, rows.vectors.data() + 3 * dim, 5).is_ok());
  ASSERT_TRUE((*store)->sync().is_ok());
  store->reset();
  auto reopened = EmbeddingStore::open(path(), 8);
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  EXPECT_TRUE(holds_test_rows(**reopened, 8));
  EXPECT_TRUE((*reopened)->verify().is_ok());
}

TEST_F(EmbeddingStoreTest, FailedCompactLeavesTheOriginalInPlace) {
  const int32_t dim = 64;
  auto store = EmbeddingStore::create(path(), testing::test_header(dim));
  ASSERT_TRUE(store.is_ok());
  auto rows = test_rows(0, 10, dim);
  ASSERT_TRUE((*store)->append(rows.ids.data(), rows.vectors.data(), 10).is_ok());
  ASSERT_TRUE((*store)->sync().is_ok());
  Status status;
  {
    FileSizeLimit limit(1000);  // the new file cannot even hold 2 rows
    ASSERT_TRUE(limit.ok());
    status = (*store)->compact(std::vector<bool>(10, true));
  }
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find(path() + ".tmp"), std::string::npos) << status.message();
  EXPECT_FALSE(std::filesystem::exists(path() + ".tmp"));
  EXPECT_TRUE(holds_test_rows(**store, 10));
  EXPECT_EQ((*store)->header().generation, 0u);
  store->reset();
  auto reopened = EmbeddingStore::open(path(), 10);
  ASSERT_TRUE(reopened.is_ok());
  EXPECT_TRUE(holds_test_rows(**reopened, 10));
}

}  // namespace
}  // namespace pixlake
