// NumPy .npy files (format 1.0), the interchange format of `pixlake embed -o`.
#pragma once

#include <string>

#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace pixlake {

// Writes a C-order little-endian array (f32, f64, f16, integers, bool). Written to a temporary
// file and renamed, so a failed write never leaves a half file under `path`.
Status write_npy(const std::string& path, const Tensor& tensor);
Result<Tensor> read_npy(const std::string& path);

}  // namespace pixlake
