// Rendering a line of text as an 8-bit coverage mask (libvips's text operation, Pango
// underneath), for labels and legends drawn onto pixlake's own pictures.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

struct TextMask {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> coverage;  // width * height, 0 (paper) to 255 (ink)
};

// `text` is plain text (markup characters are escaped); `pixels` is the font size in pixels.
// Internal error when libvips cannot render text (no fonts installed).
Result<TextMask> render_text(const std::string& text, int pixels, bool bold = false);

}  // namespace pixlake
