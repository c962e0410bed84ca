#include "image/thumbnail.h"

#include "image/vips_runtime.h"

namespace pixlake {

using image_detail::ensure_vips_started;
using image_detail::take_vips_error;
using image_detail::VipsRef;

Result<std::string> make_jpeg_thumbnail(const std::string& path, int size,
                                        const std::string& what) {
  if (size <= 0) return invalid_argument("thumbnail: size must be positive");
  PIXLAKE_RETURN_IF_ERROR(ensure_vips_started());
  VipsRef<VipsImage> thumb;
  if (vips_thumbnail(path.c_str(), thumb.out(), size, "height", size, "size", VIPS_SIZE_DOWN,
                     nullptr) != 0) {
    return invalid_argument("thumbnail: cannot read " + what + ": " + take_vips_error());
  }
  // JPEG has no alpha and wants sRGB: flatten and convert whatever the source had.
  VipsRef<VipsImage> rgb;
  if (vips_image_hasalpha(thumb.get())) {
    if (vips_flatten(thumb.get(), rgb.out(), nullptr) != 0) {
      return internal_error("thumbnail: " + what + ": " + take_vips_error());
    }
  } else {
    rgb = VipsRef<VipsImage>(thumb.get());
    g_object_ref(thumb.get());
  }
  VipsRef<VipsImage> srgb;
  if (vips_colourspace(rgb.get(), srgb.out(), VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
    return internal_error("thumbnail: " + what + ": " + take_vips_error());
  }
  void* buffer = nullptr;
  size_t length = 0;
  if (vips_jpegsave_buffer(srgb.get(), &buffer, &length, "Q", 82, "strip", TRUE, nullptr) != 0) {
    return internal_error("thumbnail: encoding " + what + ": " + take_vips_error());
  }
  std::string bytes(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return bytes;
}

}  // namespace pixlake
