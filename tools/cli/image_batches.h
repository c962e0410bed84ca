// Decodes image files in fixed-size batches for the CLI commands, so memory stays bounded
// however many images are given.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "image/image.h"

namespace pixlake::cli {

// Calls `fn(first_index, images)` for consecutive batches. Stops at the first file that
// fails to decode and returns its error (naming the file).
Status for_each_image_batch(const std::vector<std::string>& paths, int batch_size,
                            const std::function<Status(size_t, const std::vector<Image>&)>& fn);

// Reads a file holding one image path a line (blank lines ignored), for image lists too long
// for a command line.
Result<std::vector<std::string>> read_path_list(const std::string& list_file);

}  // namespace pixlake::cli
