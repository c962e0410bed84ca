#include "image/png_write.h"

#include <unistd.h>

#include <cstdio>

#include "image/vips_runtime.h"

namespace pixlake {

using image_detail::ensure_vips_started;
using image_detail::take_vips_error;
using image_detail::VipsRef;

Status write_png_file(const Image& image, const std::string& path) {
  if (image.empty()) return invalid_argument("png: cannot write an empty image to '" + path + "'");
  PIXLAKE_RETURN_IF_ERROR(ensure_vips_started());
  VipsRef<VipsImage> wrapped(vips_image_new_from_memory(
      image.rgb.data(), image.rgb.size(), image.width, image.height, 3, VIPS_FORMAT_UCHAR));
  if (!wrapped)
    return internal_error("png: wrapping pixels for '" + path + "': " + take_vips_error());
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  if (vips_pngsave(wrapped.get(), tmp.c_str(), "compression", 6, nullptr) != 0) {
    std::remove(tmp.c_str());
    return io_error("png: cannot write '" + path + "': " + take_vips_error());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return io_error("png: cannot rename '" + tmp + "' to '" + path + "'");
  }
  return Status::ok();
}

}  // namespace pixlake
