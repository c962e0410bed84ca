#include "lake/image_probe.h"

namespace pixlake {

Result<ProbedImage> probe_and_decode(const std::string& path, const DecodeLimits& limits,
                                     int min_shorter_side) {
  DecodeHints hints;
  hints.min_shorter_side = min_shorter_side;
  PIXLAKE_ASSIGN_OR_RETURN(DecodedImage decoded, decode_image_file_with_info(path, limits, hints));
  ProbedImage out;
  out.image = std::move(decoded.image);
  const ImageInfo& info = decoded.info;
  out.record.format = info.format;
  out.record.width = info.width;
  out.record.height = info.height;
  out.record.camera = info.camera;
  out.record.taken = info.taken;
  out.record.gps_lat = info.gps_lat;
  out.record.gps_lon = info.gps_lon;
  return out;
}

}  // namespace pixlake
