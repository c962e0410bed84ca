#include "service/image_service.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "image/thumbnail.h"
#include "lake/lake_map.h"

namespace pixlake {

namespace {

Result<std::string> read_file_bytes(const std::string& path, int64_t max_bytes,
                                    const std::string& what) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return not_found(what + ": the file is gone from disk");
  if (static_cast<int64_t>(size) > max_bytes) {
    return unsupported(what + ": the file is " + std::to_string(size) +
                       " bytes, over the limit of " + std::to_string(max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error(what + ": the file cannot be read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

Result<ImagePage> list_image_page(Lake& lake, const std::string& where, int64_t offset,
                                  int64_t limit) {
  if (offset < 0) return invalid_argument("images: offset must be >= 0");
  if (limit <= 0) return invalid_argument("images: limit must be positive");
  PIXLAKE_ASSIGN_OR_RETURN(auto ids, select_images(lake, where));
  ImagePage page;
  page.total = static_cast<int64_t>(ids.size());
  page.offset = offset;
  for (int64_t i = offset; i < page.total && i < offset + limit; ++i) {
    PIXLAKE_ASSIGN_OR_RETURN(auto record, lake.catalog().find_by_id(ids[static_cast<size_t>(i)]));
    if (record) page.images.push_back(std::move(*record));
  }
  return page;
}

Result<ImageRecord> get_image(Lake& lake, int64_t id) {
  PIXLAKE_ASSIGN_OR_RETURN(auto record, lake.catalog().find_by_id(id));
  if (!record) return not_found("the lake has no image with id " + std::to_string(id));
  return std::move(*record);
}

std::string image_content_type(const std::string& format) {
  if (format == "jpeg") return "image/jpeg";
  if (format == "png") return "image/png";
  if (format == "webp") return "image/webp";
  if (format == "gif") return "image/gif";
  if (format == "bmp") return "image/bmp";
  if (format == "tiff") return "image/tiff";
  if (format == "heif") return "image/heif";
  return "application/octet-stream";
}

Result<ImageFile> image_file(Lake& lake, int64_t id) {
  PIXLAKE_ASSIGN_OR_RETURN(ImageRecord record, get_image(lake, id));
  std::error_code ec;
  auto size = std::filesystem::file_size(record.path, ec);
  if (ec) return not_found("image " + std::to_string(id) + ": the file is gone from disk");
  return ImageFile{record.path, static_cast<int64_t>(size), image_content_type(record.format)};
}

Result<std::string> image_thumbnail(Lake& lake, int64_t id, int size, const DecodeLimits& limits) {
  if (size < kMinThumbSize || size > kMaxThumbSize) {
    return invalid_argument("thumbnail: size must be " + std::to_string(kMinThumbSize) + ".." +
                            std::to_string(kMaxThumbSize));
  }
  PIXLAKE_ASSIGN_OR_RETURN(ImageRecord record, get_image(lake, id));
  const std::string what = "image " + std::to_string(id);
  if (int64_t{record.width} * record.height > limits.max_pixels) {
    return unsupported("thumbnail: " + what + " has more pixels than the limit");
  }
  if (record.size_bytes > limits.max_file_bytes) {
    return unsupported("thumbnail: " + what + " is larger than the file limit");
  }
  const std::string dir = lake.dir() + "/thumbs";
  const std::string cached = dir + "/" + std::to_string(id) + "-" + std::to_string(size) + "-" +
                             record.hash.substr(0, 16) + ".jpg";
  auto hit = read_file_bytes(cached, int64_t{64} << 20, what);
  if (hit.is_ok()) return hit;
  if (!std::filesystem::exists(record.path)) {
    return not_found(what + ": the file is gone from disk");
  }
  PIXLAKE_ASSIGN_OR_RETURN(std::string bytes, make_jpeg_thumbnail(record.path, size, what));
  // Cache it; a lake folder that cannot be written only costs the cache.
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!ec) {
    const std::string tmp = cached + ".tmp." + std::to_string(::getpid()) + "." +
                            std::to_string(reinterpret_cast<uintptr_t>(&bytes));
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out || std::rename(tmp.c_str(), cached.c_str()) != 0) std::filesystem::remove(tmp, ec);
  }
  return bytes;
}

Result<std::vector<std::string>> change_image_tags(Lake& lake, int64_t id,
                                                   const TagChange& change) {
  for (const auto* list : {&change.add, &change.remove}) {
    for (const auto& tag : *list) {
      if (tag.empty()) return invalid_argument("tags: empty tag name");
      if (tag.size() > 256) return invalid_argument("tags: a tag is longer than 256 bytes");
    }
  }
  Catalog& catalog = lake.catalog();
  PIXLAKE_RETURN_IF_ERROR(get_image(lake, id).status());
  PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
  for (const auto& tag : change.add) PIXLAKE_RETURN_IF_ERROR(catalog.add_tag(id, tag));
  for (const auto& tag : change.remove) PIXLAKE_RETURN_IF_ERROR(catalog.remove_tag(id, tag));
  PIXLAKE_RETURN_IF_ERROR(tx.commit());
  PIXLAKE_ASSIGN_OR_RETURN(ImageRecord after, get_image(lake, id));
  return after.tags;
}

Result<std::string> read_lake_map(Lake& lake, const std::string& model_name) {
  PIXLAKE_ASSIGN_OR_RETURN(std::string model, lake.resolve_model_name(model_name));
  // Only a model the catalog knows becomes part of a path.
  PIXLAKE_ASSIGN_OR_RETURN(auto known, lake.catalog().find_model(model));
  if (!known) return not_found("map: the lake has no model '" + model + "'");
  const std::string path = lake_map_coords_path(lake.dir(), model);
  auto bytes = read_file_bytes(path, int64_t{256} << 20, "map of model '" + model + "'");
  if (!bytes.is_ok() && bytes.status().code() == StatusCode::kNotFound) {
    return not_found("map: no map for model '" + model +
                     "' yet (run: pixlake map LAKE -o MAP.png)");
  }
  return bytes;
}

}  // namespace pixlake
