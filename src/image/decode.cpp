// The front door of image decoding: checks that do not depend on the format (the path is a
// regular file, its size is within the limit, it is not empty), then BMP to stb_image and
// everything else to libvips.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "image/decoders.h"

namespace pixlake {
namespace image_detail {

std::string describe(const std::string& name) { return "image '" + name + "'"; }

}  // namespace image_detail

namespace {

using image_detail::EncodedInput;

Status check_size(uint64_t size, const std::string& what, const DecodeLimits& limits) {
  if (size == 0) return data_loss(what + ": empty file (0 bytes)");
  if (size > static_cast<uint64_t>(std::max<int64_t>(limits.max_file_bytes, 0))) {
    return invalid_argument(what + ": " + std::to_string(size) + " bytes exceeds the limit of " +
                            std::to_string(limits.max_file_bytes) + " bytes");
  }
  return Status::ok();
}

EncodedInput memory_input(const uint8_t* data, size_t size, const std::string& name) {
  EncodedInput input;
  input.what = image_detail::describe(name);
  input.data = data;
  input.size = size;
  input.head_size = std::min(size, sizeof(input.head));
  std::copy(data, data + input.head_size, input.head);
  return input;
}

// Stats the path (before anything is read) and reads the first bytes for sniffing.
Result<EncodedInput> file_input(const std::string& path, const DecodeLimits& limits) {
  EncodedInput input;
  input.what = image_detail::describe(path);
  input.path = &path;
  const std::string& what = input.what;
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) return not_found(what + ": file not found");
  if (std::filesystem::is_directory(status)) return invalid_argument(what + ": is a directory");
  // Devices and pipes have no size to check and may never end (/dev/zero).
  if (!std::filesystem::is_regular_file(status)) {
    return invalid_argument(what + ": not a regular file");
  }
  const auto size = std::filesystem::file_size(path, error);
  if (error) return io_error(what + ": cannot read the size: " + error.message());
  PIXLAKE_RETURN_IF_ERROR(check_size(size, what, limits));
  input.size = static_cast<size_t>(size);

  std::ifstream file(path, std::ios::binary);
  if (!file) return io_error(what + ": cannot open the file");
  file.read(reinterpret_cast<char*>(input.head), sizeof(input.head));
  input.head_size = static_cast<size_t>(file.gcount());
  return input;
}

Result<std::vector<uint8_t>> read_whole_file(const EncodedInput& input) {
  std::ifstream file(*input.path, std::ios::binary);
  if (!file) return io_error(input.what + ": cannot open the file");
  std::vector<uint8_t> bytes(input.size);
  file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (file.gcount() != static_cast<std::streamsize>(bytes.size())) {
    return io_error(input.what + ": short read (" + std::to_string(file.gcount()) + " of " +
                    std::to_string(bytes.size()) + " bytes)");
  }
  return bytes;
}

Result<DecodedImage> decode_bmp_with_info(const uint8_t* data, size_t size, const std::string& what,
                                          const DecodeLimits& limits) {
  DecodedImage decoded;
  PIXLAKE_ASSIGN_OR_RETURN(decoded.info, image_detail::probe_bmp(data, size, size, what, limits));
  PIXLAKE_ASSIGN_OR_RETURN(decoded.image, image_detail::decode_bmp(data, size, what, limits));
  return decoded;
}

}  // namespace

Result<DecodedImage> decode_image_memory_with_info(const uint8_t* data, size_t size,
                                                   const std::string& name,
                                                   const DecodeLimits& limits,
                                                   const DecodeHints& hints) {
  const std::string what = image_detail::describe(name);
  if (data == nullptr) size = 0;
  PIXLAKE_RETURN_IF_ERROR(check_size(size, what, limits));
  const EncodedInput input = memory_input(data, size, name);
  if (image_detail::is_bmp(input.head, input.head_size)) {
    return decode_bmp_with_info(data, size, what, limits);
  }
  return image_detail::decode_vips(input, limits, hints);
}

Result<Image> decode_image_memory(const uint8_t* data, size_t size, const std::string& name,
                                  const DecodeLimits& limits) {
  PIXLAKE_ASSIGN_OR_RETURN(DecodedImage decoded,
                           decode_image_memory_with_info(data, size, name, limits));
  return std::move(decoded.image);
}

Result<DecodedImage> decode_image_file_with_info(const std::string& path,
                                                 const DecodeLimits& limits,
                                                 const DecodeHints& hints) {
  PIXLAKE_ASSIGN_OR_RETURN(const EncodedInput input, file_input(path, limits));
  if (image_detail::is_bmp(input.head, input.head_size)) {
    PIXLAKE_ASSIGN_OR_RETURN(const std::vector<uint8_t> bytes, read_whole_file(input));
    return decode_bmp_with_info(bytes.data(), bytes.size(), input.what, limits);
  }
  return image_detail::decode_vips(input, limits, hints);
}

Result<Image> decode_image_file(const std::string& path, const DecodeLimits& limits) {
  PIXLAKE_ASSIGN_OR_RETURN(DecodedImage decoded, decode_image_file_with_info(path, limits));
  return std::move(decoded.image);
}

Result<ImageInfo> probe_image_file(const std::string& path, const DecodeLimits& limits) {
  PIXLAKE_ASSIGN_OR_RETURN(const EncodedInput input, file_input(path, limits));
  if (image_detail::is_bmp(input.head, input.head_size)) {
    // The BMP header is 54 bytes at most; the size check needs the real file size.
    std::ifstream file(path, std::ios::binary);
    std::vector<uint8_t> header(64);
    file.read(reinterpret_cast<char*>(header.data()), static_cast<std::streamsize>(header.size()));
    header.resize(static_cast<size_t>(file.gcount()));
    return image_detail::probe_bmp(header.data(), header.size(), input.size, input.what, limits);
  }
  return image_detail::probe_vips(input, limits);
}

}  // namespace pixlake
