#include "service/shared_lake.h"

namespace pixlake {

SharedLake::ReaderLease::~ReaderLease() {
  if (owner_ != nullptr && lake_ != nullptr) owner_->give_back(std::move(lake_));
}

Result<std::unique_ptr<SharedLake>> SharedLake::open(const std::string& dir, bool writable) {
  std::unique_ptr<SharedLake> shared(new SharedLake(dir));
  if (writable) {
    PIXLAKE_ASSIGN_OR_RETURN(shared->writer_, Lake::open(dir, Lake::Access::kWrite));
  }
  // Open one reader now so that a lake that cannot be read fails at start, not per request.
  PIXLAKE_ASSIGN_OR_RETURN(auto first, Lake::open(dir, Lake::Access::kRead));
  shared->idle_readers_.push_back(std::move(first));
  return shared;
}

Result<SharedLake::ReaderLease> SharedLake::reader() {
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto lake = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(this, std::move(lake));
    }
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto lake, Lake::open(dir_, Lake::Access::kRead));
  return ReaderLease(this, std::move(lake));
}

Result<SharedLake::WriterLease> SharedLake::writer() {
  if (writer_ == nullptr) return unsupported("the lake is open read-only");
  std::unique_lock<std::mutex> lock(writer_mutex_);
  return WriterLease(std::move(lock), writer_.get());
}

void SharedLake::give_back(std::unique_ptr<Lake> lake) {
  std::lock_guard<std::mutex> lock(readers_mutex_);
  idle_readers_.push_back(std::move(lake));
}

}  // namespace pixlake
