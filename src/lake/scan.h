// Finding the image files under the paths given to `pixlake add`: a recursive walk that follows
// symbolic links without looping, reports unreadable entries instead of stopping, and keeps
// only files whose extension names an image format (files named directly are always kept).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lake/catalog.h"
#include "pixlake/status.h"

namespace pixlake {

struct ScannedFile {
  std::string path;  // absolute, lexically normalised, symlinks in directories not resolved
  FileStamp stamp;
};

struct ScanResult {
  std::vector<ScannedFile> files;       // sorted by path, unique
  std::vector<IngestFailure> problems;  // unreadable directories, dangling links, loops
  int64_t skipped_not_image = 0;        // files with other extensions inside directories
};

// True for the extensions pixlake decodes (jpg, jpeg, png, webp, gif, bmp, tif, tiff, heic,
// heif, avif), case-insensitively.
bool has_image_extension(const std::string& path);

// Absolute, lexically normalised form of `path` (relative to the working directory).
std::string absolute_path(const std::string& path);

// Walks `roots`. A root that does not exist is an error (NotFound naming it), because that is
// almost always a typo; problems below the roots are collected in ScanResult::problems.
Result<ScanResult> scan_paths(const std::vector<std::string>& roots);

}  // namespace pixlake
