// A thin RAII layer over SQLite: open a database, run statements with bound parameters, read
// columns, group work in transactions. Every failure becomes a Status that names the database
// file and the statement's purpose; nothing here throws.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

// A value bound to a `?` placeholder (NULLs are bound with bind_null).
using SqlValue = std::variant<int64_t, double, std::string>;

class SqliteDb;

// A prepared statement. Bind with 1-based indexes, then step() until it returns false.
class SqlStatement {
 public:
  SqlStatement(SqlStatement&& other) noexcept;
  SqlStatement& operator=(SqlStatement&&) = delete;
  SqlStatement(const SqlStatement&) = delete;
  ~SqlStatement();

  SqlStatement& bind(int index, int64_t value);
  SqlStatement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  SqlStatement& bind(int index, double value);
  SqlStatement& bind(int index, std::string_view value);
  SqlStatement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  SqlStatement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  SqlStatement& bind_null(int index);
  SqlStatement& bind(int index, const SqlValue& value);
  template <typename T>
  SqlStatement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // True while a row is available; false when done. Errors are returned through `status`.
  Result<bool> step();
  // Runs to completion, ignoring rows.
  Status run();
  void reset();

  bool is_null(int column) const;
  int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::optional<int64_t> column_optional_int(int column) const;
  std::optional<double> column_optional_double(int column) const;

 private:
  friend class SqliteDb;
  SqlStatement(sqlite3* db, sqlite3_stmt* stmt, std::string what)
      : db_(db), stmt_(stmt), what_(std::move(what)) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string what_;  // the SQL text, for messages
  int bind_error_ = SQLITE_OK;
};

class SqliteDb {
 public:
  enum class Mode { kReadWrite, kReadWriteCreate, kReadOnly };
  static Result<SqliteDb> open(const std::string& path, Mode mode);
  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;
  SqliteDb(const SqliteDb&) = delete;
  ~SqliteDb();

  // Runs one or more statements without parameters.
  Status exec(const std::string& sql);
  Result<SqlStatement> prepare(const std::string& sql);
  int64_t last_insert_id() const;
  int64_t changes() const;
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }

  // An error Status for the last failure on this connection, prefixed by `what`.
  Status error(const std::string& what) const;

 private:
  SqliteDb() = default;
  sqlite3* db_ = nullptr;
  std::string path_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless commit() succeeded.
class SqlTransaction {
 public:
  static Result<SqlTransaction> begin(SqliteDb& db);
  SqlTransaction(SqlTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqlTransaction(const SqlTransaction&) = delete;
  ~SqlTransaction();
  Status commit();

 private:
  explicit SqlTransaction(SqliteDb* db) : db_(db) {}
  SqliteDb* db_;
};

}  // namespace pixlake
