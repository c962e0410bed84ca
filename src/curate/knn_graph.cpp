#include "curate/knn_graph.h"

#include <cblas.h>

#include <algorithm>
#include <limits>

#include "core/blas_threads.h"
#include "index/index_util.h"

namespace pixlake {
namespace {

// Rows scored against all others per matrix product: big enough for BLAS to run near peak,
// small enough that block * n floats stay modest (1024 x 100k = 400 MB is the worst we allow).
int64_t block_rows(int64_t n) {
  const int64_t budget_floats = int64_t{1} << 26;  // 256 MiB of scores
  return std::clamp<int64_t>(budget_floats / std::max<int64_t>(n, 1), 1, 1024);
}

// The k best of one row of scores, self excluded, best first (ties: smaller index first).
void select_top_k(const float* scores, int64_t n, int64_t self, int k, int32_t* out_nodes,
                  float* out_scores) {
  auto better = [](const std::pair<float, int32_t>& a, const std::pair<float, int32_t>& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  std::vector<std::pair<float, int32_t>> heap;  // worst of the kept at front
  heap.reserve(static_cast<size_t>(k) + 1);
  for (int64_t j = 0; j < n; ++j) {
    if (j == self) continue;
    std::pair<float, int32_t> candidate{scores[j], static_cast<int32_t>(j)};
    if (static_cast<int>(heap.size()) < k) {
      heap.push_back(candidate);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(candidate, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = candidate;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  for (int i = 0; i < k; ++i) {
    const bool have = i < static_cast<int>(heap.size());
    out_nodes[i] = have ? heap[i].second : -1;
    out_scores[i] = have ? heap[i].first : -std::numeric_limits<float>::infinity();
  }
}

}  // namespace

KnnGraph exact_knn_graph(const float* rows, int64_t n, int dim, int64_t stride, int k,
                         int threads) {
  KnnGraph graph;
  graph.n = n;
  graph.k = k;
  graph.neighbours.assign(static_cast<size_t>(n * k), -1);
  graph.scores.assign(static_cast<size_t>(n * k), -std::numeric_limits<float>::infinity());
  if (n == 0 || k <= 0) return graph;
  const int n_threads = resolve_threads(threads);
  ScopedBlasThreads blas(n_threads);
  const int64_t block = block_rows(n);
  std::vector<float> scores(static_cast<size_t>(block * n));
  for (int64_t first = 0; first < n; first += block) {
    const int64_t count = std::min(block, n - first);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(count),
                static_cast<int>(n), dim, 1.0f, rows + first * stride, static_cast<int>(stride),
                rows, static_cast<int>(stride), 0.0f, scores.data(), static_cast<int>(n));
    parallel_for(count, n_threads, [&](int64_t i) {
      const int64_t node = first + i;
      select_top_k(scores.data() + i * n, n, node, k, graph.neighbours.data() + node * k,
                   graph.scores.data() + node * k);
    });
  }
  return graph;
}

}  // namespace pixlake
