#include "lake/lake_dups.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "index/index_util.h"
#include "kernels/vec_distance/distance.h"
#include "lake/image_probe.h"
#include "lake/lake_knn.h"

namespace pixlake {
namespace {

constexpr int64_t kHashBatch = 256;  // images hashed per catalog transaction

// Row of each image in a model's embedding file, for pairwise scores outside the k-NN graph.
Result<std::unordered_map<int64_t, int64_t>> rows_by_id(Lake& lake, const std::string& model) {
  PIXLAKE_ASSIGN_OR_RETURN(auto live, lake.catalog().embedding_rows(model));
  std::unordered_map<int64_t, int64_t> out;
  out.reserve(live.size());
  for (const auto& [row, id] : live) out[id] = row;
  return out;
}

}  // namespace

bool keep_before(const LakeDupImage& a, const LakeDupImage& b) {
  const int64_t pixels_a = int64_t{a.width} * a.height;
  const int64_t pixels_b = int64_t{b.width} * b.height;
  if (pixels_a != pixels_b) return pixels_a > pixels_b;
  const int64_t age_a = a.taken.value_or(a.mtime);
  const int64_t age_b = b.taken.value_or(b.mtime);
  if (age_a != age_b) return age_a < age_b;
  return a.id < b.id;
}

std::vector<std::string> dup_tier_names(uint8_t tiers) {
  std::vector<std::string> names;
  if (tiers & kDupExact) names.push_back("exact");
  if (tiers & kDupHash) names.push_back("hash");
  if (tiers & kDupEmbedding) names.push_back("embedding");
  if (tiers & kDupNear) names.push_back("near");
  if (tiers & kDupBovw) names.push_back("bovw");
  if (tiers & kDupUser) names.push_back("user");
  return names;
}

Result<uint8_t> parse_dup_tiers(const std::string& list) {
  uint8_t tiers = 0;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string name = list.substr(start, end - start);
    if (name == "exact") {
      tiers |= kDupExact;
    } else if (name == "hash") {
      tiers |= kDupHash;
    } else if (name == "embedding") {
      tiers |= kDupEmbedding;
    } else if (name == "near") {
      tiers |= kDupNear;
    } else if (name == "bovw") {
      tiers |= kDupBovw;
    } else {
      return invalid_argument("--tiers: unknown tier '" + name +
                              "' (use exact, hash, embedding, near, bovw)");
    }
    start = end + 1;
  }
  return tiers;
}

Status backfill_hashes(Lake& lake, const LakeDupOptions& options, LakeDupReport& report) {
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(auto ids, catalog.images_without_hashes());
  const int64_t total = static_cast<int64_t>(ids.size());
  for (int64_t first = 0; first < total; first += kHashBatch) {
    const int64_t count = std::min(kHashBatch, total - first);
    std::vector<std::string> paths(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      PIXLAKE_ASSIGN_OR_RETURN(auto record,
                               catalog.find_by_id(ids[static_cast<size_t>(first + i)]));
      if (record) paths[static_cast<size_t>(i)] = record->path;
    }
    std::vector<std::optional<PerceptualHashes>> hashes(static_cast<size_t>(count));
    parallel_for(count, options.threads, [&](int64_t i) {
      if (paths[static_cast<size_t>(i)].empty()) return;
      // 64 px is plenty for 32x32 thumbnails and lets JPEGs shrink on load.
      auto probed = probe_and_decode(paths[static_cast<size_t>(i)], options.limits, 64);
      if (probed.is_ok()) hashes[static_cast<size_t>(i)] = perceptual_hashes(probed->image);
    });
    PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
    for (int64_t i = 0; i < count; ++i) {
      if (hashes[static_cast<size_t>(i)]) {
        PIXLAKE_RETURN_IF_ERROR(catalog.set_hashes(ids[static_cast<size_t>(first + i)],
                                                   *hashes[static_cast<size_t>(i)]));
        ++report.hashed_now;
      } else {
        ++report.hash_failed;
      }
    }
    PIXLAKE_RETURN_IF_ERROR(tx.commit());
    if (options.on_hash_progress) options.on_hash_progress(first + count, total);
  }
  return Status::ok();
}

Result<LakeDupReport> find_lake_duplicates(Lake& lake, const LakeDupOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  LakeDupReport report;
  Catalog& catalog = lake.catalog();
  PIXLAKE_RETURN_IF_ERROR(backfill_hashes(lake, options, report));
  PIXLAKE_ASSIGN_OR_RETURN(std::string model, lake.resolve_model_name(options.model));

  // Nodes: embedded images in row order (the k-NN graph's nodes), then images without one.
  LakeKnn knn;
  const bool want_graph =
      (options.thresholds.tiers & (kDupEmbedding | kDupHash | kDupNear | kDupBovw)) != 0;
  PIXLAKE_ASSIGN_OR_RETURN(auto found_model, catalog.find_model(model));
  if (want_graph && found_model && found_model->committed_rows > 0) {
    LakeKnnOptions knn_options;
    knn_options.k = options.k;
    knn_options.threads = options.threads;
    PIXLAKE_ASSIGN_OR_RETURN(knn, lake_knn_graph(lake, model, knn_options));
    report.used_index = knn.used_index;
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto records, catalog.list_images());
  std::unordered_map<int64_t, int32_t> node_of;
  std::vector<int64_t> id_of = knn.ids;
  for (size_t node = 0; node < id_of.size(); ++node) {
    node_of[id_of[node]] = static_cast<int32_t>(node);
  }
  for (const ImageRecord& r : records) {
    if (!node_of.count(r.id)) {
      node_of[r.id] = static_cast<int32_t>(id_of.size());
      id_of.push_back(r.id);
    }
  }
  const int64_t n = static_cast<int64_t>(id_of.size());
  report.images = n;

  DupInput in;
  in.n = n;
  in.graph = knn.graph.n > 0 ? &knn.graph : nullptr;
  in.content.assign(static_cast<size_t>(n), -1);
  in.hashes.resize(static_cast<size_t>(n));
  in.has_hashes.assign(static_cast<size_t>(n), 0);
  std::vector<LakeDupImage> images(static_cast<size_t>(n));
  {
    std::unordered_map<std::string, int64_t> content_class;
    for (const ImageRecord& r : records) {
      const size_t node = static_cast<size_t>(node_of[r.id]);
      auto [it, inserted] =
          content_class.emplace(r.hash, static_cast<int64_t>(content_class.size()));
      in.content[node] = it->second;
      images[node] = {r.id, r.path, r.width, r.height, r.size_bytes, r.taken, r.mtime};
    }
    records.clear();
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto hashes, catalog.all_hashes());
  for (const auto& [id, h] : hashes) {
    auto it = node_of.find(id);
    if (it == node_of.end()) continue;
    in.hashes[static_cast<size_t>(it->second)] = h;
    in.has_hashes[static_cast<size_t>(it->second)] = 1;
  }
  const int64_t graph_nodes = static_cast<int64_t>(knn.rows.size());
  if (graph_nodes > 0) {
    in.embedding_cosine = [&knn, graph_nodes](int32_t a, int32_t b) {
      if (a >= graph_nodes || b >= graph_nodes) return -2.0f;
      return distance_kernels().f32_dot(knn.vectors.vector(knn.rows[static_cast<size_t>(a)]),
                                        knn.vectors.vector(knn.rows[static_cast<size_t>(b)]),
                                        knn.vectors.dim());
    };
  }
  // A lake with Bag-of-Visual-Words histograms lends them as one more tier.
  EmbeddingSnapshot bovw_vectors;
  std::unordered_map<int64_t, int64_t> bovw_rows;
  PIXLAKE_ASSIGN_OR_RETURN(auto bovw_model, catalog.find_model("bovw"));
  if ((options.thresholds.tiers & kDupBovw) && model != "bovw" && bovw_model &&
      bovw_model->committed_rows > 0) {
    PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake.store("bovw"));
    bovw_vectors = store->snapshot();
    PIXLAKE_ASSIGN_OR_RETURN(bovw_rows, rows_by_id(lake, "bovw"));
    report.used_bovw = true;
    in.bovw_cosine = [&](int32_t a, int32_t b) {
      auto ra = bovw_rows.find(id_of[static_cast<size_t>(a)]);
      auto rb = bovw_rows.find(id_of[static_cast<size_t>(b)]);
      if (ra == bovw_rows.end() || rb == bovw_rows.end()) return std::nanf("");
      return distance_kernels().f32_dot(bovw_vectors.vector(ra->second),
                                        bovw_vectors.vector(rb->second), bovw_vectors.dim());
    };
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto verdicts, catalog.dup_verdicts());
  for (const Catalog::DupVerdict& v : verdicts) {
    auto a = node_of.find(v.a);
    auto b = node_of.find(v.b);
    if (a != node_of.end() && b != node_of.end()) {
      in.verdicts.push_back({a->second, b->second, v.duplicate});
    }
  }

  DupResult result = find_duplicates(in, options.thresholds);
  report.candidates = result.candidates;
  std::unordered_map<int32_t, size_t> group_of;
  for (size_t g = 0; g < result.groups.size(); ++g) {
    LakeDupGroup group;
    for (int32_t node : result.groups[g]) {
      group.images.push_back(images[static_cast<size_t>(node)]);
      group_of[node] = g;
    }
    std::sort(group.images.begin(), group.images.end(), keep_before);
    std::sort(group.images.begin() + 1, group.images.end(),
              [](const auto& x, const auto& y) { return x.id < y.id; });
    report.groups.push_back(std::move(group));
  }
  for (const DupPair& pair : result.pairs) {
    report.groups[group_of[pair.a]].pairs.push_back(
        {id_of[static_cast<size_t>(pair.a)], id_of[static_cast<size_t>(pair.b)], pair});
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace pixlake
