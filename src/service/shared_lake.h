// One lake shared by the threads of a server: each request borrows a reader (its own Lake and
// SQLite connection, so searches run in parallel; WAL lets readers and the writer work at the
// same time) or the one writer (a Lake opened for writing, one borrower at a time).
//
// A reader maps the embedding files when it first uses them, so rows committed later (by the
// writer, or by `pixlake add` beside a read-only server) lie beyond its mapping. Each time a
// reader is lent, the catalog's committed row counts are compared with those it was opened at;
// a reader that is behind is replaced by a fresh one.
//
//   auto shared = SharedLake::open(dir, /*writable=*/true);
//   auto reader = (*shared)->reader();   // ReaderLease: (*reader)->catalog() ...
//   auto writer = (*shared)->writer();   // Unsupported when opened read-only
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lake/lake.h"
#include "pixlake/status.h"

namespace pixlake {

class SharedLake {
 public:
  class ReaderLease {
   public:
    ReaderLease(SharedLake* owner, std::unique_ptr<Lake> lake, int64_t generation)
        : owner_(owner), lake_(std::move(lake)), generation_(generation) {}
    ReaderLease(ReaderLease&&) = default;
    ReaderLease& operator=(ReaderLease&&) = delete;
    ~ReaderLease();
    Lake& operator*() { return *lake_; }
    Lake* operator->() { return lake_.get(); }

   private:
    SharedLake* owner_;
    std::unique_ptr<Lake> lake_;
    int64_t generation_;
  };

  class WriterLease {
   public:
    WriterLease(std::unique_lock<std::mutex> lock, Lake* lake)
        : lock_(std::move(lock)), lake_(lake) {}
    Lake& operator*() { return *lake_; }
    Lake* operator->() { return lake_; }

   private:
    std::unique_lock<std::mutex> lock_;
    Lake* lake_;
  };

  // Opens the lake; `writable` takes the writer lock now (fails if another process writes).
  static Result<std::unique_ptr<SharedLake>> open(const std::string& dir, bool writable);

  const std::string& dir() const { return dir_; }
  bool writable() const { return writer_ != nullptr; }

  // A reader for the calling thread (opened on demand, reused afterwards). Thread-safe.
  Result<ReaderLease> reader();
  // The writer, exclusive while the lease lives. Unsupported when the lake was opened
  // read-only. Thread-safe.
  Result<WriterLease> writer();

 private:
  struct IdleReader {
    std::unique_ptr<Lake> lake;
    int64_t generation;  // committed embedding rows (all models) when it was opened
  };
  explicit SharedLake(std::string dir) : dir_(std::move(dir)) {}
  void give_back(std::unique_ptr<Lake> lake, int64_t generation);
  Result<ReaderLease> fresh_reader();

  std::string dir_;
  std::mutex readers_mutex_;
  std::vector<IdleReader> idle_readers_;
  std::mutex writer_mutex_;
  std::unique_ptr<Lake> writer_;
};

}  // namespace pixlake
