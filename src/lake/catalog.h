// The lake's catalog: a SQLite database holding what the lake knows about each image (path,
// content hash, size, pixel size, EXIF fields, tags, user metadata), the models embedded in the
// lake and which embedding row belongs to which image, and the files that failed to ingest.
//
// The catalog is the source of truth for crash safety: an embedding row exists for the lake
// only once the transaction that records it has committed (see docs/file_formats.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "curate/perceptual_hash.h"
#include "lake/image_record.h"
#include "lake/sqlite_db.h"
#include "pixlake/status.h"

namespace pixlake {

// What a model embedded in the lake is: its registry name (or file), the layer, the vector size
// and how many rows of its embedding file are committed.
struct LakeModel {
  std::string name;
  std::string file;  // embedding file, relative to the lake directory
  std::string layer;
  std::string model_sha256;
  int dim = 0;
  int64_t committed_rows = 0;
  int64_t created = 0;
};

struct IngestFailure {
  std::string path;
  int64_t size_bytes = 0;
  int64_t mtime = 0;
  std::string error;
  int64_t at = 0;
};

// The fields of a file the scanner saw, to decide whether it changed since the last ingest.
struct FileStamp {
  int64_t size_bytes = 0;
  int64_t mtime = 0;
};

class Catalog {
 public:
  static constexpr int kSchemaVersion = 2;

  // Creates the schema in a new database file (fails if it exists).
  static Result<Catalog> create(const std::string& path);
  // Opens an existing catalog; refuses files from a newer pixlake (schema version).
  static Result<Catalog> open(const std::string& path, bool read_only = false);

  SqliteDb& db() { return db_; }
  const std::string& path() const { return db_.path(); }

  Result<SqlTransaction> begin() { return SqlTransaction::begin(db_); }

  // Images.
  Result<std::optional<ImageRecord>> find_by_path(const std::string& path);
  Result<std::optional<ImageRecord>> find_by_id(int64_t id);
  Result<std::vector<ImageRecord>> find_by_hash(const std::string& hash);
  // Inserts `record` (its id is ignored) and returns the new id.
  Result<int64_t> insert_image(const ImageRecord& record);
  // Updates path, size and mtime (a moved or touched file) keeping id, tags and metadata.
  Status update_location(int64_t id, const std::string& path, const FileStamp& stamp);
  // Replaces the content fields (a file whose bytes changed) keeping id, tags and metadata.
  Status update_content(int64_t id, const ImageRecord& record);
  Status remove_image(int64_t id);
  Result<int64_t> count_images();
  // All images with their tags and metadata, ordered by id. `where_sql` (a boolean SQL
  // expression over alias `i`) and its parameters restrict the set when not empty.
  Result<std::vector<ImageRecord>> list_images(const std::string& where_sql = "",
                                               const std::vector<SqlValue>& params = {});
  Result<std::vector<int64_t>> list_ids(const std::string& where_sql = "",
                                        const std::vector<SqlValue>& params = {});
  // Path -> (id, size, mtime) for every image, for the scanner's unchanged-file test.
  struct Known {
    int64_t id;
    FileStamp stamp;
    std::string hash;
  };
  Result<std::vector<std::pair<std::string, Known>>> known_files();

  // Tags and metadata.
  Status add_tag(int64_t id, const std::string& tag);
  Status remove_tag(int64_t id, const std::string& tag);
  // (tag, images) for every tag starting with `prefix`, most images first.
  Result<std::vector<std::pair<std::string, int64_t>>> tag_counts_with_prefix(
      const std::string& prefix);
  // Removes every tag of the image that starts with `prefix` (e.g. "label:", "cluster:").
  Status remove_tags_with_prefix(int64_t id, const std::string& prefix);
  Status set_meta(int64_t id, const std::string& key, const std::string& value);
  Status remove_meta(int64_t id, const std::string& key);

  // Models and embedding rows.
  Result<std::vector<LakeModel>> models();
  Result<std::optional<LakeModel>> find_model(const std::string& name);
  Status insert_model(const LakeModel& model);
  Status set_committed_rows(const std::string& model, int64_t rows);
  Status set_embedding_row(const std::string& model, int64_t image_id, int64_t row);
  Status remove_embedding(const std::string& model, int64_t image_id);
  // (row, image_id) of every live embedding of `model`, optionally restricted by a filter.
  Result<std::vector<std::pair<int64_t, int64_t>>> embedding_rows(
      const std::string& model, const std::string& where_sql = "",
      const std::vector<SqlValue>& params = {});
  Result<std::optional<int64_t>> embedding_row(const std::string& model, int64_t image_id);
  // Ids of images that have no embedding for `model`.
  Result<std::vector<int64_t>> images_without_embedding(const std::string& model);

  // Failures (files that could not be ingested), keyed by path.
  Status record_failure(const IngestFailure& failure);
  Status clear_failure(const std::string& path);
  Result<std::vector<IngestFailure>> failures();

  // Settings (default model, ...).
  Result<std::optional<std::string>> setting(const std::string& key);
  Status set_setting(const std::string& key, const std::string& value);

  // Perceptual hashes (catalog_curation.cpp). images_without_hashes lists ids needing a backfill.
  Status set_hashes(int64_t id, const PerceptualHashes& hashes);
  Result<std::vector<std::pair<int64_t, PerceptualHashes>>> all_hashes();
  Result<std::vector<int64_t>> images_without_hashes();
  // The user's decision about a candidate duplicate pair (order of a and b does not matter).
  Status set_dup_verdict(int64_t a, int64_t b, bool duplicate);
  struct DupVerdict {
    int64_t a = 0;  // a < b
    int64_t b = 0;
    bool duplicate = false;
  };
  Result<std::vector<DupVerdict>> dup_verdicts();

  // SQLite's own integrity check plus pixlake's invariants (every embedding row points to an
  // image, rows below the committed count, tags of existing images). Problems are listed.
  Result<std::vector<std::string>> check();

 private:
  explicit Catalog(SqliteDb db) : db_(std::move(db)) {}
  Status configure();
  Status load_tags_and_meta(std::vector<ImageRecord>& records);
  SqliteDb db_;
};

}  // namespace pixlake
