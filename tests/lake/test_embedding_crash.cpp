// The ingest protocol under kill -9: a child appends and syncs batches and reports each synced
// row count through a pipe (standing in for the catalog commit); the parent kills it at a random
// moment, then reopens with the last count it was told. Whatever the child was doing (mid-write,
// mid-sync, between the two), the reopened file must hold exactly the committed rows.
// SIGKILL leaves the page cache intact, so this checks the file protocol, not power loss.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "embedding_test_util.h"

namespace pixlake {
namespace {

using testing::EmbeddingStoreTest;
using testing::holds_test_rows;
using testing::test_rows;

constexpr int32_t kDim = 96;  // stride 448: batches are not page-aligned, so tears fall mid-row
constexpr int64_t kBatch = 13;

// The child: append + sync batches forever, reporting each committed count. Never returns.
[[noreturn]] void run_writer(const std::string& path, int64_t committed, int report_fd) {
  auto store = EmbeddingStore::open(path, committed);
  if (!store.is_ok()) _exit(2);
  for (int64_t next = committed;; next += kBatch) {
    auto rows = test_rows(next, kBatch, kDim);
    if (!(*store)->append(rows.ids.data(), rows.vectors.data(), kBatch).is_ok()) _exit(3);
    if (!(*store)->sync().is_ok()) _exit(4);
    const int64_t count = next + kBatch;
    if (::write(report_fd, &count, sizeof count) != sizeof count) _exit(5);
  }
}

// Reads every count the child reported; returns the last, or `committed` if there was none.
// Writes of 8 bytes to a pipe are atomic, so counts never arrive split.
int64_t last_reported(int fd, int64_t committed) {
  int64_t count;
  while (::read(fd, &count, sizeof count) == sizeof count) committed = count;
  return committed;
}

TEST_F(EmbeddingStoreTest, KilledWriterLosesOnlyUncommittedRows) {
  ASSERT_TRUE(EmbeddingStore::create(path(), testing::test_header(kDim)).is_ok());
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> delay_us(0, 30000);
  int64_t committed = 0;
  int rounds_with_a_tail = 0;
  for (int round = 0; round < 20; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      run_writer(path(), committed, fds[1]);
    }
    ::close(fds[1]);
    ::usleep(static_cast<useconds_t>(delay_us(rng)));
    ::kill(pid, SIGKILL);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
        << "round " << round << ": the writer stopped by itself, exit code "
        << (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    committed = last_reported(fds[0], committed);
    ::close(fds[0]);

    const auto stride = embedding_row_layout(kDim, EmbeddingDType::kF32).stride;
    if (std::filesystem::file_size(path()) > 512 + static_cast<uint64_t>(committed) * stride)
      ++rounds_with_a_tail;
    auto store = EmbeddingStore::open(path(), committed);
    ASSERT_TRUE(store.is_ok()) << "round " << round << ": " << store.status().to_string();
    ASSERT_TRUE(holds_test_rows(**store, committed)) << "round " << round;
    ASSERT_TRUE((*store)->verify().is_ok()) << "round " << round;
  }
  EXPECT_GT(committed, 0) << "the writer never committed a batch in 20 rounds";
  RecordProperty("committed_rows", static_cast<int>(committed));
  RecordProperty("rounds_with_uncommitted_tail", rounds_with_a_tail);
}

}  // namespace
}  // namespace pixlake
