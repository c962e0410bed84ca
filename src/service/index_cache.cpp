#include "service/index_cache.h"

#include <sys/stat.h>

#include "lake/lake_index.h"

namespace pixlake {

Result<std::shared_ptr<const Index>> LakeIndexCache::get(const Lake& lake,
                                                         const std::string& model) {
  const std::string path = lake_index_path(lake.dir(), model);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::shared_ptr<const Index>();
  Entry now;
  now.device = static_cast<uint64_t>(st.st_dev);
  now.inode = static_cast<uint64_t>(st.st_ino);
  now.size = static_cast<int64_t>(st.st_size);
  now.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(path);
  if (it != entries_.end() && it->second.device == now.device && it->second.inode == now.inode &&
      it->second.size == now.size && it->second.mtime_ns == now.mtime_ns) {
    return it->second.index;
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto opened, open_lake_index(lake, model, /*verify=*/false));
  now.index = std::shared_ptr<const Index>(std::move(opened));
  entries_[path] = now;
  return now.index;
}

}  // namespace pixlake
