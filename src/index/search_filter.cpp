#include <algorithm>

#include "pixlake/index.h"

namespace pixlake {

bool SearchFilter::accepts(int64_t label) const {
  if (allows) return allows(label);
  if (allowed_sorted != nullptr) {
    return std::binary_search(allowed_sorted->begin(), allowed_sorted->end(), label);
  }
  return true;
}

double SearchFilter::selectivity(int64_t total) const {
  if (allowed_sorted == nullptr || allows || total <= 0) return -1;
  return std::min(1.0, static_cast<double>(allowed_sorted->size()) / static_cast<double>(total));
}

}  // namespace pixlake
