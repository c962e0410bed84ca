#include "image_batches.h"

#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <fstream>

namespace pixlake::cli {

Status for_each_image_batch(const std::vector<std::string>& paths, int batch_size,
                            const std::function<Status(size_t, const std::vector<Image>&)>& fn) {
  const bool show_progress =
      isatty(STDERR_FILENO) && paths.size() > static_cast<size_t>(batch_size);
  for (size_t start = 0; start < paths.size(); start += batch_size) {
    size_t end = std::min(paths.size(), start + batch_size);
    std::vector<Image> images;
    for (size_t i = start; i < end; ++i) {
      PIXLAKE_ASSIGN_OR_RETURN(Image img, decode_image_file(paths[i]));
      images.push_back(std::move(img));
    }
    PIXLAKE_RETURN_IF_ERROR(fn(start, images));
    if (show_progress) std::fprintf(stderr, "\r%zu/%zu images", end, paths.size());
  }
  if (show_progress) std::fprintf(stderr, "\n");
  return Status::ok();
}

Result<std::vector<std::string>> read_path_list(const std::string& list_file) {
  std::ifstream in(list_file);
  if (!in) return not_found("image list '" + list_file + "' not found");
  std::vector<std::string> paths;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) paths.push_back(line);
  }
  return paths;
}

}  // namespace pixlake::cli
