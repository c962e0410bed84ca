// An in-memory SQLite database with the catalog schema, for checking filter_to_sql against
// filter_matches on the same records.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <string>
#include <vector>

#include "lake/filter_sql.h"
#include "lake/image_record.h"

namespace pixlake::testing {

inline constexpr const char* kCatalogSchema = R"sql(
CREATE TABLE images(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, hash TEXT NOT NULL,
  size INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, mtime INTEGER NOT NULL,
  format TEXT NOT NULL, camera TEXT NOT NULL DEFAULT '', taken INTEGER, gps_lat REAL,
  gps_lon REAL, added INTEGER NOT NULL);
CREATE TABLE tags(image_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY(image_id, tag))
  WITHOUT ROWID;
CREATE TABLE meta(image_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(image_id, key)) WITHOUT ROWID;
)sql";

class CatalogTestDb {
 public:
  CatalogTestDb() {
    EXPECT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, kCatalogSchema, nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    Status st = register_filter_sql_functions(db_);
    EXPECT_TRUE(st.is_ok()) << st.message();
  }
  ~CatalogTestDb() { sqlite3_close(db_); }
  CatalogTestDb(const CatalogTestDb&) = delete;
  CatalogTestDb& operator=(const CatalogTestDb&) = delete;

  sqlite3* db() { return db_; }

  void insert(const ImageRecord& r) {
    std::vector<SqlValue> row = {r.id,         r.path,           r.hash,
                                 r.size_bytes, int64_t{r.width}, int64_t{r.height},
                                 r.mtime,      r.format,         r.camera};
    std::string sql =
        "INSERT INTO images(id, path, hash, size, width, height, mtime, format, camera, taken, "
        "gps_lat, gps_lon, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt* st = prepare(sql);
    ASSERT_TRUE(bind_sql_params(st, row).is_ok());
    if (r.taken) sqlite3_bind_int64(st, 10, *r.taken);
    if (r.gps_lat) sqlite3_bind_double(st, 11, *r.gps_lat);
    if (r.gps_lon) sqlite3_bind_double(st, 12, *r.gps_lon);
    sqlite3_bind_int64(st, 13, r.added);
    step_done(st);
    for (const std::string& tag : r.tags) {
      st = prepare("INSERT INTO tags(image_id, tag) VALUES (?, ?)");
      ASSERT_TRUE(bind_sql_params(st, {r.id, tag}).is_ok());
      step_done(st);
    }
    for (const auto& [key, value] : r.meta) {
      st = prepare("INSERT INTO meta(image_id, key, value) VALUES (?, ?, ?)");
      ASSERT_TRUE(bind_sql_params(st, {r.id, key, value}).is_ok());
      step_done(st);
    }
  }

  // Ids of the images the fragment selects; fails the test when SQLite refuses the query.
  std::set<int64_t> select_ids(const SqlFragment& where) {
    std::set<int64_t> ids;
    sqlite3_stmt* st = prepare("SELECT i.id FROM images i WHERE " + where.sql);
    if (!st) return ids;
    Status bound = bind_sql_params(st, where.params);
    EXPECT_TRUE(bound.is_ok()) << bound.message();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) ids.insert(sqlite3_column_int64(st, 0));
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db_) << "\n" << where.sql;
    sqlite3_finalize(st);
    return ids;
  }

 private:
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &st, nullptr);
    EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db_) << "\n" << sql;
    return st;
  }
  void step_done(sqlite3_stmt* st) {
    EXPECT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db_);
    sqlite3_finalize(st);
  }

  sqlite3* db_ = nullptr;
};

}  // namespace pixlake::testing
