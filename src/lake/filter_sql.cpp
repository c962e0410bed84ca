#include "lake/filter_sql.h"

#include <sqlite3.h>

#include <string_view>

#include "lake/glob_match.h"
#include "lake/path_parts.h"

namespace pixlake {
namespace {

static_assert(kLabelTagPrefix.size() == 6, "scalar_sql(kLabel) skips 6 characters");

// The SQL for a single-valued field's value; NULL where filter_matches sees it missing.
const char* scalar_sql(FilterField field) {
  switch (field) {
    case FilterField::kId: return "i.id";
    case FilterField::kPath: return "i.path";
    case FilterField::kName: return "pixlake_basename(i.path)";
    case FilterField::kExt: return "pixlake_ext(i.path)";
    case FilterField::kFormat: return "i.format";
    case FilterField::kHash: return "i.hash";
    case FilterField::kSize: return "i.size";
    case FilterField::kWidth: return "i.width";
    case FilterField::kHeight: return "i.height";
    case FilterField::kPixels: return "(i.width * i.height)";
    case FilterField::kAspect: return "(CAST(i.width AS REAL) / i.height)";  // x / 0 is NULL
    case FilterField::kMtime: return "i.mtime";
    case FilterField::kTaken: return "i.taken";
    case FilterField::kAdded: return "i.added";
    case FilterField::kCamera: return "NULLIF(i.camera, '')";
    case FilterField::kLat: return "i.gps_lat";
    case FilterField::kLon: return "i.gps_lon";
    case FilterField::kTag: return "ft.tag";
    case FilterField::kLabel: return "substr(ft.tag, 7)";  // after "label:", ASCII: 6 chars
    case FilterField::kMeta: return "fm.value";
  }
  return "NULL";
}

// Tags starting with "label:" are exactly those in ["label:", "label;"): an index range.
const std::string& label_range_sql() {
  static const std::string sql = [] {
    std::string upper(kLabelTagPrefix);
    upper.back() = static_cast<char>(upper.back() + 1);
    return " AND ft.tag >= '" + std::string(kLabelTagPrefix) + "' AND ft.tag < '" + upper + "'";
  }();
  return sql;
}

class SqlWriter {
 public:
  SqlFragment take() { return std::move(out_); }

  void node(const FilterNode& n) {
    switch (n.kind) {
      case FilterNode::Kind::kAnd: balanced(n.children, 0, n.children.size(), " AND "); return;
      case FilterNode::Kind::kOr: balanced(n.children, 0, n.children.size(), " OR "); return;
      case FilterNode::Kind::kNot:
        out_.sql += "(NOT ";
        node(n.children.at(0));
        out_.sql += ")";
        return;
      case FilterNode::Kind::kIsNull: is_null(n); return;
      case FilterNode::Kind::kCompare: compare(n); return;
    }
  }

 private:
  // Long AND/OR chains are written as balanced trees: SQLite refuses expressions deeper than
  // 1000, and a 4 KiB filter can hold more terms than that.
  void balanced(const std::vector<FilterNode>& items, size_t begin, size_t end, const char* op) {
    if (end - begin == 1) {
      node(items[begin]);
      return;
    }
    size_t mid = begin + (end - begin) / 2;
    out_.sql += "(";
    balanced(items, begin, mid, op);
    out_.sql += op;
    balanced(items, mid, end, op);
    out_.sql += ")";
  }

  void tests(const std::vector<FilterTest>& items, size_t begin, size_t end, const char* value) {
    if (end - begin == 1) {
      test(items[begin], value);
      return;
    }
    size_t mid = begin + (end - begin) / 2;
    out_.sql += "(";
    tests(items, begin, mid, value);
    out_.sql += " OR ";
    tests(items, mid, end, value);
    out_.sql += ")";
  }

  void test(const FilterTest& t, const char* value) {
    using Op = FilterTest::Op;
    std::string v(value);
    switch (t.op) {
      case Op::kEq: out_.sql += v + " = ?"; break;
      case Op::kLt: out_.sql += v + " < ?"; break;
      case Op::kLe: out_.sql += v + " <= ?"; break;
      case Op::kGt: out_.sql += v + " > ?"; break;
      case Op::kGe: out_.sql += v + " >= ?"; break;
      case Op::kGlob: out_.sql += "pixlake_glob(?, " + v + ")"; break;
      case Op::kInRange:
        out_.sql += "(" + v + " >= ? AND " + v + " < ?)";
        out_.params.push_back(t.value);
        out_.params.emplace_back(std::in_place_type<int64_t>, t.upper);
        return;
    }
    out_.params.push_back(t.value);
  }

  void any_test(const FilterNode& n) {
    out_.sql += "(";
    tests(n.tests, 0, n.tests.size(), scalar_sql(n.field));
    out_.sql += ")";
  }

  void open_tags_subquery(const FilterNode& n) {
    out_.sql += "EXISTS (SELECT 1 FROM tags ft WHERE ft.image_id = i.id";
    if (n.field == FilterField::kLabel) out_.sql += label_range_sql();
  }

  void open_meta_subquery(const FilterNode& n) {
    out_.sql += "EXISTS (SELECT 1 FROM meta fm WHERE fm.image_id = i.id AND fm.key = ?";
    out_.params.push_back(n.meta_key);
  }

  void compare(const FilterNode& n) {
    const FieldInfo& info = field_info(n.field);
    if (info.multi) {
      // Some tag passes; negated: no tag passes.
      out_.sql += n.negated ? "(NOT " : "(";
      open_tags_subquery(n);
      out_.sql += " AND ";
      any_test(n);
      out_.sql += "))";
    } else if (n.field == FilterField::kMeta) {
      // The key exists and its value passes (negated: fails); value is NOT NULL.
      out_.sql += "(";
      open_meta_subquery(n);
      out_.sql += n.negated ? " AND NOT " : " AND ";
      any_test(n);
      out_.sql += "))";
    } else if (info.nullable) {
      // A NULL value makes the test NULL; COALESCE turns that into false, negated or not.
      out_.sql += n.negated ? "COALESCE(NOT " : "COALESCE(";
      any_test(n);
      out_.sql += ", 0)";
    } else {
      if (n.negated) out_.sql += "(NOT ";
      any_test(n);
      if (n.negated) out_.sql += ")";
    }
  }

  void is_null(const FilterNode& n) {
    const FieldInfo& info = field_info(n.field);
    if (info.multi || n.field == FilterField::kMeta) {
      out_.sql += n.negated ? "(" : "(NOT ";
      if (info.multi) {
        open_tags_subquery(n);
      } else {
        open_meta_subquery(n);
      }
      out_.sql += "))";
      return;
    }
    out_.sql +=
        "(" + std::string(scalar_sql(n.field)) + (n.negated ? " IS NOT NULL)" : " IS NULL)");
  }

  SqlFragment out_;
};

std::string_view text_arg(sqlite3_value* value) {
  const unsigned char* text = sqlite3_value_text(value);  // before _bytes, as SQLite advises
  int bytes = sqlite3_value_bytes(value);
  if (!text) return {};
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(bytes)};
}

void sql_basename(sqlite3_context* context, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(context);
  std::string_view name = path_file_name(text_arg(argv[0]));
  sqlite3_result_text(context, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
}

void sql_ext(sqlite3_context* context, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(context);
  std::string ext = path_extension(text_arg(argv[0]));
  sqlite3_result_text(context, ext.data(), static_cast<int>(ext.size()), SQLITE_TRANSIENT);
}

void sql_glob(sqlite3_context* context, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    return sqlite3_result_null(context);
  }
  sqlite3_result_int(context, glob_match(text_arg(argv[0]), text_arg(argv[1])) ? 1 : 0);
}

}  // namespace

SqlFragment filter_to_sql(const Filter& filter) {
  SqlWriter writer;
  writer.node(filter.root());
  return writer.take();
}

Status register_filter_sql_functions(sqlite3* db) {
  struct Function {
    const char* name;
    int n_args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  for (const Function& f :
       {Function{"pixlake_basename", 1, sql_basename}, Function{"pixlake_ext", 1, sql_ext},
        Function{"pixlake_glob", 2, sql_glob}}) {
    int rc = sqlite3_create_function_v2(db, f.name, f.n_args, flags, nullptr, f.fn, nullptr,
                                        nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return internal_error(std::string("sqlite: cannot register ") + f.name +
                            "(): " + sqlite3_errmsg(db));
    }
  }
  return Status::ok();
}

Status bind_sql_params(sqlite3_stmt* statement, const std::vector<SqlValue>& params,
                       int first_index) {
  for (size_t k = 0; k < params.size(); ++k) {
    int index = first_index + static_cast<int>(k);
    const SqlValue& p = params[k];
    int rc;
    if (auto* i = std::get_if<int64_t>(&p)) {
      rc = sqlite3_bind_int64(statement, index, *i);
    } else if (auto* d = std::get_if<double>(&p)) {
      rc = sqlite3_bind_double(statement, index, *d);
    } else {
      const std::string& s = std::get<std::string>(p);
      rc = sqlite3_bind_text64(statement, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) {
      return internal_error("sqlite: cannot bind parameter " + std::to_string(index) + ": " +
                            sqlite3_errstr(rc));
    }
  }
  return Status::ok();
}

}  // namespace pixlake
