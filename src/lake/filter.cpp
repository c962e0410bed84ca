#include "lake/filter.h"

#include <cmath>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lake/filter_parser.h"
#include "lake/glob_match.h"
#include "lake/path_parts.h"

namespace pixlake {
namespace {

// One value of a field for one record.
using Datum = std::variant<int64_t, double, std::string_view>;

// Exact comparison of an integer with a double, as SQLite does it (no rounding of the integer).
int compare_int_double(int64_t a, double b) {
  if (b >= 9223372036854775808.0) return -1;
  if (b < -9223372036854775808.0) return 1;
  double floor_b = std::floor(b);
  auto whole = static_cast<int64_t>(floor_b);
  if (a != whole) return a < whole ? -1 : 1;
  return floor_b < b ? -1 : 0;
}

template <typename T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// nullopt when the types cannot meet (the parser's type check rules that out).
std::optional<int> compare(const Datum& datum, const FilterValue& value) {
  if (auto* text = std::get_if<std::string_view>(&datum)) {
    if (auto* s = std::get_if<std::string>(&value)) {
      int c = text->compare(*s);  // char_traits<char> compares as unsigned char: bytes
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return std::nullopt;
  }
  if (std::holds_alternative<std::string>(value)) return std::nullopt;
  if (auto* i = std::get_if<int64_t>(&datum)) {
    if (auto* j = std::get_if<int64_t>(&value)) return three_way(*i, *j);
    return compare_int_double(*i, std::get<double>(value));
  }
  double d = std::get<double>(datum);
  if (auto* j = std::get_if<int64_t>(&value)) return -compare_int_double(*j, d);
  return three_way(d, std::get<double>(value));
}

bool passes(const FilterTest& test, const Datum& datum) {
  using Op = FilterTest::Op;
  if (test.op == Op::kGlob) {
    auto* text = std::get_if<std::string_view>(&datum);
    auto* pattern = std::get_if<std::string>(&test.value);
    return text && pattern && glob_match(*pattern, *text);
  }
  std::optional<int> c = compare(datum, test.value);
  if (!c) return false;
  switch (test.op) {
    case Op::kEq: return *c == 0;
    case Op::kLt: return *c < 0;
    case Op::kLe: return *c <= 0;
    case Op::kGt: return *c > 0;
    case Op::kGe: return *c >= 0;
    case Op::kInRange: {
      std::optional<int> below_upper = compare(datum, FilterValue{test.upper});
      return *c >= 0 && below_upper && *below_upper < 0;
    }
    case Op::kGlob: break;
  }
  return false;
}

bool passes_any(const FilterNode& node, const Datum& datum) {
  for (const FilterTest& test : node.tests) {
    if (passes(test, datum)) return true;
  }
  return false;
}

// The values of the node's field: none when missing, several for tag and label.
// `storage` keeps computed strings (ext) alive while the views are in use.
std::vector<Datum> field_values(const FilterNode& node, const ImageRecord& r,
                                std::string& storage) {
  auto real = [](std::optional<double> v) -> std::vector<Datum> {
    // SQLite stores NaN as NULL, so NaN counts as missing here too.
    if (!v || std::isnan(*v)) return {};
    return {*v};
  };
  switch (node.field) {
    case FilterField::kId: return {r.id};
    case FilterField::kPath: return {std::string_view(r.path)};
    case FilterField::kName: return {path_file_name(r.path)};
    case FilterField::kExt: storage = path_extension(r.path); return {std::string_view(storage)};
    case FilterField::kFormat: return {std::string_view(r.format)};
    case FilterField::kHash: return {std::string_view(r.hash)};
    case FilterField::kSize: return {r.size_bytes};
    case FilterField::kWidth: return {int64_t{r.width}};
    case FilterField::kHeight: return {int64_t{r.height}};
    case FilterField::kPixels: return {int64_t{r.width} * int64_t{r.height}};
    case FilterField::kAspect:
      if (r.height == 0) return {};
      return {static_cast<double>(r.width) / static_cast<double>(r.height)};
    case FilterField::kMtime: return {r.mtime};
    case FilterField::kTaken: return r.taken ? std::vector<Datum>{*r.taken} : std::vector<Datum>{};
    case FilterField::kAdded: return {r.added};
    case FilterField::kCamera:
      if (r.camera.empty()) return {};
      return {std::string_view(r.camera)};
    case FilterField::kLat: return real(r.gps_lat);
    case FilterField::kLon: return real(r.gps_lon);
    case FilterField::kTag: return {r.tags.begin(), r.tags.end()};
    case FilterField::kLabel: {
      std::vector<Datum> labels;
      for (const std::string& tag : r.tags) {
        std::string_view view(tag);
        if (view.starts_with(kLabelTagPrefix))
          labels.push_back(view.substr(kLabelTagPrefix.size()));
      }
      return labels;
    }
    case FilterField::kMeta: {
      auto it = r.meta.find(node.meta_key);
      if (it == r.meta.end()) return {};
      return {std::string_view(it->second)};
    }
  }
  return {};
}

bool evaluate(const FilterNode& node, const ImageRecord& record) {
  switch (node.kind) {
    case FilterNode::Kind::kAnd:
      for (const FilterNode& child : node.children) {
        if (!evaluate(child, record)) return false;
      }
      return true;
    case FilterNode::Kind::kOr:
      for (const FilterNode& child : node.children) {
        if (evaluate(child, record)) return true;
      }
      return false;
    case FilterNode::Kind::kNot: return !evaluate(node.children.at(0), record);
    case FilterNode::Kind::kIsNull: {
      std::string storage;
      bool missing = field_values(node, record, storage).empty();
      return node.negated ? !missing : missing;
    }
    case FilterNode::Kind::kCompare: {
      std::string storage;
      std::vector<Datum> values = field_values(node, record, storage);
      if (field_info(node.field).multi) {
        bool any = false;
        for (const Datum& value : values) any = any || passes_any(node, value);
        return node.negated ? !any : any;
      }
      // A missing value fails every comparison, negated ones included.
      if (values.empty()) return false;
      bool any = passes_any(node, values[0]);
      return node.negated ? !any : any;
    }
  }
  return false;
}

}  // namespace

Result<Filter> parse_filter(std::string_view text) {
  PIXLAKE_ASSIGN_OR_RETURN(FilterNode root, parse_filter_tree(text));
  return Filter(std::move(root));
}

bool filter_matches(const Filter& filter, const ImageRecord& record) {
  return evaluate(filter.root(), record);
}

}  // namespace pixlake
