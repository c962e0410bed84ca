#include "lake/filter_fields.h"

#include <array>

namespace pixlake {
namespace {

using T = FieldType;
constexpr std::array<FieldInfo, 20> kFields = {{
    {FilterField::kId, "id", T::kInteger, false, false},
    {FilterField::kPath, "path", T::kText, false, false},
    {FilterField::kName, "name", T::kText, false, false},
    {FilterField::kExt, "ext", T::kText, false, false},
    {FilterField::kFormat, "format", T::kText, false, false},
    {FilterField::kHash, "hash", T::kText, false, false},
    {FilterField::kSize, "size", T::kInteger, false, false},
    {FilterField::kWidth, "width", T::kInteger, false, false},
    {FilterField::kHeight, "height", T::kInteger, false, false},
    {FilterField::kPixels, "pixels", T::kInteger, false, false},
    {FilterField::kAspect, "aspect", T::kReal, true, false},  // missing when height is 0
    {FilterField::kMtime, "mtime", T::kDate, false, false},
    {FilterField::kTaken, "taken", T::kDate, true, false},
    {FilterField::kAdded, "added", T::kDate, false, false},
    {FilterField::kCamera, "camera", T::kText, true, false},  // missing when empty
    {FilterField::kLat, "lat", T::kReal, true, false},
    {FilterField::kLon, "lon", T::kReal, true, false},
    {FilterField::kTag, "tag", T::kText, true, true},
    {FilterField::kLabel, "label", T::kText, true, true},
    {FilterField::kMeta, "meta", T::kText, true, false},
}};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

const FieldInfo& field_info(FilterField field) { return kFields[static_cast<size_t>(field)]; }

std::optional<FilterField> find_field(std::string_view name) {
  std::string lowered;
  for (char c : name) lowered += lower(c);
  for (const FieldInfo& info : kFields) {
    if (info.field != FilterField::kMeta && lowered == info.name) return info.field;
  }
  return std::nullopt;
}

std::string list_field_names() {
  std::string out;
  for (const FieldInfo& info : kFields) {
    if (!out.empty()) out += ", ";
    out += info.name;
  }
  return out + ".<key>";
}

}  // namespace pixlake
