// JPEG, PNG, WebP, GIF, TIFF and HEIC/AVIF through libvips: an allow-list of loaders, limits
// checked on the header, shrink-on-load, colour conversion to sRGB8, a decode deadline, and the
// EXIF orientation applied last.
#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <string_view>

#include "image/decoders.h"
#include "image/exif_fields.h"
#include "image/vips_runtime.h"

namespace pixlake::image_detail {
namespace {

using LoadFn = int (*)(VipsSource*, VipsImage**, ...);

// The only libvips loaders we run, by the class name vips_foreign_find_load_source() returns.
// Everything else libvips can read (SVG, PDF, FITS, Matlab, CSV, .vips, raw, ImageMagick, JPEG
// XL, JPEG 2000, OpenEXR, OpenSlide, PPM, Radiance, Analyze) is refused: each is attack surface
// no photo collection needs.
struct Loader {
  std::string_view class_name;
  std::string_view format;
  LoadFn load;
};
constexpr std::array<Loader, 6> kLoaders = {{
    {"VipsForeignLoadJpegSource", "jpeg", vips_jpegload_source},
    {"VipsForeignLoadPngSource", "png", vips_pngload_source},
    {"VipsForeignLoadWebpSource", "webp", vips_webpload_source},
    {"VipsForeignLoadNsgifSource", "gif", vips_gifload_source},
    {"VipsForeignLoadTiffSource", "tiff", vips_tiffload_source},
    {"VipsForeignLoadHeifSource", "heif", vips_heifload_source},
}};

constexpr std::string_view kSupported = "JPEG, PNG, WebP, GIF, TIFF, HEIC/AVIF, BMP";

// Measures one decode against DecodeLimits::max_decode_ms. libvips emits "eval" on the image
// being computed after each strip; the handler kills the computation once the time is up.
class Deadline {
 public:
  explicit Deadline(int64_t max_ms) : max_ms_(max_ms), start_(std::chrono::steady_clock::now()) {}
  bool passed() const {
    if (max_ms_ <= 0) return false;
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() >= max_ms_;
  }
  // Connected to the "eval" signal; runs on libvips worker threads.
  static void on_eval(VipsImage* image, VipsProgress*, void* self) {
    auto* deadline = static_cast<Deadline*>(self);
    if (deadline->passed()) {
      deadline->killed_ = true;
      vips_image_set_kill(image, TRUE);
    }
  }
  void watch(VipsImage* image) {
    if (max_ms_ <= 0) return;
    vips_image_set_progress(image, TRUE);
    g_signal_connect(image, "eval", G_CALLBACK(on_eval), this);
  }
  bool killed() const { return killed_; }
  Status error(const std::string& what) const {
    return deadline_exceeded(what + ": decoding took longer than the limit of " +
                             std::to_string(max_ms_) + " ms");
  }

 private:
  int64_t max_ms_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<bool> killed_{false};
};

// ISO BMFF brands of HEIF and AVIF files, to say "no HEIF support here" rather than "unknown".
bool looks_like_heif(const uint8_t* head, size_t head_size) {
  if (head_size < 12 || std::memcmp(head + 4, "ftyp", 4) != 0) return false;
  const std::string_view brand(reinterpret_cast<const char*>(head + 8), 4);
  for (std::string_view known :
       {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"}) {
    if (brand == known) return true;
  }
  return false;
}

// The format the first bytes announce, when it is one of ours; "" otherwise. Used only to word
// the error when no loader accepts the file: libvips's TIFF and HEIF sniffers parse more than
// the magic, so a cut or damaged file of ours would otherwise read as "not an image".
std::string_view announced_format(const uint8_t* head, size_t head_size) {
  auto starts_with = [&](std::string_view magic) {
    return head_size >= magic.size() && std::memcmp(head, magic.data(), magic.size()) == 0;
  };
  if (starts_with("\xFF\xD8\xFF")) return "JPEG";
  if (starts_with("\x89PNG\r\n\x1A\n")) return "PNG";
  if (starts_with("GIF8")) return "GIF";
  if (starts_with(std::string_view("II*\0", 4)) || starts_with(std::string_view("MM\0*", 4))) {
    return "TIFF";
  }
  if (starts_with("RIFF") && head_size >= 12 && std::memcmp(head + 8, "WEBP", 4) == 0) {
    return "WebP";
  }
  if (looks_like_heif(head, head_size)) return "HEIC/AVIF";
  return "";
}

// "VipsForeignLoadSvgSource" -> "svg", for messages.
std::string loader_short_name(std::string_view class_name) {
  std::string_view name = class_name;
  if (name.substr(0, 15) == "VipsForeignLoad") name.remove_prefix(15);
  if (name.size() > 6 && name.substr(name.size() - 6) == "Source") name.remove_suffix(6);
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string get_string(VipsImage* image, const char* field) {
  if (vips_image_get_typeof(image, field) == 0) return "";
  const char* value = nullptr;
  if (vips_image_get_string(image, field, &value) != 0 || value == nullptr) {
    vips_error_clear();
    return "";
  }
  return value;
}

// A header opened through an allowed loader.
struct Opened {
  VipsRef<VipsSource> source;
  const Loader* loader = nullptr;
  VipsRef<VipsImage> image;  // lazy: the header is read, no pixels yet
};

Result<VipsRef<VipsImage>> load_header(const Opened& opened, const std::string& what, int shrink) {
  VipsRef<VipsImage> image;
  // Sequential access streams the pixels straight into our buffer; fail_on=error turns
  // libjpeg's "premature end of file" and libpng's CRC errors into failures instead of grey
  // or missing rows.
  int failed;
  if (shrink > 1) {
    failed =
        vips_jpegload_source(opened.source.get(), image.out(), "access", VIPS_ACCESS_SEQUENTIAL,
                             "fail_on", VIPS_FAIL_ON_ERROR, "shrink", shrink, nullptr);
  } else {
    failed = opened.loader->load(opened.source.get(), image.out(), "access", VIPS_ACCESS_SEQUENTIAL,
                                 "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
  }
  if (failed != 0 || !image) {
    return data_loss(what + ": truncated or corrupt: " + take_vips_error());
  }
  if (image->Xsize <= 0 || image->Ysize <= 0) {
    return data_loss(what + ": truncated or corrupt: header declares " +
                     std::to_string(image->Xsize) + "x" + std::to_string(image->Ysize) + " pixels");
  }
  return image;
}

Result<Opened> open_checked(const EncodedInput& input, const DecodeLimits& limits) {
  PIXLAKE_RETURN_IF_ERROR(ensure_vips_started());
  const std::string& what = input.what;
  Opened opened;
  opened.source = VipsRef<VipsSource>(input.path != nullptr
                                          ? vips_source_new_from_file(input.path->c_str())
                                          : vips_source_new_from_memory(input.data, input.size));
  if (!opened.source) return io_error(what + ": cannot open: " + take_vips_error());

  const char* class_name = vips_foreign_find_load_source(opened.source.get());
  if (class_name == nullptr) {
    vips_error_clear();
    if (looks_like_heif(input.head, input.head_size) &&
        vips_type_find("VipsOperation", "heifload_source") == 0) {
      return unsupported(what + ": HEIC/AVIF needs libvips's heif module, which this libvips " +
                         "does not have");
    }
    const std::string_view announced = announced_format(input.head, input.head_size);
    if (!announced.empty()) {
      return data_loss(what + ": truncated or corrupt: starts like a " + std::string(announced) +
                       " file, but its header cannot be read");
    }
    return unsupported(what + ": not a supported image (" + std::string(kSupported) + ")");
  }
  for (const Loader& loader : kLoaders) {
    if (loader.class_name == class_name) opened.loader = &loader;
  }
  if (opened.loader == nullptr) {
    return unsupported(what + ": " + loader_short_name(class_name) +
                       " files are refused; supported: " + std::string(kSupported));
  }

  PIXLAKE_ASSIGN_OR_RETURN(opened.image, load_header(opened, what, 1));
  const int64_t width = opened.image->Xsize;
  const int64_t height = opened.image->Ysize;
  if (width > limits.max_pixels / height) {
    return invalid_argument(what + ": " + std::to_string(width) + "x" + std::to_string(height) +
                            " pixels exceeds the limit of " + std::to_string(limits.max_pixels) +
                            " pixels");
  }
  return opened;
}

ImageInfo read_info(const Opened& opened) {
  VipsImage* image = opened.image.get();
  ImageInfo info;
  // HEIC and AVIF are both "heif", the name src/lake/image_record.h lists.
  info.format = std::string(opened.loader->format);
  info.orientation = std::clamp(vips_image_get_orientation(image), 1, 8);
  const bool swap = info.orientation >= 5;  // 5..8 turn the picture by 90 degrees
  info.width = swap ? image->Ysize : image->Xsize;
  info.height = swap ? image->Xsize : image->Ysize;
  info.camera = camera_name(exif_ascii(get_string(image, "exif-ifd0-Make")),
                            exif_ascii(get_string(image, "exif-ifd0-Model")));
  info.taken = exif_datetime_to_unix(exif_ascii(get_string(image, "exif-ifd2-DateTimeOriginal")));
  info.gps_lat = exif_gps_degrees(get_string(image, "exif-ifd3-GPSLatitude"),
                                  get_string(image, "exif-ifd3-GPSLatitudeRef"), true);
  info.gps_lon = exif_gps_degrees(get_string(image, "exif-ifd3-GPSLongitude"),
                                  get_string(image, "exif-ifd3-GPSLongitudeRef"), false);
  return info;
}

// The largest JPEG DCT scale-down (8, 4, 2) whose output (libjpeg rounds sizes up) keeps the
// shorter side >= 2 * min_shorter_side.
int choose_shrink(int64_t width, int64_t height, int min_shorter_side) {
  if (min_shorter_side <= 0) return 1;
  const int64_t shorter = std::min(width, height);
  for (int shrink : {8, 4, 2}) {
    if ((shorter + shrink - 1) / shrink >= 2 * int64_t{min_shorter_side}) return shrink;
  }
  return 1;
}

// Any layout the loaders produce -> 3-band 8-bit sRGB. vips_colourspace handles B_W and GREY16
// (replicated to three bands), RGB16 (high byte), CMYK (through the embedded ICC profile, or
// libvips's generic CMYK profile when there is none), LAB and scRGB. RGB images keep their
// values whatever ICC profile they carry, as PIL and OpenCV do. Alpha is dropped, as PIL's
// convert('RGB') does.
Result<VipsRef<VipsImage>> to_srgb8(VipsImage* in, const std::string& what) {
  VipsRef<VipsImage> srgb;
  if (vips_colourspace(in, srgb.out(), VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
    return unsupported(
        what + ": cannot convert " + std::to_string(in->Bands) + "-band " +
        vips_enum_nick(VIPS_TYPE_INTERPRETATION, vips_image_guess_interpretation(in)) +
        " pixels to sRGB: " + take_vips_error());
  }
  VipsRef<VipsImage> rgb;
  if (srgb->Bands == 3) {
    rgb = std::move(srgb);
  } else if (srgb->Bands > 3) {
    if (vips_extract_band(srgb.get(), rgb.out(), 0, "n", 3, nullptr) != 0) {
      return internal_error(what + ": dropping alpha: " + take_vips_error());
    }
  } else {  // colourspace leaves 1- and 2-band images it thinks are sRGB alone
    VipsRef<VipsImage> gray;
    if (vips_extract_band(srgb.get(), gray.out(), 0, nullptr) != 0) {
      return internal_error(what + ": reading grey band: " + take_vips_error());
    }
    VipsImage* bands[3] = {gray.get(), gray.get(), gray.get()};
    if (vips_bandjoin(bands, rgb.out(), 3, nullptr) != 0) {
      return internal_error(what + ": replicating grey: " + take_vips_error());
    }
  }
  if (rgb->BandFmt != VIPS_FORMAT_UCHAR) {
    VipsRef<VipsImage> cast;
    if (vips_cast_uchar(rgb.get(), cast.out(), nullptr) != 0) {
      return internal_error(what + ": casting to 8 bits: " + take_vips_error());
    }
    rgb = std::move(cast);
  }
  return rgb;
}

// Runs the pipeline into an Image of the pipeline's size. libvips writes straight into the
// vector through an image wrapping it, as vips_image_write_to_memory does with its own buffer.
Status write_pixels(VipsImage* pipeline, Image& out, Deadline* deadline, const std::string& what) {
  out = Image(pipeline->Xsize, pipeline->Ysize);
  VipsRef<VipsImage> target(vips_image_new_from_memory(out.rgb.data(), out.rgb.size(), out.width,
                                                       out.height, 3, VIPS_FORMAT_UCHAR));
  if (!target) return internal_error(what + ": " + take_vips_error());
  if (deadline != nullptr) deadline->watch(pipeline);
  if (vips_image_write(pipeline, target.get()) != 0) {
    if (deadline != nullptr && deadline->killed()) {
      vips_error_clear();
      return deadline->error(what);
    }
    return data_loss(what + ": truncated or corrupt: " + take_vips_error());
  }
  return Status::ok();
}

// Turns the decoded pixels upright with vips_autorot (rotation and mirroring, orientations
// 2..8).
Result<Image> apply_orientation(Image& stored, int orientation, const std::string& what) {
  VipsRef<VipsImage> wrapped(vips_image_new_from_memory(
      stored.rgb.data(), stored.rgb.size(), stored.width, stored.height, 3, VIPS_FORMAT_UCHAR));
  if (!wrapped) return internal_error(what + ": " + take_vips_error());
  vips_image_set_int(wrapped.get(), VIPS_META_ORIENTATION, orientation);
  VipsRef<VipsImage> upright;
  if (vips_autorot(wrapped.get(), upright.out(), nullptr) != 0) {
    return internal_error(what + ": applying EXIF orientation: " + take_vips_error());
  }
  Image out;
  PIXLAKE_RETURN_IF_ERROR(write_pixels(upright.get(), out, nullptr, what));
  return out;
}

}  // namespace

Result<ImageInfo> probe_vips(const EncodedInput& input, const DecodeLimits& limits) {
  PIXLAKE_ASSIGN_OR_RETURN(Opened opened, open_checked(input, limits));
  return read_info(opened);
}

Result<DecodedImage> decode_vips(const EncodedInput& input, const DecodeLimits& limits,
                                 const DecodeHints& hints) {
  // Declared first so that it outlives every image whose "eval" signal points at it.
  Deadline deadline(limits.max_decode_ms);
  const std::string& what = input.what;
  PIXLAKE_ASSIGN_OR_RETURN(Opened opened, open_checked(input, limits));
  DecodedImage decoded;
  decoded.info = read_info(opened);

  if (opened.loader->format == "jpeg") {
    decoded.shrink =
        choose_shrink(opened.image->Xsize, opened.image->Ysize, hints.min_shorter_side);
    if (decoded.shrink > 1) {
      PIXLAKE_ASSIGN_OR_RETURN(opened.image, load_header(opened, what, decoded.shrink));
    }
  }
  if (deadline.passed()) return deadline.error(what);

  PIXLAKE_ASSIGN_OR_RETURN(VipsRef<VipsImage> rgb, to_srgb8(opened.image.get(), what));
  Image stored;
  PIXLAKE_RETURN_IF_ERROR(write_pixels(rgb.get(), stored, &deadline, what));
  rgb.reset();
  opened.image.reset();

  if (decoded.info.orientation == 1) {
    decoded.image = std::move(stored);
  } else {
    PIXLAKE_ASSIGN_OR_RETURN(decoded.image,
                             apply_orientation(stored, decoded.info.orientation, what));
  }
  return decoded;
}

}  // namespace pixlake::image_detail
