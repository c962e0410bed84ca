// Small JPEG previews with libvips (shrink-on-load, EXIF orientation applied): the server's
// thumbnails. The file is opened with the same untrusted-input settings as decoding.
#pragma once

#include <string>

#include "pixlake/status.h"

namespace pixlake {

// JPEG bytes of `path` scaled so that its longer side is at most `size` pixels (never enlarged).
// `what` names the image in messages. InvalidArgument for an unreadable image.
Result<std::string> make_jpeg_thumbnail(const std::string& path, int size, const std::string& what);

}  // namespace pixlake
