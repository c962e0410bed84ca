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

ThreadPool::ThreadPool(int n_threads) {
  for (int i = 1; i < n_threads; ++i) workers_.emplace_back([this] { work_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
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
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    take_pieces();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--active_ == 0) finished_.notify_one();
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
  {
    std::lock_guard<std::mutex> lock(mutex_);
    piece_ = &piece;
    n_ = n;
    next_.store(0);
    active_ = static_cast<int>(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  take_pieces();
  std::unique_lock<std::mutex> lock(mutex_);
  finished_.wait(lock, [&] { return active_ == 0; });
  piece_ = nullptr;
}

}  // namespace pixlake
