#include "lake/image_probe.h"

#include <algorithm>

namespace pixlake {

namespace {

std::string format_from_extension(const std::string& path) {
  auto dot = path.find_last_of('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == "jpg" || ext == "jpe") return "jpeg";
  if (ext == "tif") return "tiff";
  return ext;
}

}  // namespace

Result<ProbedImage> probe_and_decode(const std::string& path, const DecodeLimits& limits,
                                     int /*min_shorter_side*/) {
  ProbedImage out;
  PIXLAKE_ASSIGN_OR_RETURN(out.image, decode_image_file(path, limits));
  out.record.width = out.image.width;
  out.record.height = out.image.height;
  out.record.format = format_from_extension(path);
  return out;
}

}  // namespace pixlake
