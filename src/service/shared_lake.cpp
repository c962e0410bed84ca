#include "service/shared_lake.h"

namespace pixlake {

namespace {

// The sum of the committed rows of every model, and the number of models: grows whenever rows
// are committed or a model is added.
Result<int64_t> embedding_generation(Lake& lake) {
  PIXLAKE_ASSIGN_OR_RETURN(auto models, lake.catalog().models());
  int64_t generation = static_cast<int64_t>(models.size());
  for (const auto& m : models) generation += m.committed_rows << 8;
  return generation;
}

}  // namespace

SharedLake::ReaderLease::~ReaderLease() {
  if (owner_ != nullptr && lake_ != nullptr) owner_->give_back(std::move(lake_), generation_);
}

Result<std::unique_ptr<SharedLake>> SharedLake::open(const std::string& dir, bool writable) {
  std::unique_ptr<SharedLake> shared(new SharedLake(dir));
  if (writable) {
    PIXLAKE_ASSIGN_OR_RETURN(shared->writer_, Lake::open(dir, Lake::Access::kWrite));
  }
  // Open one reader now so that a lake that cannot be read fails at start, not per request.
  PIXLAKE_ASSIGN_OR_RETURN(auto first, shared->fresh_reader());
  return shared;
}

Result<SharedLake::ReaderLease> SharedLake::fresh_reader() {
  PIXLAKE_ASSIGN_OR_RETURN(auto lake, Lake::open(dir_, Lake::Access::kRead));
  // A reader lives for many requests: let SQLite map the catalog (no read() copies) and keep
  // more of it cached than the default 2 MB.
  PIXLAKE_RETURN_IF_ERROR(
      lake->catalog().db().exec("PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16384;"));
  PIXLAKE_ASSIGN_OR_RETURN(int64_t generation, embedding_generation(*lake));
  return ReaderLease(this, std::move(lake), generation);
}

Result<SharedLake::ReaderLease> SharedLake::reader() {
  IdleReader idle;
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      idle = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (idle.lake != nullptr) {
    PIXLAKE_ASSIGN_OR_RETURN(int64_t now, embedding_generation(*idle.lake));
    if (now == idle.generation) return ReaderLease(this, std::move(idle.lake), idle.generation);
    // Behind the catalog: its mappings may not cover the committed rows. Dropped here.
  }
  return fresh_reader();
}

Result<SharedLake::WriterLease> SharedLake::writer() {
  if (writer_ == nullptr) return unsupported("the lake is open read-only");
  std::unique_lock<std::mutex> lock(writer_mutex_);
  return WriterLease(std::move(lock), writer_.get());
}

void SharedLake::give_back(std::unique_ptr<Lake> lake, int64_t generation) {
  std::lock_guard<std::mutex> lock(readers_mutex_);
  idle_readers_.push_back(IdleReader{std::move(lake), generation});
}

}  // namespace pixlake
