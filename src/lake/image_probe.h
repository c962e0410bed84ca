// Decoding a file for the lake: its pixels plus the catalog fields that come from the image
// itself (format, pixel size after EXIF orientation, camera, date taken, GPS).
#pragma once

#include <string>

#include "image/image.h"
#include "lake/image_record.h"
#include "pixlake/status.h"

namespace pixlake {

struct ProbedImage {
  Image image;
  ImageRecord record;  // format, width, height, camera, taken, gps_lat, gps_lon filled in
};

// `min_shorter_side` lets the decoder shrink large JPEGs on load as long as the shorter side
// stays at least twice that (0: always decode at full size).
Result<ProbedImage> probe_and_decode(const std::string& path, const DecodeLimits& limits,
                                     int min_shorter_side = 0);

}  // namespace pixlake
