// Exact search: every query is scored against every vector with the SIMD distance kernels.
// The ground truth the graph index is tested against, and the right choice below a few
// thousand vectors.
#pragma once

#include <unordered_map>
#include <vector>

#include "index/vector_set.h"
#include "pixlake/index.h"

namespace pixlake {

class FlatIndex final : public Index {
 public:
  FlatIndex(int dim, Metric metric);

  int64_t size() const override { return static_cast<int64_t>(labels_.size()); }
  int64_t max_label() const override { return max_label_; }
  std::string description() const override { return "Flat"; }
  size_t memory_bytes() const override;
  Status add(int64_t n, const float* x, const int64_t* ids) override;
  int64_t remove(int64_t n, const int64_t* ids) override;
  Status search(int64_t n, const float* queries, int k, float* distances, int64_t* labels,
                const SearchParams& params = {}) const override;
  Status save(const std::string& path) const override;

  friend class FlatFile;

 private:
  VectorSet vectors_;
  std::vector<int64_t> labels_;                    // row -> label
  std::unordered_map<int64_t, int64_t> by_label_;  // label -> row
  int64_t max_label_ = -1;
};

}  // namespace pixlake
