// Lake indexes kept open between searches. Opening an index reads its file (milliseconds for a
// Caltech-sized lake), which dominated a server's search by id; a server answers many searches
// per index file, so it keeps the opened index and opens it again only when the file is
// replaced (indexes are saved by rename, so a new file has a new inode).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "lake/lake.h"
#include "pixlake/index.h"

namespace pixlake {

class LakeIndexCache {
 public:
  // The index of `model` in `lake` (nullptr when the lake has none), from the cache when the
  // file is the one it was opened from. Thread-safe; Index::search may run concurrently.
  Result<std::shared_ptr<const Index>> get(const Lake& lake, const std::string& model);

 private:
  struct Entry {
    uint64_t device = 0;
    uint64_t inode = 0;
    int64_t size = 0;
    int64_t mtime_ns = 0;
    std::shared_ptr<const Index> index;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;  // by index file path
};

}  // namespace pixlake
