#include "lake/lake_map.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>

#include "curate/fuzzy_graph.h"
#include "curate/knn_graph.h"
#include "curate/layout_2d.h"
#include "curate/pca.h"
#include "curate/trustworthiness.h"
#include "image/png_write.h"
#include "lake/filter.h"
#include "lake/filter_sql.h"
#include "lake/map_coords.h"
#include "lake/map_render.h"

namespace pixlake {
namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// (row, id) pairs of the images to draw, by id: all of them, or a seeded sample.
std::vector<std::pair<int64_t, int64_t>> sample_rows(std::vector<std::pair<int64_t, int64_t>> rows,
                                                     int64_t sample, uint64_t seed) {
  const auto n = static_cast<int64_t>(rows.size());
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  if (sample > 0 && sample < n) {
    for (int64_t i = 0; i < sample; ++i) {
      const int64_t j = i + static_cast<int64_t>(splitmix64(seed) % static_cast<uint64_t>(n - i));
      std::swap(rows[i], rows[j]);
    }
    rows.resize(static_cast<size_t>(sample));
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
  }
  return rows;
}

// The group name of an image: the rest of its first tag starting with `prefix`, or (no
// prefix) the name of the folder holding it. Empty: no group.
std::string group_of(const ImageRecord& record, const std::string& prefix) {
  if (!prefix.empty()) {
    for (const auto& tag : record.tags)
      if (tag.size() > prefix.size() && tag.compare(0, prefix.size(), prefix) == 0)
        return tag.substr(prefix.size());
    return "";
  }
  return std::filesystem::path(record.path).parent_path().filename().string();
}

// Rescales n (x, y) pairs into [0, 1] with one scale for both axes (centred along the shorter),
// y flipped so that "up" in the layout is up in the picture.
void normalise_unit_square(std::vector<float>& xy) {
  const size_t n = xy.size() / 2;
  float lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (size_t i = 0; i < n; ++i) {
    for (int a = 0; a < 2; ++a) {
      lo[a] = std::min(lo[a], xy[i * 2 + a]);
      hi[a] = std::max(hi[a], xy[i * 2 + a]);
    }
  }
  const float range = std::max({hi[0] - lo[0], hi[1] - lo[1], 1e-12f});
  for (size_t i = 0; i < n; ++i) {
    for (int a = 0; a < 2; ++a) {
      const float offset = (range - (hi[a] - lo[a])) / 2;
      xy[i * 2 + a] = std::clamp((xy[i * 2 + a] - lo[a] + offset) / range, 0.0f, 1.0f);
    }
    xy[i * 2 + 1] = 1.0f - xy[i * 2 + 1];
  }
}

// The layout of n rows (contiguous, dim floats each) by `options.method`.
Result<std::vector<float>> project(const std::vector<float>& rows, int64_t n, int dim,
                                   const MapOptions& options) {
  std::vector<float> xy(static_cast<size_t>(n) * 2);
  if (n == 1) return xy;
  const int reduced = options.method == MapMethod::kPca ? 2
                      : options.pca_dims > 0            ? std::min(options.pca_dims, dim)
                                                        : dim;
  // A sample of n points spans at most n - 1 dimensions: asking for more costs time and buys
  // nothing.
  const int components =
      static_cast<int>(std::min<int64_t>({reduced, dim, std::max<int64_t>(2, n - 1)}));
  PIXLAKE_ASSIGN_OR_RETURN(Pca pca, fit_pca(rows.data(), n, dim, dim, components, options.threads));
  std::vector<float> projected(static_cast<size_t>(n) * pca.components);
  pca_project(pca, rows.data(), n, dim, projected.data());
  for (int64_t i = 0; i < n; ++i) {
    xy[i * 2] = projected[i * pca.components];
    xy[i * 2 + 1] = projected[i * pca.components + 1];
  }
  if (options.method == MapMethod::kPca || n < 3) return xy;
  // The graph is built on the leading principal components, re-normalised: most of the
  // neighbourhood structure, at a fraction of the O(n^2 dim) cost on large samples.
  const bool use_reduced = reduced < dim;
  const int graph_dim = use_reduced ? pca.components : dim;
  std::vector<float> graph_rows;
  if (use_reduced) {
    graph_rows = std::move(projected);
    for (int64_t i = 0; i < n; ++i) {
      float* row = graph_rows.data() + i * graph_dim;
      double norm = 0;
      for (int d = 0; d < graph_dim; ++d) norm += static_cast<double>(row[d]) * row[d];
      const float scale = norm > 0 ? static_cast<float>(1.0 / std::sqrt(norm)) : 0.0f;
      for (int d = 0; d < graph_dim; ++d) row[d] *= scale;
    }
  }
  const float* graph_data = use_reduced ? graph_rows.data() : rows.data();
  const int k = static_cast<int>(std::min<int64_t>(options.neighbours, n - 1));
  const KnnGraph graph = exact_knn_graph(graph_data, n, graph_dim, graph_dim, k, options.threads);
  Layout2dOptions layout;
  layout.seed = options.seed;
  return layout_2d(fuzzy_edges(graph), xy, layout);
}

// Fails early, before minutes of work, when `path`'s folder is missing or not writable.
Status check_writable(const std::string& path, const char* what) {
  if (path.empty()) return Status::ok();
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (folder.empty()) folder = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    return io_error(std::string("map: cannot write ") + what + " '" + path + "': folder '" +
                    folder.string() + "' does not exist");
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    return io_error(std::string("map: cannot write ") + what + " '" + path + "': folder '" +
                    folder.string() + "' is not writable");
  }
  return Status::ok();
}

}  // namespace

std::string lake_map_coords_path(const std::string& dir, const std::string& model) {
  return dir + "/maps/" + model + ".json";
}

Result<MapReport> make_lake_map(Lake& lake, const MapOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  if (options.sample < 1) return invalid_argument("map: --sample must be at least 1");
  if (options.size < 256 || options.size > 16384) {
    return invalid_argument("map: --size must be in [256, 16384], got " +
                            std::to_string(options.size));
  }
  PIXLAKE_RETURN_IF_ERROR(check_writable(options.png_path, "the picture"));
  PIXLAKE_RETURN_IF_ERROR(check_writable(options.coords_path, "coordinates"));
  PIXLAKE_ASSIGN_OR_RETURN(std::string model, lake.resolve_model_name(options.model));
  PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake.store(model));
  SqlFragment filter;
  if (!options.where.empty()) {
    auto parsed = parse_filter(options.where);
    if (!parsed.is_ok()) return parsed.status().with_context("--where");
    filter = filter_to_sql(*parsed);
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto all_rows,
                           lake.catalog().embedding_rows(model, filter.sql, filter.params));
  MapReport report;
  report.model = model;
  report.matched = static_cast<int64_t>(all_rows.size());
  if (all_rows.empty()) {
    return invalid_argument(options.where.empty()
                                ? "map: the lake has no images with embeddings of model '" + model +
                                      "' (add some with: pixlake add LAKE PATH)"
                                : "map: no image with an embedding of model '" + model +
                                      "' matches --where");
  }
  const auto rows = sample_rows(std::move(all_rows), options.sample, options.seed);
  const auto n = static_cast<int64_t>(rows.size());
  report.drawn = n;

  // The sampled vectors, contiguous (the store's rows are padded and not in id order).
  const EmbeddingSnapshot snapshot = store->snapshot();
  const int dim = snapshot.dim();
  std::vector<float> vectors(static_cast<size_t>(n) * dim);
  for (int64_t i = 0; i < n; ++i)
    std::copy_n(snapshot.vector(rows[i].first), dim, vectors.data() + i * dim);

  PIXLAKE_ASSIGN_OR_RETURN(std::vector<float> xy, project(vectors, n, dim, options));
  const int trust_k = static_cast<int>(std::min<int64_t>(options.trust_k, (n - 1) / 2));
  report.trust_k = trust_k;
  if (trust_k >= 1) {
    auto trust = trustworthiness(vectors.data(), n, dim, dim, xy.data(),
                                 {.k = trust_k,
                                  .sample = options.trust_sample,
                                  .seed = options.seed,
                                  .threads = options.threads});
    if (trust.is_ok()) report.trustworthiness = *trust;
  }
  normalise_unit_square(xy);

  // Groups, largest first (ties by name), so colours and the legend favour the big ones.
  PIXLAKE_ASSIGN_OR_RETURN(auto records, lake.catalog().list_images(filter.sql, filter.params));
  std::map<int64_t, const ImageRecord*> by_id;
  for (const auto& record : records) by_id[record.id] = &record;
  std::vector<std::string> names(static_cast<size_t>(n));
  std::map<std::string, int64_t> counts;
  for (int64_t i = 0; i < n; ++i) {
    auto it = by_id.find(rows[i].second);
    if (it != by_id.end()) names[i] = group_of(*it->second, options.color_by);
    if (!names[i].empty()) ++counts[names[i]];
  }
  std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::map<std::string, int> index;
  for (size_t g = 0; g < sorted.size(); ++g) index[sorted[g].first] = static_cast<int>(g);
  report.groups = static_cast<int64_t>(sorted.size());

  MapCoords coords;
  coords.model = model;
  coords.method = options.method == MapMethod::kPca ? "pca" : "umap";
  for (const auto& [name, count] : sorted) coords.groups.push_back(name);
  for (int64_t i = 0; i < n; ++i) {
    coords.points.push_back(
        {rows[i].second, xy[i * 2], xy[i * 2 + 1], names[i].empty() ? -1 : index[names[i]]});
  }

  if (!options.png_path.empty()) {
    MapPicture picture;
    picture.size = options.size;
    picture.thumbs = options.thumbs;
    picture.threads = options.threads;
    for (const auto& [name, count] : sorted) picture.groups.push_back({name, count});
    for (int64_t i = 0; i < n; ++i) {
      auto it = by_id.find(rows[i].second);
      picture.dots.push_back({xy[i * 2], xy[i * 2 + 1], coords.points[i].group,
                              it != by_id.end() ? it->second->path : std::string()});
    }
    picture.title = std::to_string(n) + " images  ·  " + model + "  ·  " + coords.method +
                    (options.color_by.empty() ? "  ·  coloured by folder"
                                              : "  ·  coloured by " + options.color_by);
    PIXLAKE_ASSIGN_OR_RETURN(Image image, render_map(picture));
    PIXLAKE_RETURN_IF_ERROR(write_png_file(image, options.png_path));
  }
  if (!options.coords_path.empty()) {
    PIXLAKE_RETURN_IF_ERROR(write_map_coords(coords, options.coords_path));
  }
  // The lake's copy, for the web page. A read-only lake folder (someone else's) is not an
  // error when the user asked for the picture or --coords elsewhere.
  report.lake_coords_path = lake_map_coords_path(lake.dir(), model);
  std::error_code ec;
  std::filesystem::create_directories(lake.dir() + "/maps", ec);
  Status stored = ec ? io_error("map: cannot create '" + lake.dir() + "/maps': " + ec.message())
                     : write_map_coords(coords, report.lake_coords_path);
  if (!stored.is_ok()) {
    if (options.png_path.empty() && options.coords_path.empty()) return stored;
    report.lake_coords_path.clear();
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace pixlake
