#include "image/exif_fields.h"

#include <charconv>
#include <cmath>

namespace pixlake::image_detail {
namespace {

constexpr std::string_view kBlank = " \t\r\n\v\f";

std::string_view trim(std::string_view text) {
  while (!text.empty() &&
         (kBlank.find(text.front()) != std::string_view::npos || text.front() == '\0'))
    text.remove_prefix(1);
  while (!text.empty() &&
         (kBlank.find(text.back()) != std::string_view::npos || text.back() == '\0'))
    text.remove_suffix(1);
  return text;
}

// The raw value of an ASCII field. libvips writes "V (V, ASCII, n components, m bytes)", and V
// may itself contain " (" (e.g. "Lightroom 5.7 (Windows)"), so the doubled value is matched
// exactly; when libexif rendered it differently, fall back to the text before the first " (".
std::string_view ascii_raw_value(std::string_view field) {
  const size_t tail = field.rfind(", ASCII, ");
  if (tail != std::string_view::npos) {
    const std::string_view doubled = field.substr(0, tail);  // V + " (" + V
    if (doubled.size() >= 2 && (doubled.size() - 2) % 2 == 0) {
      const size_t n = (doubled.size() - 2) / 2;
      if (doubled.substr(n, 2) == " (" && doubled.substr(0, n) == doubled.substr(n + 2)) {
        return doubled.substr(0, n);
      }
    }
  }
  const size_t paren = field.find(" (");
  return paren == std::string_view::npos ? field : field.substr(0, paren);
}

bool parse_int(std::string_view text, int64_t& value) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && ptr == end;
}

int days_in_month(int64_t year, int64_t month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to the given civil date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

}  // namespace

std::string exif_ascii(std::string_view field) {
  const std::string_view value = trim(ascii_raw_value(field));
  std::string out;
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) out += c;  // keeps UTF-8 bytes, drops control characters
  }
  return std::string(trim(out));
}

std::vector<double> exif_rationals(std::string_view field) {
  const size_t paren = field.find('(');
  std::string_view raw = trim(paren == std::string_view::npos ? field : field.substr(0, paren));
  std::vector<double> values;
  while (!raw.empty()) {
    const size_t space = raw.find(' ');
    const std::string_view token = raw.substr(0, space);
    raw = space == std::string_view::npos ? std::string_view() : trim(raw.substr(space));
    const size_t slash = token.find('/');
    int64_t numerator = 0, denominator = 0;
    if (slash == std::string_view::npos || !parse_int(token.substr(0, slash), numerator) ||
        !parse_int(token.substr(slash + 1), denominator) || denominator == 0) {
      return {};
    }
    values.push_back(static_cast<double>(numerator) / static_cast<double>(denominator));
  }
  return values;
}

std::optional<int64_t> exif_datetime_to_unix(std::string_view text) {
  text = trim(text);
  // YYYY:MM:DD HH:MM:SS, 19 characters; some writers append sub-seconds or a zone, ignored.
  if (text.size() < 19) return std::nullopt;
  auto separator_ok = [&](size_t i, std::string_view allowed) {
    return allowed.find(text[i]) != std::string_view::npos;
  };
  if (!separator_ok(4, ":-") || !separator_ok(7, ":-") || !separator_ok(10, " T") ||
      !separator_ok(13, ":") || !separator_ok(16, ":")) {
    return std::nullopt;
  }
  int64_t year, month, day, hour, minute, second;
  if (!parse_int(text.substr(0, 4), year) || !parse_int(text.substr(5, 2), month) ||
      !parse_int(text.substr(8, 2), day) || !parse_int(text.substr(11, 2), hour) ||
      !parse_int(text.substr(14, 2), minute) || !parse_int(text.substr(17, 2), second)) {
    return std::nullopt;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
      hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

std::optional<double> exif_gps_degrees(std::string_view dms_field, std::string_view ref_field,
                                       bool latitude) {
  const std::vector<double> dms = exif_rationals(dms_field);
  const std::string ref = exif_ascii(ref_field);
  if (dms.empty() || dms.size() > 3 || ref.size() != 1) return std::nullopt;
  double degrees = 0;
  double unit = 1;
  for (double part : dms) {
    if (part < 0) return std::nullopt;
    degrees += part / unit;
    unit *= 60;
  }
  const char positive = latitude ? 'N' : 'E';
  const char negative = latitude ? 'S' : 'W';
  const char hemisphere = static_cast<char>(ref[0] & ~0x20);  // upper case
  if (hemisphere != positive && hemisphere != negative) return std::nullopt;
  if (!std::isfinite(degrees) || degrees > (latitude ? 90.0 : 180.0)) return std::nullopt;
  return hemisphere == negative ? -degrees : degrees;
}

std::string camera_name(const std::string& make, const std::string& model) {
  return std::string(trim(make + " " + model));
}

}  // namespace pixlake::image_detail
