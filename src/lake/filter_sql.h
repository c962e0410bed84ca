// Turns a compiled --where filter into a SQL condition over the catalog, so SQLite does the
// filtering. Matches filter_matches() exactly (tests/lake/test_filter_sql.cpp checks this on
// random records and expressions).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "lake/filter.h"
#include "lake/sqlite_db.h"
#include "pixlake/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pixlake {

// A boolean SQL expression and the values for its `?` placeholders, in order. User data only
// ever travels in `params`.
struct SqlFragment {
  std::string sql;
  std::vector<SqlValue> params;
};

// The condition over `images` aliased `i` (with subqueries on `tags` and `meta`), e.g.
//   SELECT i.id FROM images i WHERE <sql>
// It is never NULL: 1 or 0 for every row. It calls the functions that
// register_filter_sql_functions installs.
SqlFragment filter_to_sql(const Filter& filter);

// Registers pixlake_basename(path), pixlake_ext(path) and pixlake_glob(pattern, text) on a
// connection: deterministic functions built on the same code as filter_matches.
Status register_filter_sql_functions(sqlite3* db);

// Binds `params` to placeholders first_index, first_index + 1, ... of a prepared statement.
Status bind_sql_params(sqlite3_stmt* statement, const std::vector<SqlValue>& params,
                       int first_index = 1);

}  // namespace pixlake
