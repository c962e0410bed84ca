#include "lake/exact_search.h"

#include <algorithm>
#include <queue>

namespace pixlake {

namespace {

float dot(const float* a, const float* b, int dim) {
  // Four partial sums let the compiler vectorise without -ffast-math.
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= dim; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < dim; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace

bool search_hit_better(const SearchHit& a, const SearchHit& b) {
  return a.score != b.score ? a.score > b.score : a.id < b.id;
}

std::vector<SearchHit> exact_search(const EmbeddingStore& store,
                                    const std::vector<std::pair<int64_t, int64_t>>& rows,
                                    const float* query, int k, int64_t exclude_id) {
  if (k <= 0) return {};
  const int dim = store.dim();
  // A min-heap of the k best so far: the worst of them is on top, ready to be replaced.
  std::priority_queue<SearchHit, std::vector<SearchHit>, decltype(&search_hit_better)> heap(
      &search_hit_better);
  for (const auto& [row, id] : rows) {
    if (id == exclude_id) continue;
    SearchHit hit{id, dot(store.vector(row), query, dim)};
    if (static_cast<int>(heap.size()) < k) {
      heap.push(hit);
    } else if (search_hit_better(hit, heap.top())) {
      heap.pop();
      heap.push(hit);
    }
  }
  std::vector<SearchHit> out;
  while (!heap.empty()) {
    out.push_back(heap.top());
    heap.pop();
  }
  std::sort(out.begin(), out.end(), search_hit_better);
  return out;
}

}  // namespace pixlake
