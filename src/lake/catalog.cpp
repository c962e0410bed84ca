#include "lake/catalog.h"

#include "lake/filter_sql.h"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <utility>

namespace pixlake {

namespace {

// Version 1 of the catalog. Columns of `images` are the fields of ImageRecord; tags and user
// metadata live in their own tables so that filters can use indexes. `embeddings` maps each
// image to its row in a model's embedding file; `models.committed_rows` is how many rows of
// that file the catalog vouches for (rows past it are an interrupted batch and are discarded).
constexpr const char* kSchema = R"sql(
CREATE TABLE images(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  format TEXT NOT NULL,
  camera TEXT NOT NULL DEFAULT '',
  taken INTEGER,
  gps_lat REAL,
  gps_lon REAL,
  added INTEGER NOT NULL);
CREATE INDEX images_hash ON images(hash);
CREATE TABLE tags(
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY(image_id, tag)) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags(tag);
CREATE TABLE meta(
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(image_id, key)) WITHOUT ROWID;
CREATE TABLE models(
  name TEXT PRIMARY KEY,
  file TEXT NOT NULL,
  layer TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  dim INTEGER NOT NULL,
  committed_rows INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL);
CREATE TABLE embeddings(
  model TEXT NOT NULL REFERENCES models(name) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  row INTEGER NOT NULL,
  PRIMARY KEY(model, image_id)) WITHOUT ROWID;
CREATE TABLE failures(
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  error TEXT NOT NULL,
  at INTEGER NOT NULL);
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

// Version 2 adds what curation needs: perceptual hashes (computed at ingest, or backfilled by
// `pixlake dups`; stored as the 64 bits reinterpreted as a signed INTEGER) and the user's
// decisions about candidate duplicate pairs (a < b), which later runs respect.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE IF NOT EXISTS image_hashes(
  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  ahash INTEGER NOT NULL,
  dhash INTEGER NOT NULL,
  phash INTEGER NOT NULL,
  phash_mirror INTEGER NOT NULL,
  phash_centre INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dup_verdicts(
  a INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  b INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  duplicate INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY(a, b)) WITHOUT ROWID;
)sql";

constexpr const char* kImageColumns =
    "i.id, i.path, i.hash, i.size, i.width, i.height, i.mtime, i.format, i.camera, i.taken, "
    "i.gps_lat, i.gps_lon, i.added";

ImageRecord read_image_row(const SqlStatement& stmt) {
  ImageRecord record;
  record.id = stmt.column_int(0);
  record.path = stmt.column_text(1);
  record.hash = stmt.column_text(2);
  record.size_bytes = stmt.column_int(3);
  record.width = static_cast<int>(stmt.column_int(4));
  record.height = static_cast<int>(stmt.column_int(5));
  record.mtime = stmt.column_int(6);
  record.format = stmt.column_text(7);
  record.camera = stmt.column_text(8);
  record.taken = stmt.column_optional_int(9);
  record.gps_lat = stmt.column_optional_double(10);
  record.gps_lon = stmt.column_optional_double(11);
  record.added = stmt.column_int(12);
  return record;
}

std::string where_clause(const std::string& where_sql) {
  return where_sql.empty() ? std::string() : " WHERE (" + where_sql + ")";
}

Result<std::vector<ImageRecord>> collect_images(SqlStatement& stmt) {
  std::vector<ImageRecord> records;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) break;
    records.push_back(read_image_row(stmt));
  }
  return records;
}

}  // namespace

Status Catalog::configure() {
  // WAL: readers (search, the server) never block the single writer (ingest), and a commit is
  // one fsync of the log. synchronous=FULL makes each commit durable before it returns, which
  // the embedding files' crash protocol relies on.
  PIXLAKE_RETURN_IF_ERROR(db_.exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"));
  // --where filters compile to SQL that calls pixlake_glob / pixlake_basename / pixlake_ext.
  return register_filter_sql_functions(db_.handle());
}

Result<Catalog> Catalog::create(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    return invalid_argument("catalog: '" + path + "' already exists");
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto db, SqliteDb::open(path, SqliteDb::Mode::kReadWriteCreate));
  Catalog catalog(std::move(db));
  PIXLAKE_RETURN_IF_ERROR(catalog.db_.exec("PRAGMA journal_mode=WAL;"));
  PIXLAKE_RETURN_IF_ERROR(catalog.configure());
  PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
  PIXLAKE_RETURN_IF_ERROR(catalog.db_.exec(kSchema));
  PIXLAKE_RETURN_IF_ERROR(catalog.db_.exec(kSchemaV2));
  PIXLAKE_RETURN_IF_ERROR(
      catalog.db_.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion) + ";"));
  PIXLAKE_RETURN_IF_ERROR(tx.commit());
  return catalog;
}

Result<Catalog> Catalog::open(const std::string& path, bool read_only) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return not_found("catalog: '" + path + "' does not exist (not a lake? run `pixlake init`)");
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto db, SqliteDb::open(path, read_only ? SqliteDb::Mode::kReadOnly
                                                                   : SqliteDb::Mode::kReadWrite));
  Catalog catalog(std::move(db));
  PIXLAKE_RETURN_IF_ERROR(catalog.configure());
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt, catalog.db_.prepare("PRAGMA user_version"));
  PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
  int64_t version = row ? stmt.column_int(0) : 0;
  if (version == 0) {
    return data_loss("catalog: '" + path + "' is not a pixlake catalog (no schema version)");
  }
  if (version > kSchemaVersion) {
    return unsupported("catalog: '" + path + "' has schema version " + std::to_string(version) +
                       "; this pixlake reads up to " + std::to_string(kSchemaVersion));
  }
  if (version < kSchemaVersion && !read_only) {
    // Upgrades only add tables, so an older lake opened read-only stays readable as it is.
    PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
    PIXLAKE_RETURN_IF_ERROR(catalog.db_.exec(kSchemaV2));
    PIXLAKE_RETURN_IF_ERROR(
        catalog.db_.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion) + ";"));
    PIXLAKE_RETURN_IF_ERROR(tx.commit());
  }
  return catalog;
}

Result<std::optional<ImageRecord>> Catalog::find_by_path(const std::string& path) {
  PIXLAKE_ASSIGN_OR_RETURN(auto records,
                           list_images("i.path = ?", std::vector<SqlValue>{SqlValue(path)}));
  if (records.empty()) return std::optional<ImageRecord>();
  return std::optional<ImageRecord>(std::move(records.front()));
}

Result<std::optional<ImageRecord>> Catalog::find_by_id(int64_t id) {
  PIXLAKE_ASSIGN_OR_RETURN(auto records,
                           list_images("i.id = ?", std::vector<SqlValue>{SqlValue(id)}));
  if (records.empty()) return std::optional<ImageRecord>();
  return std::optional<ImageRecord>(std::move(records.front()));
}

Result<std::vector<ImageRecord>> Catalog::find_by_hash(const std::string& hash) {
  return list_images("i.hash = ?", std::vector<SqlValue>{SqlValue(hash)});
}

Result<int64_t> Catalog::insert_image(const ImageRecord& r) {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.prepare("INSERT INTO images(path, hash, size, width, height, mtime, format, camera, "
                  "taken, gps_lat, gps_lon, added) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"));
  stmt.bind(1, r.path).bind(2, r.hash).bind(3, r.size_bytes).bind(4, r.width).bind(5, r.height);
  stmt.bind(6, r.mtime).bind(7, r.format).bind(8, r.camera).bind(9, r.taken);
  stmt.bind(10, r.gps_lat).bind(11, r.gps_lon).bind(12, r.added);
  PIXLAKE_RETURN_IF_ERROR(stmt.run());
  int64_t id = db_.last_insert_id();
  for (const auto& tag : r.tags) PIXLAKE_RETURN_IF_ERROR(add_tag(id, tag));
  for (const auto& [key, value] : r.meta) PIXLAKE_RETURN_IF_ERROR(set_meta(id, key, value));
  return id;
}

Status Catalog::update_location(int64_t id, const std::string& path, const FileStamp& stamp) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare("UPDATE images SET path=?, size=?, mtime=? WHERE id=?"));
  stmt.bind(1, path).bind(2, stamp.size_bytes).bind(3, stamp.mtime).bind(4, id);
  return stmt.run();
}

Status Catalog::update_content(int64_t id, const ImageRecord& r) {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt, db_.prepare("UPDATE images SET path=?, hash=?, size=?, width=?, height=?, "
                             "mtime=?, format=?, camera=?, taken=?, gps_lat=?, gps_lon=? "
                             "WHERE id=?"));
  stmt.bind(1, r.path).bind(2, r.hash).bind(3, r.size_bytes).bind(4, r.width).bind(5, r.height);
  stmt.bind(6, r.mtime).bind(7, r.format).bind(8, r.camera).bind(9, r.taken);
  stmt.bind(10, r.gps_lat).bind(11, r.gps_lon).bind(12, id);
  return stmt.run();
}

Status Catalog::remove_image(int64_t id) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare("DELETE FROM images WHERE id=?"));
  stmt.bind(1, id);
  return stmt.run();
}

Result<int64_t> Catalog::count_images() {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare("SELECT count(*) FROM images"));
  PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
  return row ? stmt.column_int(0) : 0;
}

Status Catalog::load_tags_and_meta(std::vector<ImageRecord>& records) {
  if (records.empty()) return Status::ok();
  std::map<int64_t, ImageRecord*> by_id;
  for (auto& r : records) by_id[r.id] = &r;
  // One pass over each table beats one query per image once the set is large; for a single
  // image the primary-key lookups are just as cheap.
  auto load = [&](const std::string& sql, auto&& apply) -> Status {
    PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare(sql));
    if (records.size() == 1) stmt.bind(1, records.front().id);
    while (true) {
      PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
      if (!row) return Status::ok();
      auto it = by_id.find(stmt.column_int(0));
      if (it != by_id.end()) apply(*it->second, stmt);
    }
  };
  std::string only_one = records.size() == 1 ? " WHERE image_id = ?" : "";
  PIXLAKE_RETURN_IF_ERROR(
      load("SELECT image_id, tag FROM tags" + only_one + " ORDER BY tag",
           [](ImageRecord& r, const SqlStatement& s) { r.tags.push_back(s.column_text(1)); }));
  return load(
      "SELECT image_id, key, value FROM meta" + only_one,
      [](ImageRecord& r, const SqlStatement& s) { r.meta[s.column_text(1)] = s.column_text(2); });
}

Result<std::vector<ImageRecord>> Catalog::list_images(const std::string& where_sql,
                                                      const std::vector<SqlValue>& params) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare(std::string("SELECT ") + kImageColumns + " FROM images i" +
                                       where_clause(where_sql) + " ORDER BY i.id"));
  for (size_t p = 0; p < params.size(); ++p) stmt.bind(static_cast<int>(p + 1), params[p]);
  PIXLAKE_ASSIGN_OR_RETURN(auto records, collect_images(stmt));
  PIXLAKE_RETURN_IF_ERROR(load_tags_and_meta(records));
  return records;
}

Result<std::vector<int64_t>> Catalog::list_ids(const std::string& where_sql,
                                               const std::vector<SqlValue>& params) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare("SELECT i.id FROM images i" +
                                                  where_clause(where_sql) + " ORDER BY i.id"));
  for (size_t p = 0; p < params.size(); ++p) stmt.bind(static_cast<int>(p + 1), params[p]);
  std::vector<int64_t> ids;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) return ids;
    ids.push_back(stmt.column_int(0));
  }
}

Result<std::vector<std::pair<std::string, Catalog::Known>>> Catalog::known_files() {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare("SELECT path, id, size, mtime, hash FROM images"));
  std::vector<std::pair<std::string, Known>> files;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) return files;
    files.emplace_back(stmt.column_text(0),
                       Known{stmt.column_int(1), FileStamp{stmt.column_int(2), stmt.column_int(3)},
                             stmt.column_text(4)});
  }
}

Status Catalog::add_tag(int64_t id, const std::string& tag) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare("INSERT OR IGNORE INTO tags(image_id, tag) VALUES(?,?)"));
  stmt.bind(1, id).bind(2, tag);
  return stmt.run();
}

Status Catalog::remove_tag(int64_t id, const std::string& tag) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare("DELETE FROM tags WHERE image_id=? AND tag=?"));
  stmt.bind(1, id).bind(2, tag);
  return stmt.run();
}

Status Catalog::set_meta(int64_t id, const std::string& key, const std::string& value) {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt, db_.prepare("INSERT OR REPLACE INTO meta(image_id, key, value) VALUES(?,?,?)"));
  stmt.bind(1, id).bind(2, key).bind(3, value);
  return stmt.run();
}

Status Catalog::remove_meta(int64_t id, const std::string& key) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare("DELETE FROM meta WHERE image_id=? AND key=?"));
  stmt.bind(1, id).bind(2, key);
  return stmt.run();
}

Result<std::vector<LakeModel>> Catalog::models() {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt, db_.prepare("SELECT name, file, layer, model_sha256, dim, "
                             "committed_rows, created FROM models ORDER BY created, name"));
  std::vector<LakeModel> models;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) return models;
    models.push_back(LakeModel{stmt.column_text(0), stmt.column_text(1), stmt.column_text(2),
                               stmt.column_text(3), static_cast<int>(stmt.column_int(4)),
                               stmt.column_int(5), stmt.column_int(6)});
  }
}

Result<std::optional<LakeModel>> Catalog::find_model(const std::string& name) {
  PIXLAKE_ASSIGN_OR_RETURN(auto all, models());
  for (auto& m : all) {
    if (m.name == name) return std::optional<LakeModel>(std::move(m));
  }
  return std::optional<LakeModel>();
}

Status Catalog::insert_model(const LakeModel& m) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare("INSERT INTO models(name, file, layer, model_sha256, dim, "
                                       "committed_rows, created) VALUES(?,?,?,?,?,?,?)"));
  stmt.bind(1, m.name).bind(2, m.file).bind(3, m.layer).bind(4, m.model_sha256);
  stmt.bind(5, m.dim).bind(6, m.committed_rows).bind(7, m.created);
  return stmt.run();
}

Status Catalog::set_committed_rows(const std::string& model, int64_t rows) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare("UPDATE models SET committed_rows=? WHERE name=?"));
  stmt.bind(1, rows).bind(2, model);
  return stmt.run();
}

Status Catalog::set_embedding_row(const std::string& model, int64_t image_id, int64_t row) {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.prepare("INSERT OR REPLACE INTO embeddings(model, image_id, row) VALUES(?,?,?)"));
  stmt.bind(1, model).bind(2, image_id).bind(3, row);
  return stmt.run();
}

Status Catalog::remove_embedding(const std::string& model, int64_t image_id) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare("DELETE FROM embeddings WHERE model=? AND image_id=?"));
  stmt.bind(1, model).bind(2, image_id);
  return stmt.run();
}

Result<std::vector<std::pair<int64_t, int64_t>>> Catalog::embedding_rows(
    const std::string& model, const std::string& where_sql, const std::vector<SqlValue>& params) {
  std::string sql =
      "SELECT e.row, e.image_id FROM embeddings e JOIN images i ON i.id = e.image_id "
      "WHERE e.model = ?";
  if (!where_sql.empty()) sql += " AND (" + where_sql + ")";
  sql += " ORDER BY e.row";
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare(sql));
  stmt.bind(1, model);
  for (size_t p = 0; p < params.size(); ++p) stmt.bind(static_cast<int>(p + 2), params[p]);
  std::vector<std::pair<int64_t, int64_t>> rows;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) return rows;
    rows.emplace_back(stmt.column_int(0), stmt.column_int(1));
  }
}

Result<std::optional<int64_t>> Catalog::embedding_row(const std::string& model, int64_t image_id) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare("SELECT row FROM embeddings WHERE model=? AND image_id=?"));
  stmt.bind(1, model).bind(2, image_id);
  PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(stmt.column_int(0));
}

Result<std::vector<int64_t>> Catalog::images_without_embedding(const std::string& model) {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.prepare("SELECT i.id FROM images i WHERE NOT EXISTS (SELECT 1 FROM "
                  "embeddings e WHERE e.model = ? AND e.image_id = i.id) ORDER BY i.id"));
  stmt.bind(1, model);
  std::vector<int64_t> ids;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) return ids;
    ids.push_back(stmt.column_int(0));
  }
}

Status Catalog::record_failure(const IngestFailure& f) {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt, db_.prepare("INSERT OR REPLACE INTO failures(path, size, mtime, error, at) "
                             "VALUES(?,?,?,?,?)"));
  stmt.bind(1, f.path).bind(2, f.size_bytes).bind(3, f.mtime).bind(4, f.error).bind(5, f.at);
  return stmt.run();
}

Status Catalog::clear_failure(const std::string& path) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare("DELETE FROM failures WHERE path=?"));
  stmt.bind(1, path);
  return stmt.run();
}

Result<std::vector<IngestFailure>> Catalog::failures() {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt, db_.prepare("SELECT path, size, mtime, error, at FROM failures ORDER BY path"));
  std::vector<IngestFailure> out;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) return out;
    out.push_back(IngestFailure{stmt.column_text(0), stmt.column_int(1), stmt.column_int(2),
                                stmt.column_text(3), stmt.column_int(4)});
  }
}

Result<std::optional<std::string>> Catalog::setting(const std::string& key) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare("SELECT value FROM settings WHERE key=?"));
  stmt.bind(1, key);
  PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(stmt.column_text(0));
}

Status Catalog::set_setting(const std::string& key, const std::string& value) {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES(?,?)"));
  stmt.bind(1, key).bind(2, value);
  return stmt.run();
}

Result<std::vector<std::string>> Catalog::check() {
  std::vector<std::string> problems;
  auto collect = [&](const std::string& sql, const std::string& what) -> Status {
    PIXLAKE_ASSIGN_OR_RETURN(auto stmt, db_.prepare(sql));
    while (true) {
      PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
      if (!row) return Status::ok();
      std::string text = stmt.column_text(0);
      if (text != "ok") problems.push_back(what + text);
    }
  };
  PIXLAKE_RETURN_IF_ERROR(collect("PRAGMA integrity_check", "sqlite integrity: "));
  PIXLAKE_RETURN_IF_ERROR(collect("PRAGMA foreign_key_check", "foreign key violation in table "));
  PIXLAKE_RETURN_IF_ERROR(
      collect("SELECT 'model ' || e.model || ': image ' || e.image_id || ' has row ' || e.row || "
              "' but only ' || m.committed_rows || ' rows are committed' FROM embeddings e "
              "JOIN models m ON m.name = e.model WHERE e.row >= m.committed_rows OR e.row < 0",
              ""));
  PIXLAKE_RETURN_IF_ERROR(collect(
      "SELECT 'model ' || model || ': row ' || row || ' is used by ' || count(*) || ' images' "
      "FROM embeddings GROUP BY model, row HAVING count(*) > 1",
      ""));
  return problems;
}

}  // namespace pixlake
