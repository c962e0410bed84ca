// Writing an RGB8 Image as a PNG file (libvips's pngsave), atomically: the picture goes to
// PATH.tmp.<pid> first and is renamed over PATH only when complete, so a reader (a web page, a
// viewer) never sees half a file and a failed write leaves any earlier PATH in place.
#pragma once

#include <string>

#include "image/image.h"
#include "pixlake/status.h"

namespace pixlake {

// IoError naming `path` when it cannot be written (missing folder, no permission, disk full).
Status write_png_file(const Image& image, const std::string& path);

}  // namespace pixlake
