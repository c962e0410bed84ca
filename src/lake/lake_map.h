// `pixlake map`: a 2-D map of a lake's embeddings. Samples the images (seeded), projects their
// vectors to 2-D (PCA, or a UMAP-style layout on their k-NN graph started from PCA), colours
// them by group (a tag prefix such as `cluster:`, or the image's folder), draws the picture
// (map_render.h), and writes the coordinates (map_coords.h) to LAKE/maps/<model>.json for the
// web page, plus --coords when asked. Shared by the CLI and (later) the HTTP server.
#pragma once

#include <cstdint>
#include <string>

#include "lake/lake.h"
#include "pixlake/status.h"

namespace pixlake {

enum class MapMethod { kUmap, kPca };

struct MapOptions {
  std::string model;       // empty: the lake's default
  std::string where;       // filter expression (docs/filters.md); empty: every image
  int64_t sample = 20000;  // at most this many images (seeded uniform sample)
  MapMethod method = MapMethod::kUmap;
  std::string color_by;     // tag prefix ("cluster:"); empty: the image's parent folder
  std::string png_path;     // the picture; empty: no picture
  std::string coords_path;  // extra copy of the coordinates; empty: only LAKE/maps/<model>.json
  int size = 2048;
  bool thumbs = false;
  int neighbours = 15;  // k of the k-NN graph (UMAP)
  int pca_dims = 50;    // the graph is built on this many PCA dimensions (0: all)
  uint64_t seed = 42;
  int threads = 0;  // 0: all cores
  // The neighbourhood check reported with the map (trustworthiness.h); sample 0: all points.
  int trust_k = 10;
  int64_t trust_sample = 2000;
};

struct MapReport {
  std::string model;
  int64_t matched = 0;  // images with an embedding that match `where`
  int64_t drawn = 0;    // of those, in the map (the sample)
  int64_t groups = 0;
  std::string lake_coords_path;  // LAKE/maps/<model>.json
  double trustworthiness = -1;   // -1: too few points to measure
  int trust_k = 0;               // the k it was measured with (fewer for tiny maps)
  double seconds = 0;
};

// NotFound for a model without embeddings in the lake; InvalidArgument for an empty selection
// (empty lake, or a filter that matches nothing) or bad options; IoError naming an output
// path that cannot be written.
Result<MapReport> make_lake_map(Lake& lake, const MapOptions& options);

// LAKE/maps/<model>.json.
std::string lake_map_coords_path(const std::string& dir, const std::string& model);

}  // namespace pixlake
