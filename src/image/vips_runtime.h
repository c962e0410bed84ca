// libvips, started once per process and configured for untrusted input; small RAII helpers.
// Internal to src/image/.
#pragma once

#include <vips/vips.h>

#include <string>

#include "pixlake/status.h"

namespace pixlake::image_detail {

// Starts libvips the first time it is called (thread-safe) and configures it for decoding
// untrusted files inside a multi-threaded caller:
// - vips_block_untrusted_set(TRUE): loaders libvips itself marks unsafe (ImageMagick, PDF,
//   SVG, FITS, matrix, CSV, raw, .vips, ...) refuse to run, whatever the file says;
// - one worker thread per pipeline (vips_concurrency_set(1)): callers run several decoders
//   in their own threads, and libvips would otherwise start one per core for each;
// - no operation cache (vips_cache_set_max(0)): decodes are never repeated, and a cache would
//   hold decoded pixels after the call returns;
// - libvips warnings (for example libheif's "ignoring nclx profile") are not printed: the
//   ones that matter come back as errors, and a CLI's stderr is for its own messages.
// These settings are process-wide. Internal on failure.
Status ensure_vips_started();

// Takes and clears libvips's error buffer, one line. (The buffer is process-wide in 8.14, so
// under concurrent failures a message may carry another thread's text as well.)
std::string take_vips_error();

// Owns one GObject reference (VipsImage, VipsSource), released with g_object_unref.
template <typename T>
class VipsRef {
 public:
  VipsRef() = default;
  explicit VipsRef(T* object) : object_(object) {}
  VipsRef(const VipsRef&) = delete;
  VipsRef& operator=(const VipsRef&) = delete;
  VipsRef(VipsRef&& other) noexcept : object_(other.object_) { other.object_ = nullptr; }
  VipsRef& operator=(VipsRef&& other) noexcept {
    if (this != &other) {
      reset();
      object_ = other.object_;
      other.object_ = nullptr;
    }
    return *this;
  }
  ~VipsRef() { reset(); }

  void reset() {
    if (object_ != nullptr) g_object_unref(object_);
    object_ = nullptr;
  }
  T* get() const { return object_; }
  T* operator->() const { return object_; }
  explicit operator bool() const { return object_ != nullptr; }
  // For vips functions that return an object through T**: vips_x(in, ref.out(), ...).
  T** out() {
    reset();
    return &object_;
  }

 private:
  T* object_ = nullptr;
};

}  // namespace pixlake::image_detail
