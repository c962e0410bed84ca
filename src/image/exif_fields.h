// Reading the EXIF values that libvips exposes as strings ("exif-ifd0-Make",
// "exif-ifd2-DateTimeOriginal", "exif-ifd3-GPSLatitude", ...). Each string is the raw value
// followed by libexif's rendering in parentheses:
//   "Canon (Canon, ASCII, 6 components, 6 bytes)"
//   "51/1 30/1 1234/100 (51, 30, 12.34, Rational, 3 components, 24 bytes)"
// The files are untrusted, so every function accepts any text and returns empty/nullopt for
// anything it cannot read with confidence. Internal to src/image/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pixlake::image_detail {

// The value of an ASCII field, trimmed of spaces and NULs, control characters removed; "" when
// absent or unreadable.
std::string exif_ascii(std::string_view field);

// The values of a Rational or SRational field ("n/d n/d ..."); empty on any malformed token or
// zero denominator.
std::vector<double> exif_rationals(std::string_view field);

// "YYYY:MM:DD HH:MM:SS" (a '-' is accepted between date parts) as unix seconds, reading the
// time as UTC (EXIF does not say which zone). nullopt for "0000:00:00 00:00:00", out-of-range
// parts or anything else.
std::optional<int64_t> exif_datetime_to_unix(std::string_view text);

// Signed decimal degrees from GPSLatitude/GPSLongitude (degrees, minutes, seconds) and the
// matching Ref field ("N"/"S" or "E"/"W"). nullopt when either is missing or malformed or the
// result is out of range (|lat| <= 90, |lon| <= 180).
std::optional<double> exif_gps_degrees(std::string_view dms_field, std::string_view ref_field,
                                       bool latitude);

// Make + " " + Model, trimmed (one of them alone when the other is empty).
std::string camera_name(const std::string& make, const std::string& model);

}  // namespace pixlake::image_detail
