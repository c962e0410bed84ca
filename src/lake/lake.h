// A lake is a directory: LAKE/catalog.sqlite (the catalog), LAKE/embeddings/<model>.pxe (one
// embedding file per model) and LAKE/write.lock (held by the one process that writes).
//
//   auto lake = Lake::open("photos.lake", Lake::Access::kWrite);
//   ingest(**lake, {"~/Pictures"}, options);
//
// Many readers may open a lake while one writer ingests; readers see only committed work.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "lake/catalog.h"
#include "lake/embedding_store.h"
#include "pixlake/status.h"

namespace pixlake {

class Lake {
 public:
  enum class Access { kRead, kWrite };

  // Creates LAKE (the directory may exist but must not already hold a lake) with `default_model`
  // recorded as the model used when none is named.
  static Status init(const std::string& dir, const std::string& default_model);
  // Opens an existing lake. kWrite takes the writer lock and fails fast if another process
  // holds it; it also discards embedding rows past the catalog's committed count (left by an
  // interrupted ingest).
  static Result<std::unique_ptr<Lake>> open(const std::string& dir, Access access);
  ~Lake();
  Lake(const Lake&) = delete;
  Lake& operator=(const Lake&) = delete;

  const std::string& dir() const { return dir_; }
  Access access() const { return access_; }
  Catalog& catalog() { return catalog_; }

  // The model named by the user, or the lake's default when `name` is empty.
  Result<std::string> resolve_model_name(const std::string& name);
  // The embedding file of a model of the lake (opened on first use). NotFound when the lake has
  // no embeddings for that model.
  Result<EmbeddingStore*> store(const std::string& model);
  // Registers a model in the lake and creates its empty embedding file (writer only).
  Status add_model(const std::string& model, const std::string& layer, int dim,
                   const std::string& model_sha256);

 private:
  Lake(std::string dir, Access access, Catalog catalog, int lock_fd)
      : dir_(std::move(dir)), access_(access), catalog_(std::move(catalog)), lock_fd_(lock_fd) {}

  std::string dir_;
  Access access_;
  Catalog catalog_;
  int lock_fd_ = -1;
  std::map<std::string, std::unique_ptr<EmbeddingStore>> stores_;
};

// Paths inside a lake.
std::string lake_catalog_path(const std::string& dir);
std::string lake_embedding_path(const std::string& dir, const std::string& model);

}  // namespace pixlake
