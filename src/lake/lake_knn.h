// The k-NN graph of a lake model's live embeddings: exact for small lakes, through the lake's
// vector index (built or extended first) for large ones, so nothing ever scores all pairs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "curate/knn_graph.h"
#include "lake/lake.h"

namespace pixlake {

struct LakeKnnOptions {
  int k = 10;
  int threads = 0;              // 0: all cores
  int64_t exact_below = 20000;  // live rows up to this count: exact graph (no index needed)
  int ef = 64;                  // HNSW beam for the graph's queries
};

struct LakeKnn {
  std::vector<int64_t> ids;   // node -> image id
  std::vector<int64_t> rows;  // node -> embedding row (ascending)
  EmbeddingSnapshot vectors;  // the rows' vectors, held for the caller
  KnnGraph graph;
  bool used_index = false;
};

// Needs the lake open for writing when the index path has to build or extend the index.
Result<LakeKnn> lake_knn_graph(Lake& lake, const std::string& model, const LakeKnnOptions& options);

}  // namespace pixlake
