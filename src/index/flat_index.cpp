#include "index/flat_index.h"

#include <algorithm>
#include <queue>
#include <utility>

#include "index/index_util.h"

namespace pixlake {

FlatIndex::FlatIndex(int dim, Metric metric)
    : Index(dim, metric), vectors_(dim, metric != Metric::kL2, VectorCodec::kF32) {}

size_t FlatIndex::memory_bytes() const {
  return vectors_.memory_bytes() + labels_.capacity() * sizeof(int64_t) +
         by_label_.bucket_count() * sizeof(void*) + by_label_.size() * 32;
}

Status FlatIndex::add(int64_t n, const float* x, const int64_t* ids) {
  if (n < 0 || (n > 0 && (x == nullptr || ids == nullptr))) {
    return invalid_argument("index add: bad arguments");
  }
  PIXLAKE_RETURN_IF_ERROR(check_finite(x, n, dim()));
  std::vector<float> row(static_cast<size_t>(dim()));
  for (int64_t i = 0; i < n; ++i) {
    std::copy(x + i * dim(), x + (i + 1) * dim(), row.begin());
    if (metric() == Metric::kCosine) normalise(row.data(), dim());
    max_label_ = std::max(max_label_, ids[i]);
    auto [it, inserted] = by_label_.try_emplace(ids[i], size());
    if (inserted) {
      labels_.push_back(ids[i]);
      vectors_.resize(size());
    }
    vectors_.set(it->second, row.data());
  }
  return Status::ok();
}

int64_t FlatIndex::remove(int64_t n, const int64_t* ids) {
  // Swap-with-last keeps rows dense, so a search never skips holes.
  std::vector<float> last(static_cast<size_t>(dim()));
  int64_t removed = 0;
  for (int64_t i = 0; i < n; ++i) {
    auto it = by_label_.find(ids[i]);
    if (it == by_label_.end()) continue;
    const int64_t row = it->second;
    const int64_t tail = size() - 1;
    if (row != tail) {
      vectors_.decode(tail, last.data());
      vectors_.set(row, last.data());
      labels_[row] = labels_[tail];
      by_label_[labels_[row]] = row;
    }
    by_label_.erase(ids[i]);
    labels_.pop_back();
    vectors_.resize(tail);
    ++removed;
  }
  return removed;
}

Status FlatIndex::search(int64_t n, const float* queries, int k, float* distances, int64_t* labels,
                         const SearchParams& params) const {
  if (k <= 0 || n < 0) return invalid_argument("index search: k must be positive");
  PIXLAKE_RETURN_IF_ERROR(check_finite(queries, n, dim()));
  std::vector<float> q(static_cast<size_t>(dim()));
  using Hit = std::pair<float, int64_t>;  // (distance, label): the pair order breaks ties by label
  for (int64_t i = 0; i < n; ++i) {
    std::copy(queries + i * dim(), queries + (i + 1) * dim(), q.begin());
    if (metric() == Metric::kCosine) normalise(q.data(), dim());
    std::priority_queue<Hit> best;  // worst on top
    for (int64_t row = 0; row < size(); ++row) {
      if (params.filter != nullptr && !params.filter->accepts(labels_[row])) continue;
      const Hit hit{vectors_.exact_distance(q.data(), row), labels_[row]};
      if (static_cast<int>(best.size()) < k) {
        best.push(hit);
      } else if (hit < best.top()) {
        best.pop();
        best.push(hit);
      }
    }
    float* d_out = distances + i * k;
    int64_t* l_out = labels + i * k;
    fill_missing(k, d_out, l_out);
    for (size_t j = best.size(); j-- > 0; best.pop()) {
      d_out[j] = best.top().first;
      l_out[j] = best.top().second;
    }
  }
  return Status::ok();
}

}  // namespace pixlake
