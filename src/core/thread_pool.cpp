#include "core/thread_pool.h"

namespace pixlake {
namespace {

// Set while this thread runs a piece of some pool's job: a nested run() from inside a piece
// (an operator of an image the pool is running) computes inline instead of trying the busy
// lock its own caller may hold.
thread_local bool in_piece = false;

struct PieceScope {
  bool previous = in_piece;
  PieceScope() { in_piece = true; }
  ~PieceScope() { in_piece = previous; }
};

}  // namespace

// Spins before sleeping (a job start or end seen while spinning skips the futex round trip):
// about half a millisecond of pause instructions. On this VM a sleeping vCPU is woken through
// the hypervisor; with a 50 us spin MobileNetV2 on 2 threads ran at 10-15 ms (often slower
// than one thread), with this one at 5.6 ms every time.
constexpr int kSpins = 20000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

ThreadPool::ThreadPool(int n_threads) {
  for (int i = 1; i < n_threads; ++i) workers_.emplace_back([this] { work_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::take_pieces() {
  PieceScope scope;
  for (int64_t i = next_.fetch_add(1); i < n_; i = next_.fetch_add(1)) (*piece_)(i);
}

void ThreadPool::work_loop() {
  int64_t seen = 0;
  while (true) {
    int64_t generation = generation_.load(std::memory_order_acquire);
    for (int spin = 0; generation == seen && !stop_.load(std::memory_order_acquire); ++spin) {
      if (spin >= kSpins) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_.load() || generation_.load() != seen; });
        generation = generation_.load(std::memory_order_acquire);
        break;
      }
      cpu_relax();
      generation = generation_.load(std::memory_order_acquire);
    }
    if (stop_.load()) return;
    seen = generation;
    take_pieces();
    if (active_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);
      finished_.notify_one();
    }
  }
}

void ThreadPool::run(int64_t n, const std::function<void(int64_t)>& piece) {
  if (in_piece || workers_.empty() || n <= 1) {
    for (int64_t i = 0; i < n; ++i) piece(i);
    return;
  }
  std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
  if (!busy.owns_lock()) {
    for (int64_t i = 0; i < n; ++i) piece(i);
    return;
  }
  piece_ = &piece;
  n_ = n;
  next_.store(0);
  active_.store(static_cast<int>(workers_.size()));
  {
    // Under the mutex: a worker about to sleep checks the generation while holding it.
    std::lock_guard<std::mutex> lock(mutex_);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  take_pieces();
  for (int spin = 0; active_.load(std::memory_order_acquire) != 0; ++spin) {
    if (spin >= kSpins) {
      std::unique_lock<std::mutex> lock(mutex_);
      finished_.wait(lock, [&] { return active_.load() == 0; });
      break;
    }
    cpu_relax();
  }
  piece_ = nullptr;
}

}  // namespace pixlake
