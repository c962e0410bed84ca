// The lake operations shared by the CLI and the HTTP server: search, tag, remove, sync,
// check, export, info. Each takes an open Lake and plain request structs and returns data;
// printing is the caller's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lake/exact_search.h"
#include "lake/lake.h"
#include "pixlake/status.h"
#include "service/index_cache.h"

namespace pixlake {

struct SearchRequest {
  std::string model;          // empty: the lake's default
  std::string image_file;     // query by an image file (decoded and embedded now)
  std::optional<int64_t> id;  // or by an image of the lake
  std::string path;           // or by the path of an image of the lake
  std::vector<float> vector;  // or by a query vector already embedded with the model (uploads)
  int k = 20;
  std::string where;  // filter expression (docs/filters.md); empty: everything
};

struct SearchResult {
  int64_t id;
  float score;
  std::string path;
};

// `indexes`, when given, keeps the lake's index open between calls (a server); without it the
// index is opened for this search.
Result<std::vector<SearchResult>> search_lake(Lake& lake, const SearchRequest& request,
                                              LakeIndexCache* indexes = nullptr);

// Image ids matching a filter expression (all images when empty). Errors carry the position.
Result<std::vector<int64_t>> select_images(Lake& lake, const std::string& where);

struct TagChange {
  std::vector<std::string> add;
  std::vector<std::string> remove;
};
// Applies the change to every image matching `where`, in one transaction. Returns how many
// images matched.
Result<int64_t> tag_images(Lake& lake, const std::string& where, const TagChange& change);

struct MetaChange {
  std::vector<std::pair<std::string, std::string>> set;  // key -> value
  std::vector<std::string> unset;
};
// Sets / removes user metadata on every image matching `where`, in one transaction. Keys use
// [A-Za-z0-9_.-] (so that `meta.KEY` works in filters). Returns how many images matched.
Result<int64_t> set_image_meta(Lake& lake, const std::string& where, const MetaChange& change);

// Removes the images matching `where` from the catalog (their embedding rows become dead and
// are dropped by a later compaction). Files on disk are never touched. Returns the count.
Result<int64_t> remove_images(Lake& lake, const std::string& where);

struct SyncReport {
  int64_t checked = 0;
  int64_t missing = 0;  // files gone from disk
  int64_t removed = 0;  // of those, removed from the catalog (or tagged "missing")
};
// Looks for images whose file is gone: removes them, or tags them "missing" when
// `keep_missing`.
Result<SyncReport> sync_lake(Lake& lake, bool keep_missing);

// `pixlake check`: SQLite integrity, catalog invariants, every embedding file's header and
// row checksums and its agreement with the catalog. Empty means healthy.
Result<std::vector<std::string>> check_lake(Lake& lake);

struct LakeInfo {
  std::string dir;
  int64_t images = 0;
  int64_t failures = 0;
  std::string default_model;
  struct Model {
    LakeModel model;
    int64_t embedded = 0;  // live rows
  };
  std::vector<Model> models;
  int64_t catalog_bytes = 0;
  int64_t embedding_bytes = 0;
  std::vector<std::pair<std::string, int64_t>> formats;  // format -> count
  std::vector<std::pair<std::string, int64_t>> top_tags;
};
Result<LakeInfo> lake_info(Lake& lake);

enum class ExportFormat { kNpy, kCsv };
// Writes the embeddings of `model` for the images matching `where`: .npy ([N, D] float32) with
// OUT.ids.txt / OUT.paths.txt beside it, or one CSV (id, path, v0..vD-1). Returns the row count.
Result<int64_t> export_embeddings(Lake& lake, const std::string& model, const std::string& where,
                                  ExportFormat format, const std::string& out_path);

}  // namespace pixlake
