#include "ground_truth.h"

#include <cblas.h>

#include <algorithm>
#include <queue>
#include <thread>
#include <utility>

#include "core/blas_threads.h"

namespace pixlake::bench {

namespace {

// Exact distance in double precision, the same definition the indexes use (squared L2, or
// 1 - <q, x> on unit vectors).
double exact_distance(const Dataset& data, const float* query, int64_t row) {
  const float* x = data.base.data() + row * data.dim;
  double sum = 0;
  if (data.distance == Distance::kL2) {
    for (int col = 0; col < data.dim; ++col) {
      double diff = double{query[col]} - x[col];
      sum += diff * diff;
    }
    return sum;
  }
  for (int col = 0; col < data.dim; ++col) sum += double{query[col]} * x[col];
  return 1.0 - sum;
}

constexpr int64_t kQueryBlock = 256;
constexpr int64_t kBaseBlock = 2048;

// Queries [query_begin, query_end): dot products by SGEMM, then a running top-k per query on
// the score (smaller is closer): |x|^2 - 2<q,x> for L2 (|q|^2 is the same for every x),
// -<q,x> for inner product.
void top_k_range(const Dataset& data, const std::vector<float>& base_norms, int k,
                 int64_t query_begin, int64_t query_end, GroundTruth* truth) {
  const int dim = data.dim;
  const bool l2 = data.distance == Distance::kL2;
  std::vector<float> dots(kQueryBlock * kBaseBlock);
  using Entry = std::pair<float, int64_t>;  // max-heap: the worst kept neighbour on top
  std::vector<std::priority_queue<Entry>> heaps(kQueryBlock);
  for (int64_t q0 = query_begin; q0 < query_end; q0 += kQueryBlock) {
    int64_t n_q = std::min(kQueryBlock, query_end - q0);
    for (auto& heap : heaps) heap = {};
    for (int64_t b0 = 0; b0 < data.n_base; b0 += kBaseBlock) {
      int64_t n_b = std::min(kBaseBlock, data.n_base - b0);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n_q),
                  static_cast<int>(n_b), dim, 1.f, data.queries.data() + q0 * dim, dim,
                  data.base.data() + b0 * dim, dim, 0.f, dots.data(), static_cast<int>(n_b));
      for (int64_t qi = 0; qi < n_q; ++qi) {
        auto& heap = heaps[qi];
        const float* row_dots = dots.data() + qi * n_b;
        for (int64_t bi = 0; bi < n_b; ++bi) {
          float score = l2 ? base_norms[b0 + bi] - 2.f * row_dots[bi] : -row_dots[bi];
          if (static_cast<int>(heap.size()) < k) {
            heap.emplace(score, b0 + bi);
          } else if (score < heap.top().first) {
            heap.pop();
            heap.emplace(score, b0 + bi);
          }
        }
      }
    }
    for (int64_t qi = 0; qi < n_q; ++qi) {
      // Re-score the winners in double so the boundary distance is exact.
      const float* query = data.queries.data() + (q0 + qi) * dim;
      std::vector<std::pair<double, int64_t>> found;
      for (auto& heap = heaps[qi]; !heap.empty(); heap.pop())
        found.emplace_back(exact_distance(data, query, heap.top().second), heap.top().second);
      std::sort(found.begin(), found.end());
      int64_t* out = truth->labels.data() + (q0 + qi) * k;
      for (int i = 0; i < k; ++i)
        out[i] = i < static_cast<int>(found.size()) ? found[i].second : -1;
      truth->kth_distance[q0 + qi] = found.empty() ? 0 : found.back().first;
    }
  }
}

}  // namespace

GroundTruth exact_top_k(const Dataset& data, int k, int n_threads) {
  GroundTruth truth;
  truth.k = k;
  truth.labels.assign(static_cast<size_t>(data.n_queries) * k, -1);
  truth.kth_distance.assign(data.n_queries, 0);
  std::vector<float> base_norms(data.n_base);
  for (int64_t row = 0; row < data.n_base; ++row) {
    const float* x = data.base.data() + row * data.dim;
    double sum = 0;
    for (int col = 0; col < data.dim; ++col) sum += double{x[col]} * x[col];
    base_norms[row] = static_cast<float>(sum);
  }
  // One BLAS thread per worker: the workers are the parallelism.
  ScopedBlasThreads one_blas_thread(1);
  n_threads = std::max(1, n_threads);
  int64_t per_thread = (data.n_queries + n_threads - 1) / n_threads;
  std::vector<std::thread> workers;
  for (int t = 0; t < n_threads; ++t) {
    int64_t begin = std::min(data.n_queries, t * per_thread);
    int64_t end = std::min(data.n_queries, begin + per_thread);
    workers.emplace_back([&, begin, end] { top_k_range(data, base_norms, k, begin, end, &truth); });
  }
  for (auto& worker : workers) worker.join();
  return truth;
}

double recall_at_k(const Dataset& data, const GroundTruth& truth, const int64_t* labels) {
  const int k = truth.k;
  int64_t hits = 0;
  std::vector<int64_t> seen;
  for (int64_t query = 0; query < data.n_queries; ++query) {
    const float* q = data.queries.data() + query * data.dim;
    double limit = truth.kth_distance[query];
    limit += 1e-6 * std::max(1.0, limit < 0 ? -limit : limit);
    seen.clear();
    for (int i = 0; i < k; ++i) {
      int64_t label = labels[query * k + i];
      if (label < 0 || label >= data.n_base) continue;
      if (std::find(seen.begin(), seen.end(), label) != seen.end()) continue;
      seen.push_back(label);
      if (exact_distance(data, q, label) <= limit) ++hits;
    }
  }
  return data.n_queries == 0 ? 0 : static_cast<double>(hits) / (double(data.n_queries) * k);
}

}  // namespace pixlake::bench
