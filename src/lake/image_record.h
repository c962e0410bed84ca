// ImageRecord: what the lake's catalog knows about one image. Shared by the catalog (SQLite),
// the --where filter language and the CLI / server outputs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pixlake {

struct ImageRecord {
  int64_t id = 0;          // catalog id, stable for the life of the image in the lake
  std::string path;        // absolute path as ingested (no symlink resolution of the file itself)
  std::string hash;        // SHA-256 of the file's bytes, lowercase hex
  int64_t size_bytes = 0;  // file size
  int width = 0;           // pixel size after EXIF orientation is applied
  int height = 0;
  int64_t mtime = 0;   // file modification time, unix seconds
  std::string format;  // decoder's name for it: "jpeg", "png", "webp", "gif", "bmp", "tiff", "heif"
  std::string camera;  // EXIF Make and Model joined by a space; empty when absent
  std::optional<int64_t> taken;   // EXIF DateTimeOriginal as unix seconds (read as UTC)
  std::optional<double> gps_lat;  // EXIF GPS in signed decimal degrees
  std::optional<double> gps_lon;
  int64_t added = 0;                        // when the lake first ingested it, unix seconds
  std::vector<std::string> tags;            // sorted, unique
  std::map<std::string, std::string> meta;  // user metadata key -> value
};

}  // namespace pixlake
