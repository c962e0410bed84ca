#include "lake/lake_knn.h"

#include <algorithm>
#include <limits>

#include "index/index_util.h"
#include "lake/lake_index.h"

namespace pixlake {
namespace {

// Dense copy of the live vectors, for the exact graph's matrix products.
std::vector<float> gather(const EmbeddingSnapshot& vectors, const std::vector<int64_t>& rows) {
  const int dim = vectors.dim();
  std::vector<float> dense(rows.size() * static_cast<size_t>(dim));
  for (size_t node = 0; node < rows.size(); ++node) {
    const float* v = vectors.vector(rows[node]);
    std::copy(v, v + dim, dense.begin() + static_cast<std::ptrdiff_t>(node * dim));
  }
  return dense;
}

Status index_graph(Lake& lake, const std::string& model, const LakeKnnOptions& options,
                   LakeKnn& out) {
  LakeIndexOptions build;
  build.threads = options.threads;
  PIXLAKE_RETURN_IF_ERROR(update_lake_index(lake, model, build).status());
  PIXLAKE_ASSIGN_OR_RETURN(auto index, open_lake_index(lake, model, /*verify=*/false));
  if (!index) return internal_error("index of model '" + model + "' vanished after its build");
  const int64_t n = static_cast<int64_t>(out.rows.size());
  const int k = options.k;
  out.graph.n = n;
  out.graph.k = k;
  out.graph.neighbours.assign(static_cast<size_t>(n * k), -1);
  out.graph.scores.assign(static_cast<size_t>(n * k), -std::numeric_limits<float>::infinity());
  constexpr int64_t kChunk = 256;
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<Status> errors(static_cast<size_t>(chunks));
  SearchParams params;
  params.ef = std::max(options.ef, k + 1);
  parallel_for(chunks, options.threads, [&](int64_t chunk) {
    const int64_t first = chunk * kChunk;
    const int64_t count = std::min(kChunk, n - first);
    const int dim = out.vectors.dim();
    std::vector<float> queries(static_cast<size_t>(count * dim));
    for (int64_t i = 0; i < count; ++i) {
      const float* v = out.vectors.vector(out.rows[static_cast<size_t>(first + i)]);
      std::copy(v, v + dim, queries.begin() + i * dim);
    }
    std::vector<float> distances(static_cast<size_t>(count * (k + 1)));
    std::vector<int64_t> labels(distances.size());
    Status s = index->search(count, queries.data(), k + 1, distances.data(), labels.data(), params);
    if (!s.is_ok()) {
      errors[static_cast<size_t>(chunk)] = s;
      return;
    }
    for (int64_t i = 0; i < count; ++i) {
      const int64_t node = first + i;
      int slot = 0;
      for (int j = 0; j <= k && slot < k; ++j) {
        const int64_t row = labels[static_cast<size_t>(i * (k + 1) + j)];
        if (row < 0) break;
        auto it = std::lower_bound(out.rows.begin(), out.rows.end(), row);
        if (it == out.rows.end() || *it != row) continue;  // not live (never expected)
        const int64_t other = it - out.rows.begin();
        if (other == node) continue;
        out.graph.neighbours[static_cast<size_t>(node * k + slot)] = static_cast<int32_t>(other);
        out.graph.scores[static_cast<size_t>(node * k + slot)] =
            1.0f - distances[static_cast<size_t>(i * (k + 1) + j)];
        ++slot;
      }
    }
  });
  for (const Status& s : errors) PIXLAKE_RETURN_IF_ERROR(s);
  out.used_index = true;
  return Status::ok();
}

}  // namespace

Result<LakeKnn> lake_knn_graph(Lake& lake, const std::string& model,
                               const LakeKnnOptions& options) {
  if (options.k <= 0) return invalid_argument("k-NN graph: k must be positive");
  PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake.store(model));
  PIXLAKE_ASSIGN_OR_RETURN(auto live, lake.catalog().embedding_rows(model));
  std::sort(live.begin(), live.end());
  if (live.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return unsupported("k-NN graph: more than 2^31 images");
  }
  LakeKnn out;
  out.vectors = store->snapshot();
  for (const auto& [row, id] : live) {
    out.rows.push_back(row);
    out.ids.push_back(id);
  }
  const int64_t n = static_cast<int64_t>(live.size());
  if (n <= options.exact_below) {
    const std::vector<float> dense = gather(out.vectors, out.rows);
    out.graph = exact_knn_graph(dense.data(), n, out.vectors.dim(), out.vectors.dim(), options.k,
                                options.threads);
    return out;
  }
  PIXLAKE_RETURN_IF_ERROR(index_graph(lake, model, options, out));
  return out;
}

}  // namespace pixlake
