// The parsers of libvips's EXIF strings: real renderings, and garbage that must give nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "image/exif_fields.h"

namespace pixlake::image_detail {
namespace {

TEST(ExifFields, AsciiValue) {
  EXPECT_EQ(exif_ascii("Canon (Canon, ASCII, 6 components, 6 bytes)"), "Canon");
  EXPECT_EQ(exif_ascii("OLYMPUS IMAGING CORP.  (OLYMPUS IMAGING CORP.  , ASCII, 24 components, "
                       "24 bytes)"),
            "OLYMPUS IMAGING CORP.");
  // The value itself contains " (": matched by its doubled rendering.
  EXPECT_EQ(exif_ascii("Lightroom 5.7 (Windows) (Lightroom 5.7 (Windows), ASCII, 24 components, "
                       "24 bytes)"),
            "Lightroom 5.7 (Windows)");
  EXPECT_EQ(exif_ascii("no rendering at all"), "no rendering at all");
  EXPECT_EQ(exif_ascii(""), "");
  EXPECT_EQ(exif_ascii("   (   , ASCII, 4 components, 4 bytes)"), "");
  EXPECT_EQ(exif_ascii(std::string("a\x01\x1f"
                                   "b (x, ASCII, 1 components, 1 bytes)")),
            "ab");
}

TEST(ExifFields, Rationals) {
  EXPECT_EQ(exif_rationals("51/1 30/1 1234/100 (51, 30, 12.34, Rational, 3 components, 24 "
                           "bytes)"),
            (std::vector<double>{51, 30, 12.34}));
  EXPECT_EQ(exif_rationals("-7/2 (-3.5, SRational, 1 components, 8 bytes)"),
            (std::vector<double>{-3.5}));
  EXPECT_TRUE(exif_rationals("51/0 30/1 0/1 (x)").empty());  // zero denominator
  EXPECT_TRUE(exif_rationals("51 30 0").empty());
  EXPECT_TRUE(exif_rationals("a/b").empty());
  EXPECT_TRUE(exif_rationals("1/2/3").empty());
  EXPECT_TRUE(exif_rationals("99999999999999999999999/1").empty());  // overflows int64
  EXPECT_TRUE(exif_rationals("").empty());
}

TEST(ExifFields, DateTime) {
  EXPECT_EQ(exif_datetime_to_unix("2019:05:04 12:34:56"), 1556973296);
  EXPECT_EQ(exif_datetime_to_unix("2000:02:29 23:59:59"), 951868799);  // leap day
  EXPECT_EQ(exif_datetime_to_unix("1970:01:01 00:00:00"), 0);
  EXPECT_EQ(exif_datetime_to_unix("2019-05-04 12:34:56"), 1556973296);
  EXPECT_EQ(exif_datetime_to_unix("2019:05:04 12:34:56.123+02:00"), 1556973296);
  EXPECT_EQ(exif_datetime_to_unix("0000:00:00 00:00:00"), std::nullopt);
  EXPECT_EQ(exif_datetime_to_unix("2019:02:29 00:00:00"), std::nullopt);  // not a leap year
  EXPECT_EQ(exif_datetime_to_unix("2019:13:01 00:00:00"), std::nullopt);
  EXPECT_EQ(exif_datetime_to_unix("2019:05:04 24:00:00"), std::nullopt);
  EXPECT_EQ(exif_datetime_to_unix("    :  :     :  :  "), std::nullopt);
  EXPECT_EQ(exif_datetime_to_unix("2019:05:04"), std::nullopt);
  EXPECT_EQ(exif_datetime_to_unix("+019:05:04 12:34:56"), std::nullopt);
}

TEST(ExifFields, GpsDegrees) {
  const char* latitude = "51/1 30/1 1234/100 (51, 30, 12.34, Rational, 3 components, 24 bytes)";
  const auto north = exif_gps_degrees(latitude, "N (N, ASCII, 2 components, 2 bytes)", true);
  ASSERT_TRUE(north.has_value());
  EXPECT_DOUBLE_EQ(*north, 51 + 30 / 60.0 + 12.34 / 3600.0);
  EXPECT_DOUBLE_EQ(*exif_gps_degrees(latitude, "S (S, ASCII, 2 components, 2 bytes)", true),
                   -*north);
  EXPECT_DOUBLE_EQ(*exif_gps_degrees("122/1 25/1 0/1 (x)", "W", false), -(122 + 25 / 60.0));
  EXPECT_EQ(exif_gps_degrees(latitude, "", true), std::nullopt);         // no hemisphere
  EXPECT_EQ(exif_gps_degrees(latitude, "E", true), std::nullopt);        // wrong axis
  EXPECT_EQ(exif_gps_degrees("91/1 0/1 0/1", "N", true), std::nullopt);  // out of range
  EXPECT_EQ(exif_gps_degrees("181/1 0/1 0/1", "E", false), std::nullopt);
  EXPECT_EQ(exif_gps_degrees("-1/1 0/1 0/1", "N", true), std::nullopt);
  EXPECT_EQ(exif_gps_degrees("1/1 2/1 3/1 4/1", "N", true), std::nullopt);
  EXPECT_EQ(exif_gps_degrees("garbage", "N", true), std::nullopt);
}

TEST(ExifFields, CameraName) {
  EXPECT_EQ(camera_name("Canon", "EOS 5D"), "Canon EOS 5D");
  EXPECT_EQ(camera_name("", "EOS 5D"), "EOS 5D");
  EXPECT_EQ(camera_name("Canon", ""), "Canon");
  EXPECT_EQ(camera_name("", ""), "");
}

TEST(ExifFields, RandomTextNeverCrashes) {
  std::mt19937 rng(3);
  const std::string alphabet = "0123456789/:- ()NSEWASCIIRational,\x01\xff";
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text(rng() % 60, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    (void)exif_ascii(text);
    for (double v : exif_rationals(text)) EXPECT_TRUE(std::isfinite(v));
    if (auto t = exif_datetime_to_unix(text)) {
      EXPECT_GE(*t, -62135596800);  // year 1 or later
    }
    if (auto d = exif_gps_degrees(text, text, trial % 2 == 0)) {
      EXPECT_LE(std::fabs(*d), 180.0);
    }
  }
}

}  // namespace
}  // namespace pixlake::image_detail
