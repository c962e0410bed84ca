#include "lake/lake_index.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <unordered_set>

namespace pixlake {

std::string lake_index_path(const std::string& dir, const std::string& model) {
  return dir + "/indexes/" + model + ".pxi";
}

Result<std::unique_ptr<Index>> open_lake_index(const Lake& lake, const std::string& model,
                                               bool verify) {
  const std::string path = lake_index_path(lake.dir(), model);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::unique_ptr<Index>();
  auto index = load_index(path, verify);
  if (!index.is_ok()) {
    return index.status().with_context("index of model '" + model +
                                       "' (rebuild it with pixlake index LAKE --rebuild)");
  }
  return index;
}

Result<LakeIndexReport> update_lake_index(Lake& lake, const std::string& model,
                                          const LakeIndexOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake.store(model));
  std::unique_ptr<Index> index;
  if (!options.rebuild) {
    PIXLAKE_ASSIGN_OR_RETURN(index, open_lake_index(lake, model, /*verify=*/true));
  }
  if (index && (index->dim() != store->dim() || index->metric() != Metric::kCosine)) {
    return data_loss("index of model '" + model + "' does not match its embeddings (dimension " +
                     std::to_string(index->dim()) + " vs " + std::to_string(store->dim()) +
                     "); rebuild it with pixlake index LAKE --rebuild");
  }
  if (!index) {
    IndexBuildOptions build;
    build.threads = options.threads;
    PIXLAKE_ASSIGN_OR_RETURN(index,
                             make_index(options.factory, store->dim(), Metric::kCosine, build));
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto live, lake.catalog().embedding_rows(model));
  std::sort(live.begin(), live.end());
  const int64_t covered_before = index->max_label();

  // Rows that died since the index was built (removed or re-embedded images) leave it.
  std::vector<int64_t> dead;
  {
    std::unordered_set<int64_t> live_rows;
    for (const auto& [row, id] : live) live_rows.insert(row);
    for (int64_t row = 0; row <= covered_before; ++row) {
      if (!live_rows.count(row)) dead.push_back(row);
    }
  }
  index->remove(static_cast<int64_t>(dead.size()), dead.data());

  // New rows go in, in slices so that memory stays bounded on a big lake.
  constexpr size_t kSlice = 65536;
  std::vector<float> vectors;
  std::vector<int64_t> labels;
  LakeIndexReport report;
  auto flush = [&]() -> Status {
    if (labels.empty()) return Status::ok();
    PIXLAKE_RETURN_IF_ERROR(
        index->add(static_cast<int64_t>(labels.size()), vectors.data(), labels.data()));
    report.added += static_cast<int64_t>(labels.size());
    vectors.clear();
    labels.clear();
    return Status::ok();
  };
  for (const auto& [row, id] : live) {
    if (row <= covered_before) continue;
    const float* v = store->vector(row);
    vectors.insert(vectors.end(), v, v + store->dim());
    labels.push_back(row);
    if (labels.size() == kSlice) PIXLAKE_RETURN_IF_ERROR(flush());
  }
  PIXLAKE_RETURN_IF_ERROR(flush());

  const std::string path = lake_index_path(lake.dir(), model);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return io_error("cannot create " + path + "'s folder: " + ec.message());
  PIXLAKE_RETURN_IF_ERROR(index->save(path));
  report.covered = index->size();
  report.description = index->description();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

Result<std::vector<SearchHit>> search_rows(const Index* index, const EmbeddingStore& store,
                                           const std::vector<std::pair<int64_t, int64_t>>& rows,
                                           const float* query, int k, int64_t exclude_id, int ef) {
  if (index == nullptr) return exact_search(store, rows, query, k, exclude_id);
  const int64_t covered_to = index->max_label();
  std::vector<std::pair<int64_t, int64_t>> covered, extra;
  for (const auto& r : rows) (r.first <= covered_to ? covered : extra).push_back(r);
  std::sort(covered.begin(), covered.end());
  std::vector<SearchHit> hits = exact_search(store, extra, query, k, exclude_id);

  if (!covered.empty()) {
    std::vector<int64_t> allowed(covered.size());
    for (size_t i = 0; i < covered.size(); ++i) allowed[i] = covered[i].first;
    SearchFilter filter;
    filter.allowed_sorted = &allowed;
    SearchParams params;
    const int want = k + (exclude_id >= 0 ? 1 : 0);
    params.ef = std::max(ef, want);
    // Every vector of the index is allowed: no filter needed.
    if (static_cast<int64_t>(allowed.size()) != index->size()) params.filter = &filter;
    std::vector<float> distances(static_cast<size_t>(want));
    std::vector<int64_t> labels(static_cast<size_t>(want));
    PIXLAKE_RETURN_IF_ERROR(index->search(1, query, want, distances.data(), labels.data(), params));
    for (int i = 0; i < want; ++i) {
      if (labels[i] < 0) break;
      auto it = std::lower_bound(covered.begin(), covered.end(),
                                 std::pair<int64_t, int64_t>{labels[i], INT64_MIN});
      if (it == covered.end() || it->first != labels[i] || it->second == exclude_id) continue;
      hits.push_back({it->second, 1.0f - distances[i]});
    }
  }
  std::sort(hits.begin(), hits.end(), search_hit_better);
  if (static_cast<int>(hits.size()) > k) hits.resize(static_cast<size_t>(k));
  return hits;
}

}  // namespace pixlake
