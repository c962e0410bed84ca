// The fields an --where expression can name, their types, and which may be missing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pixlake {

enum class FilterField {
  kId,
  kPath,
  kName,
  kExt,
  kFormat,
  kHash,
  kSize,
  kWidth,
  kHeight,
  kPixels,
  kAspect,
  kMtime,
  kTaken,
  kAdded,
  kCamera,
  kLat,
  kLon,
  kTag,
  kLabel,
  kMeta,
};

enum class FieldType {
  kInteger,  // int64
  kReal,     // double
  kDate,     // int64 unix seconds; literals 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' or seconds
  kText,     // bytes
};

struct FieldInfo {
  FilterField field;
  const char* name;  // lowercase, as written in expressions ("meta" stands for meta.<key>)
  FieldType type;
  bool nullable;  // may be missing: IS NULL applies, comparisons with it are false
  bool multi;     // a set of values (tag, label): comparisons ask "does any value ..."
};

const FieldInfo& field_info(FilterField field);

// Looks up a field by name, case-insensitively; "meta" is not a name (it needs a key).
std::optional<FilterField> find_field(std::string_view name);

// "id, path, ..., meta.<key>" for error messages and docs.
std::string list_field_names();

// The prefix under which labels are stored as tags: label = 'tabby' is tag 'label:tabby'.
inline constexpr std::string_view kLabelTagPrefix = "label:";

}  // namespace pixlake
