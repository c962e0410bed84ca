// filter_to_sql must select exactly the images filter_matches accepts. The property test runs
// random well-typed expressions over random records (odd paths, tags, metadata, missing values)
// through both and compares the id sets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>
#include <random>
#include <set>

#include "catalog_test_db.h"
#include "lake/filter.h"
#include "lake/filter_parser.h"
#include "lake/filter_sql.h"
#include "lake/path_parts.h"

namespace pixlake {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kBaseTime = 1682899200;  // 2023-05-01 00:00:00 UTC

// Strings that stress quoting, globbing and byte order: quotes, backslashes, glob and LIKE
// characters, UTF-8, bytes that are not UTF-8, case.
const std::vector<std::string> kWords = {
    "cat",         "Cat", "dog", "it's", "say \"hi\"", "back\\slash",
    "caf\xc3\xa9", "a*b", "q?",  "[x]",  "%_",         "\xff\xfe",
    "UPPER",       "x.y", "",    "a b"};
const std::vector<std::string> kTags = {"cat",
                                        "Cat",
                                        "dog",
                                        "label:cat",
                                        "label:tabby",
                                        "label:",
                                        "label:golden retriever",
                                        "label:caf\xc3\xa9",
                                        "a*b",
                                        "it's",
                                        "",
                                        "x\\y",
                                        "\xff",
                                        "labelx",
                                        "label;",
                                        "outdoor"};
const std::vector<std::string> kMetaKeys = {"rating", "author", "x.y", "a-b"};
const std::vector<std::string> kMetaValues = {"", "5", "10", "2", "O'Brien", "caf\xc3\xa9", "a*b"};
const std::vector<std::string> kExtensions = {".jpg", ".JPG",    ".png", ".jpeg",
                                              "",     ".tar.gz", ".",    ".Ext"};
const std::vector<std::string> kFormats = {"jpeg", "png", "webp", "gif"};
const std::vector<std::string> kCameras = {"Canon EOS R5", "Pixel 7", "NIKON D750", "it's \"odd\"",
                                           "caf\xc3\xa9 cam"};
const std::vector<std::string> kGlobs = {
    "*",          "*.jpg", "*.JPG", "*a*",  "?at", "[cC]*",   "[!c]*", "*[*]*", "label:*",
    "*\xc3\xa9*", "caf?",  "*'*",   "*\\*", "",    "*[a-f]?", "[]x]*", "*/*/*", "/*"};
const std::vector<int> kDimensions = {0, 1, 2, 3, 100, 480, 640, 1000, 1080, 1920, 3000, 4000};
const std::vector<double> kCoordinates = {0.0, 48.8566, -33.5, 10.0, 10.5, 90.0, -180.0, 2.3522};

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(engine_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(engine_) < p; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(uniform(0, static_cast<int>(items.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

ImageRecord random_record(Random& rng, int64_t id) {
  ImageRecord r;
  r.id = id;
  r.path = "";
  for (int k = rng.uniform(0, 2); k >= 0; --k) r.path += "/" + rng.pick(kWords);
  r.path += "/" + (rng.chance(0.1) ? std::string(".hidden") : rng.pick(kWords)) + "_" +
            std::to_string(id) + rng.pick(kExtensions);
  static const char kHex[] = "abc0";
  for (int k = 0; k < 2; ++k) r.hash += kHex[rng.uniform(0, 3)];
  const std::vector<int64_t> sizes = {
      0, 10, 1023, 1024, 1025, 512000, 1 << 20, (1 << 20) + 1, 5 << 20, rng.uniform(0, 10 << 20)};
  r.size_bytes = rng.pick(sizes);
  r.width = rng.pick(kDimensions);
  r.height = rng.pick(kDimensions);
  const std::vector<int64_t> seconds = {0, 1, 43200, kDay - 1, rng.uniform(0, kDay - 1)};
  auto random_time = [&] { return kBaseTime + rng.uniform(-3, 3) * kDay + rng.pick(seconds); };
  r.mtime = random_time();
  r.added = random_time();
  if (rng.chance(0.7)) r.taken = random_time();
  r.format = rng.pick(kFormats);
  if (rng.chance(0.7)) r.camera = rng.pick(kCameras);
  auto coordinate = [&]() -> std::optional<double> {
    if (rng.chance(0.3)) return std::nullopt;
    if (rng.chance(0.05)) return std::numeric_limits<double>::quiet_NaN();
    if (rng.chance(0.7)) return rng.pick(kCoordinates);
    return rng.uniform(-18000000, 18000000) / 100000.0;
  };
  r.gps_lat = coordinate();
  r.gps_lon = coordinate();
  std::set<std::string> tags;
  for (int k = rng.uniform(0, 4); k > 0; --k) tags.insert(rng.pick(kTags));
  r.tags.assign(tags.begin(), tags.end());
  for (int k = rng.uniform(0, 3); k > 0; --k) r.meta[rng.pick(kMetaKeys)] = rng.pick(kMetaValues);
  return r;
}

std::string quote(Random& rng, const std::string& s) {
  char q = rng.chance(0.5) ? '\'' : '"';
  std::string out(1, q);
  for (char c : s) {
    if (c == q || c == '\\') out += '\\';
    out += c;
  }
  return out + q;
}

std::string format_time(int64_t t, bool date_only) {
  time_t tt = static_cast<time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, date_only ? "%Y-%m-%d" : "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string keyword(Random& rng, std::string word) {
  if (rng.chance(0.3)) {
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return word;
}

std::string format_double(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

class ExpressionGenerator {
 public:
  ExpressionGenerator(Random& rng, const std::vector<ImageRecord>& records)
      : rng_(rng), records_(records) {}

  std::string expression(int depth) {
    if (depth == 0 || rng_.chance(0.35)) return predicate();
    switch (rng_.uniform(0, 3)) {
      case 0:
        return expression(depth - 1) + " " + keyword(rng_, "AND") + " " + expression(depth - 1);
      case 1:
        return expression(depth - 1) + " " + keyword(rng_, "OR") + " " + expression(depth - 1);
      case 2: return keyword(rng_, "NOT") + " " + expression(depth - 1);
      default: return "(" + expression(depth - 1) + ")";
    }
  }

 private:
  const ImageRecord& some_record() { return rng_.pick(records_); }

  // A comparison: operator, then one value (or a list for IN).
  std::string compare(const std::string& field, bool ordered, bool glob,
                      const std::function<std::string()>& value) {
    int op = rng_.uniform(0, glob ? 9 : 7);
    static const char* kOps[] = {"=", "!=", "<", "<=", ">", ">="};
    if (op < 6) {
      if (!ordered && op >= 2) op = op % 2;
      return field + " " + kOps[op] + " " + value();
    }
    if (op == 6 || op == 7) {
      std::string list = value();
      for (int k = rng_.uniform(0, 3); k > 0; --k) list += ", " + value();
      return field + (op == 7 ? " " + keyword(rng_, "NOT") : "") + " " + keyword(rng_, "IN") +
             " (" + list + ")";
    }
    static const char* kGlobOps[] = {"~", "!~", "GLOB", "NOT GLOB"};
    std::string pattern = rng_.chance(0.7) ? rng_.pick(kGlobs) : rng_.pick(kWords);
    return field + " " + keyword(rng_, kGlobOps[rng_.uniform(0, 3)]) + " " + quote(rng_, pattern);
  }

  std::string is_null(const std::string& field) {
    return field + " " + keyword(rng_, rng_.chance(0.5) ? "IS NULL" : "IS NOT NULL");
  }

  std::string text(const std::string& field, const std::vector<std::string>& pool) {
    if (rng_.chance(0.1) &&
        (field == "camera" || field == "tag" || field == "label" || field.rfind("meta.", 0) == 0)) {
      return is_null(field);
    }
    return compare(field, true, true, [&] { return quote(rng_, rng_.pick(pool)); });
  }

  std::string integer(const std::string& field, const std::vector<std::string>& pool) {
    return compare(field, true, false, [&] { return rng_.pick(pool); });
  }

  std::string date(const std::string& field, bool nullable) {
    if (nullable && rng_.chance(0.15)) return is_null(field);
    return compare(field, true, false, [&] {
      int64_t t = rng_.chance(0.5) ? some_record().mtime : kBaseTime + rng_.uniform(-4, 4) * kDay;
      const ImageRecord& r = some_record();
      if (field == "taken" && r.taken && rng_.chance(0.5)) t = *r.taken;
      switch (rng_.uniform(0, 2)) {
        case 0: return quote(rng_, format_time(t, true));
        case 1: return quote(rng_, format_time(t, false));
        default: return std::to_string(t);
      }
    });
  }

  std::string real(const std::string& field, const std::vector<double>& pool) {
    if (rng_.chance(0.15)) return is_null(field);
    return compare(field, true, false, [&] {
      double v = rng_.pick(pool);
      if (rng_.chance(0.2)) return std::to_string(static_cast<int64_t>(std::floor(v)));
      return format_double(v);
    });
  }

  std::string predicate() {
    const ImageRecord& r = some_record();
    switch (rng_.uniform(0, 19)) {
      case 0: return integer("id", {std::to_string(r.id), "0", "150", "150.5", "-1", "301"});
      case 1: return text("path", {r.path, some_record().path, "/", "/cat"});
      case 2:
        return text("name", {std::string(path_file_name(r.path)), "cat_1.jpg", ".hidden", ""});
      case 3: return text("ext", {"jpg", "png", "jpeg", "", "gz", "ext", "JPG"});
      case 4: return text("format", kFormats);
      case 5: return text("hash", {r.hash, "a", "b0", "cc", ""});
      case 6:
        return integer("size", {"0", "10", "1KB", "1kb", "1.5KB", "500KB", "1MB", "0.5mb", "5MB",
                                "1GB", "1023", std::to_string(r.size_bytes), "1048576.5"});
      case 7: return integer("width", {"0", "1", "640", "1000", "1920", "4000", "999.5"});
      case 8: return integer("height", {"0", "3", "480", "1080", "3000", "1079.99"});
      case 9:
        return integer("pixels", {"0", "1", "307200", "1000000", "2073600", "12000000",
                                  std::to_string(int64_t{r.width} * r.height)});
      case 10: {
        std::vector<double> ratios = {
            1.0, 0.75, 0.5, 2.0, 4.0 / 3.0, 16.0 / 9.0, 1920.0 / 1080.0, 640.0 / 480.0};
        if (r.height != 0) ratios.push_back(static_cast<double>(r.width) / r.height);
        return real("aspect", ratios);
      }
      case 11: return date("mtime", false);
      case 12: return date("taken", true);
      case 13: return date("added", false);
      case 14: return text("camera", {kCameras[0], kCameras[1], kCameras[3], "", "Pixel"});
      case 15: {
        std::vector<double> pool = kCoordinates;
        if (r.gps_lat && !std::isnan(*r.gps_lat)) pool.push_back(*r.gps_lat);
        return real("lat", pool);
      }
      case 16: {
        std::vector<double> pool = kCoordinates;
        if (r.gps_lon && !std::isnan(*r.gps_lon)) pool.push_back(*r.gps_lon);
        return real("lon", pool);
      }
      case 17: return text("tag", kTags);
      case 18: {
        std::vector<std::string> labels;
        for (const std::string& tag : kTags) {
          if (tag.rfind("label:", 0) == 0) labels.push_back(tag.substr(6));
        }
        labels.push_back("label:cat");
        return text("label", labels);
      }
      default: return text("meta." + rng_.pick(kMetaKeys), kMetaValues);
    }
  }

  Random& rng_;
  const std::vector<ImageRecord>& records_;
};

TEST(FilterSql, MatchesEvaluatorOnRandomRecordsAndExpressions) {
  Random rng(20240611);
  testing::CatalogTestDb db;
  std::vector<ImageRecord> records;
  for (int64_t id = 1; id <= 300; ++id) {
    records.push_back(random_record(rng, id));
    db.insert(records.back());
  }
  ExpressionGenerator generate(rng, records);
  int informative = 0;  // expressions that split the records: neither none nor all match
  const int n_expressions = 500;
  for (int k = 0; k < n_expressions; ++k) {
    std::string text = generate.expression(rng.uniform(0, 3));
    auto filter = parse_filter(text);
    ASSERT_TRUE(filter.is_ok()) << text << "\n" << filter.status().message();
    std::set<int64_t> expected;
    for (const ImageRecord& r : records) {
      if (filter_matches(*filter, r)) expected.insert(r.id);
    }
    SqlFragment sql = filter_to_sql(*filter);
    std::set<int64_t> got = db.select_ids(sql);
    ASSERT_EQ(got, expected) << "expression: " << text << "\nsql: " << sql.sql;
    if (!expected.empty() && expected.size() < records.size()) ++informative;
  }
  // Guards the generator: a test where everything matches nothing proves little.
  EXPECT_GT(informative, n_expressions / 2);
}

TEST(FilterSql, ParametersCarryAllUserData) {
  auto filter = parse_filter("name = 'x' AND meta.k ~ 'y*' AND tag IN ('a', 'b') AND size > 1KB");
  ASSERT_TRUE(filter.is_ok());
  SqlFragment sql = filter_to_sql(*filter);
  EXPECT_EQ(std::count(sql.sql.begin(), sql.sql.end(), '?'), 6);
  EXPECT_EQ(sql.params,
            (std::vector<SqlValue>{std::string("x"), std::string("k"), std::string("y*"),
                                   std::string("a"), std::string("b"), int64_t{1024}}));
  EXPECT_EQ(sql.sql.find("'x'"), std::string::npos);
}

TEST(FilterSql, LongestAndDeepestFiltersRunInSqlite) {
  testing::CatalogTestDb db;
  ImageRecord r;
  r.id = 7;
  r.path = "/a.jpg";
  r.width = r.height = 1;
  db.insert(r);
  // An IN list filling the length limit: more terms than SQLite's expression depth of 1000.
  std::string in_list = "id IN (7";
  while (in_list.size() + 4 < kMaxFilterLength) in_list += ",100";
  in_list += ")";
  // As many ORs as fit.
  std::string or_chain = "id = 7";
  while (or_chain.size() + 11 < kMaxFilterLength) or_chain += " OR id = 9";
  // Nesting at the limit: each round adds NOT, '(' and NOT, three levels.
  std::string deep = "id = 7";
  for (int k = 0; k < kMaxFilterDepth / 3; ++k) deep = "NOT (NOT " + deep + ")";
  for (const std::string& text : {in_list, or_chain, deep}) {
    auto filter = parse_filter(text);
    ASSERT_TRUE(filter.is_ok()) << filter.status().message();
    EXPECT_TRUE(filter_matches(*filter, r));
    EXPECT_EQ(db.select_ids(filter_to_sql(*filter)), std::set<int64_t>({7})) << text.substr(0, 60);
  }
}

TEST(FilterSql, FunctionsHandleNullAndText) {
  testing::CatalogTestDb db;
  auto scalar = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db.db(), sql, -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    std::string out = sqlite3_column_type(st, 0) == SQLITE_NULL
                          ? "NULL"
                          : reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  };
  EXPECT_EQ(scalar("SELECT pixlake_basename('/a/b/c.TXT')"), "c.TXT");
  EXPECT_EQ(scalar("SELECT pixlake_ext('/a/b/c.TXT')"), "txt");
  EXPECT_EQ(scalar("SELECT pixlake_ext('/a/.bashrc')"), "");
  EXPECT_EQ(scalar("SELECT pixlake_basename(NULL)"), "NULL");
  EXPECT_EQ(scalar("SELECT pixlake_glob('*.txt', 'a.txt')"), "1");
  EXPECT_EQ(scalar("SELECT pixlake_glob('*.txt', 'a.TXT')"), "0");
  EXPECT_EQ(scalar("SELECT pixlake_glob(NULL, 'a')"), "NULL");
}

}  // namespace
}  // namespace pixlake
