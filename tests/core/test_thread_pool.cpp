// ThreadPool: every piece runs exactly once per job, over many back-to-back jobs (the spin /
// sleep hand-over between them), with nested runs (inline), two concurrent callers, and jobs
// spaced so that the workers fall asleep in between.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/thread_pool.h"

namespace pixlake {
namespace {

TEST(ThreadPool, EveryPieceOnceOverManyShortJobs) {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> hits(64);
  for (int job = 0; job < 20000; ++job) {
    const int64_t n = 1 + job % 64;
    pool.run(n, [&](int64_t i) { hits[static_cast<size_t>(i)].fetch_add(1); });
  }
  int64_t total = 0;
  for (auto& h : hits) total += h.load();
  int64_t want = 0;
  for (int job = 0; job < 20000; ++job) want += 1 + job % 64;
  EXPECT_EQ(total, want);
}

TEST(ThreadPool, WorkersWakeUpAfterSleeping) {
  ThreadPool pool(2);
  for (int job = 0; job < 5; ++job) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // past the spin: workers sleep
    std::atomic<int> count{0};
    pool.run(100, [&](int64_t) { count.fetch_add(1); });
    EXPECT_EQ(count.load(), 100);
  }
}

TEST(ThreadPool, NestedAndConcurrentRunsComplete) {
  ThreadPool pool(2);
  std::atomic<int> inner{0};
  pool.run(4, [&](int64_t) { pool.run(3, [&](int64_t) { inner.fetch_add(1); }); });
  EXPECT_EQ(inner.load(), 12);
  std::atomic<int> a{0}, b{0};
  std::thread other([&] {
    for (int job = 0; job < 2000; ++job) pool.run(8, [&](int64_t) { a.fetch_add(1); });
  });
  for (int job = 0; job < 2000; ++job) pool.run(8, [&](int64_t) { b.fetch_add(1); });
  other.join();
  EXPECT_EQ(a.load(), 16000);
  EXPECT_EQ(b.load(), 16000);
}

TEST(ThreadPool, ParallelRangesCoverEachIndexOnce) {
  ThreadPool pool(3);
  for (int64_t n : {0, 1, 5, 100, 100000}) {
    std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
    parallel_ranges(&pool, n, 7, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
    });
    for (auto& h : hits) ASSERT_EQ(h.load(), 1) << "n = " << n;
  }
}

}  // namespace
}  // namespace pixlake
