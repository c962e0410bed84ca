#include "lake/sqlite_db.h"

#include <utility>

namespace pixlake {

namespace {

Status status_from_code(int code, const std::string& message) {
  switch (code) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return data_loss(message);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_PERM: return io_error(message);
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG: return invalid_argument(message);
    default: return internal_error(message);
  }
}

}  // namespace

SqlStatement::SqlStatement(SqlStatement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      what_(std::move(other.what_)),
      bind_error_(other.bind_error_) {}

SqlStatement::~SqlStatement() { sqlite3_finalize(stmt_); }

SqlStatement& SqlStatement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqlStatement& SqlStatement::bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqlStatement& SqlStatement::bind(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqlStatement& SqlStatement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqlStatement& SqlStatement::bind(int index, const SqlValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return bind(index, *i);
  if (const auto* d = std::get_if<double>(&value)) return bind(index, *d);
  return bind(index, std::get<std::string>(value));
}

Result<bool> SqlStatement::step() {
  if (bind_error_ != SQLITE_OK) {
    return status_from_code(bind_error_, std::string("sqlite: cannot bind a parameter of '") +
                                             what_ + "': " + sqlite3_errstr(bind_error_));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return status_from_code(rc,
                          std::string("sqlite: '") + what_ + "' failed: " + sqlite3_errmsg(db_));
}

Status SqlStatement::run() {
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, step());
    if (!row) return Status::ok();
  }
}

void SqlStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

bool SqlStatement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t SqlStatement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

double SqlStatement::column_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string SqlStatement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<int64_t> SqlStatement::column_optional_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int(column);
}

std::optional<double> SqlStatement::column_optional_double(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_double(column);
}

Result<SqliteDb> SqliteDb::open(const std::string& path, Mode mode) {
  SqliteDb db;
  db.path_ = path;
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::kReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db.db_ ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc);
    return status_from_code(rc, "sqlite: cannot open '" + path + "': " + message);
  }
  sqlite3_extended_result_codes(db.db_, 0);
  // Another process (a server reading while `add` writes) may hold the lock briefly.
  sqlite3_busy_timeout(db.db_, 10000);
  return db;
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Status SqliteDb::exec(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::ok();
  std::string text = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return status_from_code(rc, "sqlite: " + path_ + ": " + text);
}

Result<SqlStatement> SqliteDb::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return status_from_code(
        rc, "sqlite: " + path_ + ": cannot prepare '" + sql + "': " + sqlite3_errmsg(db_));
  }
  return SqlStatement(db_, stmt, sql);
}

int64_t SqliteDb::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int64_t SqliteDb::changes() const { return sqlite3_changes64(db_); }

Status SqliteDb::error(const std::string& what) const {
  return status_from_code(sqlite3_errcode(db_),
                          "sqlite: " + path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

Result<SqlTransaction> SqlTransaction::begin(SqliteDb& db) {
  PIXLAKE_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  return SqlTransaction(&db);
}

SqlTransaction::~SqlTransaction() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Status SqlTransaction::commit() {
  PIXLAKE_RETURN_IF_ERROR(db_->exec("COMMIT"));
  db_ = nullptr;
  return Status::ok();
}

}  // namespace pixlake
