// UMAP's fuzzy simplicial set of a k-NN graph: each node's distances to its neighbours become
// memberships exp(-(d - rho) / sigma), with rho the distance to its nearest neighbour and sigma
// chosen (binary search) so the memberships sum to log2(k + 1); the directed memberships are
// then symmetrised as a fuzzy union, w = a + b - a * b. The layout (layout_2d.h) pulls along
// these edges. McInnes, Healy & Melville, "UMAP" (2018), section 3 and umap-learn's
// smooth_knn_dist / fuzzy_simplicial_set.
#pragma once

#include <cstdint>
#include <vector>

#include "curate/knn_graph.h"

namespace pixlake {

// Undirected weighted edges, each listed once with head < tail, sorted by (head, tail).
struct FuzzyEdges {
  int64_t n = 0;
  std::vector<int32_t> head;
  std::vector<int32_t> tail;
  std::vector<float> weight;  // in (0, 1]
  size_t size() const { return weight.size(); }
};

// Distances are cosine distances, 1 - score. Padding (-1) and self entries are ignored.
FuzzyEdges fuzzy_edges(const KnnGraph& graph);

}  // namespace pixlake
