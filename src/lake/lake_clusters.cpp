#include "lake/lake_clusters.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "curate/kmeans.h"
#include "lake/filter.h"
#include "lake/filter_sql.h"

namespace pixlake {

namespace {

constexpr const char* kClusterTagPrefix = "cluster:";
// Rows used to choose k and to report the silhouette: silhouette is O(sample^2).
constexpr int64_t kSilhouetteSample = 2000;
constexpr int kMaxIterations = 30;
// Best of several k-means runs: each costs one clustering of the set (about a second for the
// 8677 Caltech-101 images on 2 cores), and a single run sometimes merges two clear classes.
constexpr int kRestarts = 5;

Result<SqlFragment> where_sql(const std::string& where) {
  if (where.empty()) return SqlFragment{};
  auto filter = parse_filter(where);
  if (!filter.is_ok()) return filter.status().with_context("--where");
  return filter_to_sql(*filter);
}

KMeansOptions options_for(const ClusterRequest& request, int k) {
  KMeansOptions options;
  options.k = k;
  options.seed = request.seed;
  options.threads = request.threads;
  options.spherical = true;
  options.max_iterations = kMaxIterations;
  options.restarts = kRestarts;
  return options;
}

// Tries each candidate k on one sample of the rows and keeps the best silhouette (the smaller
// k on a tie).
Result<int> choose_k(const std::vector<float>& x, int64_t n, int dim, const ClusterRequest& request,
                     ClusterReport& report) {
  const std::vector<int> candidates = choose_k_candidates(n);
  if (candidates.empty()) return 1;
  // Cluster the first kSilhouetteSample rows of a seeded shuffle.
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::mt19937_64 rng(request.seed);
  std::shuffle(order.begin(), order.end(), rng);
  const int64_t m = std::min(n, kSilhouetteSample);
  std::vector<float> sample(static_cast<size_t>(m) * static_cast<size_t>(dim));
  for (int64_t i = 0; i < m; ++i) {
    std::copy_n(x.data() + order[static_cast<size_t>(i)] * dim, dim, sample.data() + i * dim);
  }
  int best_k = candidates.front();
  double best = -2;
  for (int k : candidates) {
    PIXLAKE_ASSIGN_OR_RETURN(KMeansResult result,
                             kmeans(sample.data(), m, dim, dim, options_for(request, k)));
    const double score = silhouette(sample.data(), m, dim, dim, result.labels.data(), 0,
                                    request.seed, request.threads);
    report.candidates.emplace_back(k, score);
    if (score > best) {
      best = score;
      best_k = k;
    }
  }
  return best_k;
}

}  // namespace

std::vector<int> choose_k_candidates(int64_t n) {
  std::vector<int> out;
  for (int k : {2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64}) {
    if (int64_t{k} * 4 <= n) out.push_back(k);
  }
  return out;
}

Result<ClusterReport> cluster_lake(Lake& lake, const ClusterRequest& request) {
  if (lake.access() != Lake::Access::kWrite) return internal_error("cluster needs write access");
  if (request.k < 0) return invalid_argument("cluster: k must be positive");
  ClusterReport report;
  PIXLAKE_ASSIGN_OR_RETURN(report.model, lake.resolve_model_name(request.model));
  PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake.store(report.model));
  PIXLAKE_ASSIGN_OR_RETURN(SqlFragment filter, where_sql(request.where));
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(auto rows,
                           catalog.embedding_rows(report.model, filter.sql, filter.params));
  if (rows.empty()) {
    return not_found("cluster: no image of lake '" + lake.dir() + "' has a '" + report.model +
                     "' embedding" + (request.where.empty() ? "" : " and matches --where"));
  }
  // Image-id order, so that the same lake clusters the same way whatever the row layout.
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  const int64_t n = static_cast<int64_t>(rows.size());
  const int dim = store->dim();
  std::vector<float> x(static_cast<size_t>(n) * static_cast<size_t>(dim));
  for (int64_t i = 0; i < n; ++i) {
    std::copy_n(store->vector(rows[static_cast<size_t>(i)].first), dim, x.data() + i * dim);
  }
  report.images = n;

  int k = request.k;
  if (k == 0) {
    report.k_automatic = true;
    PIXLAKE_ASSIGN_OR_RETURN(k, choose_k(x, n, dim, request, report));
  }
  PIXLAKE_ASSIGN_OR_RETURN(KMeansResult result,
                           kmeans(x.data(), n, dim, dim, options_for(request, k)));
  report.silhouette = silhouette(x.data(), n, dim, dim, result.labels.data(), kSilhouetteSample,
                                 request.seed, request.threads);

  // Number the non-empty clusters by size, largest first.
  std::vector<int> by_size;
  for (int c = 0; c < result.k; ++c) {
    if (result.sizes[static_cast<size_t>(c)] > 0) by_size.push_back(c);
  }
  std::stable_sort(by_size.begin(), by_size.end(), [&](int a, int b) {
    return result.sizes[static_cast<size_t>(a)] > result.sizes[static_cast<size_t>(b)];
  });
  std::vector<int> number(static_cast<size_t>(result.k), -1);
  for (size_t i = 0; i < by_size.size(); ++i)
    number[static_cast<size_t>(by_size[i])] = static_cast<int>(i);
  report.k = static_cast<int>(by_size.size());
  report.clusters.resize(by_size.size());
  std::vector<float> best_distance(by_size.size(), INFINITY);
  for (int64_t i = 0; i < n; ++i) {
    const int c = number[static_cast<size_t>(result.labels[static_cast<size_t>(i)])];
    const int64_t id = rows[static_cast<size_t>(i)].second;
    ClusterSummary& summary = report.clusters[static_cast<size_t>(c)];
    summary.cluster = c;
    ++summary.size;
    // Rows are in id order, so a tie keeps the smaller id.
    if (result.distances[static_cast<size_t>(i)] < best_distance[static_cast<size_t>(c)]) {
      best_distance[static_cast<size_t>(c)] = result.distances[static_cast<size_t>(i)];
      summary.representative = id;
    }
    report.assignment.emplace_back(id, c);
  }
  for (auto& summary : report.clusters) {
    PIXLAKE_ASSIGN_OR_RETURN(auto record, catalog.find_by_id(summary.representative));
    if (record) summary.representative_path = record->path;
  }

  // Replace the old cluster tags of exactly the images clustered now, all or nothing.
  PIXLAKE_ASSIGN_OR_RETURN(auto records, catalog.list_images());
  std::vector<std::vector<std::string>> old_tags(static_cast<size_t>(n));
  for (const auto& record : records) {
    auto it = std::lower_bound(rows.begin(), rows.end(), record.id,
                               [](const auto& row, int64_t id) { return row.second < id; });
    if (it == rows.end() || it->second != record.id) continue;
    for (const auto& tag : record.tags) {
      if (tag.rfind(kClusterTagPrefix, 0) == 0)
        old_tags[static_cast<size_t>(it - rows.begin())].push_back(tag);
    }
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
  for (int64_t i = 0; i < n; ++i) {
    const auto& [id, c] = report.assignment[static_cast<size_t>(i)];
    for (const auto& tag : old_tags[static_cast<size_t>(i)]) {
      PIXLAKE_RETURN_IF_ERROR(catalog.remove_tag(id, tag));
    }
    PIXLAKE_RETURN_IF_ERROR(catalog.add_tag(id, kClusterTagPrefix + std::to_string(c)));
  }
  PIXLAKE_RETURN_IF_ERROR(tx.commit());
  return report;
}

}  // namespace pixlake
