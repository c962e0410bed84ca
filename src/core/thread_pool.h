// A fixed set of worker threads for one engine's intra-op parallelism: an operator splits its
// work into n pieces and run() hands them to the workers and the calling thread, returning when
// all are done. Between jobs workers spin for about half a millisecond, then sleep: a network runs
// a hundred operators of 0.1 ms one after another, and waking a sleeping thread through the
// kernel for each cost more than the work it was handed (MobileNetV2 gained nothing from a
// second thread). run() is not reentrant: a second caller (Engine::run
// is thread-safe, so two threads may infer at once) runs its pieces inline rather than wait, so
// several engines or callers never oversubscribe the cores through one pool; so does a run()
// from inside a piece (an engine running whole images on the pool, whose operators would
// otherwise split their work again).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pixlake {

class ThreadPool {
 public:
  // n_threads counts the caller: n_threads - 1 workers are started.
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Calls piece(i) for every i in [0, n), spread over the pool; returns when all have run.
  void run(int64_t n, const std::function<void(int64_t)>& piece);

 private:
  void work_loop();
  void take_pieces();

  std::vector<std::thread> workers_;
  std::mutex busy_;  // held by the caller of run() for the duration of a job
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable finished_;
  // Written by run() before it publishes the job through generation_.
  const std::function<void(int64_t)>* piece_ = nullptr;
  int64_t n_ = 0;
  std::atomic<int64_t> next_{0};
  std::atomic<int64_t> generation_{0};  // bumped (under mutex_) for every job
  std::atomic<int> active_{0};          // workers still inside the current job
  std::atomic<bool> stop_{false};
};

// Calls body(begin, end) over [0, n) split into at most pool->size() contiguous ranges of at
// least `grain` items (one range, inline, without a pool or below that): for element-wise and
// row-wise operators, whose results do not depend on the split.
template <typename Body>
void parallel_ranges(ThreadPool* pool, int64_t n, int64_t grain, Body&& body) {
  if (n <= 0) return;
  const int64_t by_grain = n / (grain > 0 ? grain : 1);
  const int64_t pieces =
      pool == nullptr ? 1 : std::max<int64_t>(1, std::min<int64_t>(by_grain, pool->size()));
  if (pieces <= 1) {
    body(int64_t{0}, n);
    return;
  }
  const int64_t per = (n + pieces - 1) / pieces;
  pool->run(pieces, [&](int64_t piece) {
    const int64_t begin = piece * per;
    const int64_t end = std::min(n, begin + per);
    if (begin < end) body(begin, end);
  });
}

}  // namespace pixlake
