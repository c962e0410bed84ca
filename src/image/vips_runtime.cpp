#include "image/vips_runtime.h"

#include <mutex>

namespace pixlake::image_detail {
namespace {

void drop_log_message(const char*, GLogLevelFlags, const char*, void*) {}

}  // namespace

Status ensure_vips_started() {
  static std::once_flag once;
  static bool started = false;
  static std::string failure;
  std::call_once(once, [] {
    // VIPS_INIT also checks that the headers we compiled against match the library.
    if (VIPS_INIT("pixlake") != 0) {
      failure = take_vips_error();
      return;
    }
    vips_block_untrusted_set(TRUE);
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    g_log_set_handler("VIPS",
                      static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
                      drop_log_message, nullptr);
    started = true;
  });
  if (!started) return internal_error("libvips failed to start: " + failure);
  return Status::ok();
}

std::string take_vips_error() {
  char* buffer = vips_error_buffer_copy();
  std::string text = buffer != nullptr ? buffer : "";
  g_free(buffer);
  // One line: libvips ends every message with a newline and may hold several.
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      if (!line.empty() && line.back() != ' ') line += "; ";
    } else {
      line += c;
    }
  }
  while (!line.empty() && (line.back() == ' ' || line.back() == ';')) line.pop_back();
  return line.empty() ? "libvips gave no reason" : line;
}

}  // namespace pixlake::image_detail
