// Per-image operations for the HTTP server (and any CLI command that needs them): paged listing,
// one image's record, its file (path, size, content type) to stream, a cached thumbnail, tag
// changes on one image, the stored map coordinates and the lake's models. Every image is reached
// through its catalog id, so no caller-supplied path ever reaches the file system.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lake/image_record.h"
#include "lake/lake.h"
#include "service/lake_service.h"

namespace pixlake {

struct ImagePage {
  int64_t total = 0;  // images matching the filter
  int64_t offset = 0;
  std::vector<ImageRecord> images;  // by id, at most `limit`
};

// Images matching `where` (all when empty), ordered by id, from `offset`, at most `limit`.
Result<ImagePage> list_image_page(Lake& lake, const std::string& where, int64_t offset,
                                  int64_t limit);

// The record of image `id`; NotFound naming the id.
Result<ImageRecord> get_image(Lake& lake, int64_t id);

// The MIME type of a catalog format name ("jpeg" -> "image/jpeg"); octet-stream if unknown.
std::string image_content_type(const std::string& format);

// Image `id`'s file as it is on disk now, for streaming: its catalog path, current size and
// content type. NotFound when the id is unknown or the file is gone.
struct ImageFile {
  std::string path;
  int64_t size = 0;
  std::string content_type;
};
Result<ImageFile> image_file(Lake& lake, int64_t id);

inline constexpr int kMinThumbSize = 16;
inline constexpr int kMaxThumbSize = 1024;

// A JPEG of image `id` whose longer side is at most `size` (kMinThumbSize..kMaxThumbSize), cached
// as LAKE/thumbs/<id>-<size>-<hash prefix>.jpg (a changed file gets a new name). When the lake
// folder is not writable the thumbnail is made and returned without caching.
Result<std::string> image_thumbnail(Lake& lake, int64_t id, int size, const DecodeLimits& limits);

// Adds and removes tags on one image, in one transaction. NotFound for an unknown id,
// InvalidArgument for an empty or over-long (> 256 bytes) tag. Returns the image's tags after.
Result<std::vector<std::string>> change_image_tags(Lake& lake, int64_t id, const TagChange& change);

// The stored map coordinates LAKE/maps/<model>.json (model: the lake's default when empty).
// NotFound when `pixlake map` has not been run for it.
Result<std::string> read_lake_map(Lake& lake, const std::string& model);

}  // namespace pixlake
