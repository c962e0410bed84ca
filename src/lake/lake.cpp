#include "lake/lake.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace pixlake {

namespace {

constexpr const char* kDefaultModelSetting = "default_model";

// A model name becomes a file name: keep it to a safe alphabet so that no name can escape the
// embeddings folder.
bool is_safe_model_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || name[0] == '.') return false;
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string lake_catalog_path(const std::string& dir) { return dir + "/catalog.sqlite"; }

std::string lake_embedding_path(const std::string& dir, const std::string& model) {
  return dir + "/embeddings/" + model + ".pxe";
}

Status Lake::init(const std::string& dir, const std::string& default_model) {
  if (!is_safe_model_name(default_model)) {
    return invalid_argument("init: model name '" + default_model + "' is not a valid name");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir + "/embeddings", ec);
  if (ec) return io_error("init: cannot create '" + dir + "': " + ec.message());
  if (std::filesystem::exists(lake_catalog_path(dir))) {
    return invalid_argument("init: '" + dir + "' already holds a lake");
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto catalog, Catalog::create(lake_catalog_path(dir)));
  return catalog.set_setting(kDefaultModelSetting, default_model);
}

Result<std::unique_ptr<Lake>> Lake::open(const std::string& dir, Access access) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return not_found("lake '" + dir + "' does not exist (create it with: pixlake init " + dir +
                     ")");
  }
  if (::stat(lake_catalog_path(dir).c_str(), &st) != 0) {
    return not_found("'" + dir +
                     "' is not a lake (no catalog.sqlite; create it with: pixlake init)");
  }
  int lock_fd = -1;
  if (access == Access::kWrite) {
    std::string lock_path = dir + "/write.lock";
    lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd < 0) {
      return io_error("lake '" + dir + "': cannot open " + lock_path + ": " + std::strerror(errno));
    }
    // flock is released by the kernel when the process dies, so a kill -9 never leaves a
    // stale lock behind.
    if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(lock_fd);
      return io_error("lake '" + dir + "' is being written by another pixlake process");
    }
  }
  auto catalog = Catalog::open(lake_catalog_path(dir), access == Access::kRead);
  if (!catalog.is_ok()) {
    if (lock_fd >= 0) ::close(lock_fd);
    return catalog.status();
  }
  std::unique_ptr<Lake> lake(new Lake(dir, access, std::move(catalog).value(), lock_fd));
  if (access == Access::kWrite) {
    // Opening every store now truncates what an interrupted ingest left past the committed rows.
    PIXLAKE_ASSIGN_OR_RETURN(auto models, lake->catalog_.models());
    for (const auto& m : models) PIXLAKE_RETURN_IF_ERROR(lake->store(m.name).status());
  }
  return lake;
}

Lake::~Lake() {
  stores_.clear();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Result<std::string> Lake::resolve_model_name(const std::string& name) {
  if (!name.empty()) return name;
  PIXLAKE_ASSIGN_OR_RETURN(auto value, catalog_.setting(kDefaultModelSetting));
  if (!value) return not_found("lake '" + dir_ + "' has no default model; pass --model");
  return *value;
}

Result<EmbeddingStore*> Lake::store(const std::string& model) {
  auto it = stores_.find(model);
  if (it != stores_.end()) return it->second.get();
  PIXLAKE_ASSIGN_OR_RETURN(auto info, catalog_.find_model(model));
  if (!info) {
    return not_found("lake '" + dir_ + "' has no embeddings for model '" + model +
                     "' (add them with: pixlake add " + dir_ + " --model " + model + ")");
  }
  std::string path = dir_ + "/" + info->file;
  auto opened = access_ == Access::kWrite ? EmbeddingStore::open(path, info->committed_rows)
                                          : EmbeddingStore::open_read_only(path);
  if (!opened.is_ok()) return opened.status();
  if (opened.value()->dim() != info->dim) {
    return data_loss("lake '" + dir_ + "': " + path + " holds " +
                     std::to_string(opened.value()->dim()) + "-d rows but the catalog says " +
                     std::to_string(info->dim));
  }
  EmbeddingStore* raw = opened.value().get();
  stores_[model] = std::move(opened).value();
  return raw;
}

Status Lake::add_model(const std::string& model, const std::string& layer, int dim,
                       const std::string& model_sha256) {
  if (access_ != Access::kWrite) return internal_error("add_model needs write access");
  if (!is_safe_model_name(model)) {
    return invalid_argument("model name '" + model + "' is not a valid file name");
  }
  LakeModel info{model, "embeddings/" + model + ".pxe",       layer, model_sha256, dim,
                 0,     static_cast<int64_t>(::time(nullptr))};
  std::string path = dir_ + "/" + info.file;
  // A file left by a crash between creating it and committing the catalog row is replaced.
  std::error_code ec;
  std::filesystem::remove(path, ec);
  EmbeddingStoreHeader header;
  header.model = model;
  header.layer = layer;
  header.dim = dim;
  PIXLAKE_ASSIGN_OR_RETURN(auto created, EmbeddingStore::create(path, header));
  PIXLAKE_RETURN_IF_ERROR(created->sync());
  PIXLAKE_RETURN_IF_ERROR(catalog_.insert_model(info));
  stores_[model] = std::move(created);
  return Status::ok();
}

}  // namespace pixlake
