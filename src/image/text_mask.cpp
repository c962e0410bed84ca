#include "image/text_mask.h"

#include <cstring>

#include "image/vips_runtime.h"

namespace pixlake {

using image_detail::ensure_vips_started;
using image_detail::take_vips_error;
using image_detail::VipsRef;

namespace {

// vips_text reads Pango markup: a folder called "R&D" must not be taken as an entity.
std::string escape_markup(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Result<TextMask> render_text(const std::string& text, int pixels, bool bold) {
  PIXLAKE_RETURN_IF_ERROR(ensure_vips_started());
  if (text.empty()) return TextMask{};
  // At 72 dpi a point is a pixel.
  const std::string font = std::string(bold ? "sans bold " : "sans ") + std::to_string(pixels);
  VipsRef<VipsImage> rendered;
  if (vips_text(rendered.out(), escape_markup(text).c_str(), "font", font.c_str(), "dpi", 72,
                nullptr) != 0) {
    return internal_error("text: cannot render '" + text + "': " + take_vips_error());
  }
  VipsRef<VipsImage> bytes;
  if (vips_cast_uchar(rendered.get(), bytes.out(), nullptr) != 0) {
    return internal_error("text: cannot render '" + text + "': " + take_vips_error());
  }
  size_t size = 0;
  void* memory = vips_image_write_to_memory(bytes.get(), &size);
  if (memory == nullptr) return internal_error("text: cannot render '" + text + "'");
  TextMask mask;
  mask.width = vips_image_get_width(bytes.get());
  mask.height = vips_image_get_height(bytes.get());
  mask.coverage.resize(size);
  std::memcpy(mask.coverage.data(), memory, size);
  g_free(memory);
  return mask;
}

}  // namespace pixlake
