// Dumps what pixlake's image pipeline makes of some files, for tests/image/compare_pil.py and
// the measurements in docs/image_pipeline.md. Not a test; built next to the test binaries.
//
//   gen_preprocessed [--resize-shorter 256] [--crop 224] [--interpolation area|bilinear]
//                    [--min-shorter-side N] -o out.npy IMAGE...
//       float32 [N, 3, crop, crop]: resized, cropped RGB pixels, not normalised (0..255);
//       prints "<shrink-on-load factor> <path>" for each image
//   gen_preprocessed --decoded -o out.npy IMAGE
//       uint8 [H, W, 3]: the decoded, oriented image
//   gen_preprocessed --time [--min-shorter-side N] IMAGE...
//       decodes every image, prints the ones that fail and the mean decode time (one thread)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/npy.h"
#include "image/image.h"
#include "image/preprocess.h"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "gen_preprocessed: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pixlake;
  PreprocessSpec spec{.scale = 1, .mean = {0, 0, 0}, .stddev = {1, 1, 1}};
  DecodeHints hints;
  bool decoded_only = false;
  bool time_only = false;
  std::string out;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--resize-shorter" && has_value) {
      spec.resize_shorter = std::atoi(argv[++i]);
    } else if (arg == "--crop" && has_value) {
      spec.crop = std::atoi(argv[++i]);
    } else if (arg == "--interpolation" && has_value) {
      const std::string name = argv[++i];
      if (name != "area" && name != "bilinear") return fail("unknown interpolation " + name);
      spec.interpolation = name == "area" ? Interpolation::kArea : Interpolation::kBilinear;
    } else if (arg == "--min-shorter-side" && has_value) {
      hints.min_shorter_side = std::atoi(argv[++i]);
    } else if (arg == "--time") {
      time_only = true;
    } else if (arg == "--decoded") {
      decoded_only = true;
    } else if (arg == "-o" && has_value) {
      out = argv[++i];
    } else if (!arg.empty() && arg[0] == '-') {
      return fail("unknown option " + arg);
    } else {
      paths.push_back(arg);
    }
  }
  if (time_only && !paths.empty()) {
    int n_failed = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& path : paths) {
      auto decoded = decode_image_file_with_info(path, {}, hints);
      if (!decoded.is_ok()) {
        ++n_failed;
        std::printf("%s\n", decoded.status().message().c_str());
      }
    }
    const std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    std::printf("%zu images, %d failed, %.2f ms per image\n", paths.size(), n_failed,
                elapsed.count() / static_cast<double>(paths.size()));
    return n_failed == 0 ? 0 : 1;
  }
  if (out.empty() || paths.empty()) return fail("usage: see the comment in gen_preprocessed.cpp");

  if (decoded_only) {
    if (paths.size() != 1) return fail("--decoded takes one image");
    auto decoded = decode_image_file_with_info(paths[0], {}, hints);
    if (!decoded.is_ok()) return fail(decoded.status().message());
    const Image& image = decoded->image;
    Tensor tensor(DType::kU8, {image.height, image.width, 3});
    std::memcpy(tensor.data<uint8_t>(), image.rgb.data(), image.rgb.size());
    const Status status = write_npy(out, tensor);
    return status.is_ok() ? 0 : fail(status.message());
  }

  std::vector<Image> images;
  for (const std::string& path : paths) {
    auto decoded = decode_image_file_with_info(path, {}, hints);
    if (!decoded.is_ok()) return fail(decoded.status().message());
    std::printf("%d %s\n", decoded->shrink, path.c_str());
    images.push_back(std::move(decoded->image));
  }
  auto batch = preprocess_batch(images, spec);
  if (!batch.is_ok()) return fail(batch.status().message());
  const Status status = write_npy(out, *batch);
  return status.is_ok() ? 0 : fail(status.message());
}
