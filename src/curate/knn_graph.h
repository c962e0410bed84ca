// The k-nearest-neighbour graph of a set of L2-normalised vectors: the one structure that
// duplicates, outlier scores and maps are built from, so that none of them ever needs an
// all-pairs matrix. Node i is row i of the input; neighbours are listed best first.
#pragma once

#include <cstdint>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

struct KnnGraph {
  int64_t n = 0;
  int k = 0;
  // n * k entries; node i's neighbours are [i * k, (i + 1) * k). A node with fewer than k
  // neighbours (n <= k) pads with -1 and score -inf.
  std::vector<int32_t> neighbours;
  std::vector<float> scores;  // cosine similarity, descending within a node

  const int32_t* neighbours_of(int64_t node) const { return neighbours.data() + node * k; }
  const float* scores_of(int64_t node) const { return scores.data() + node * k; }
};

// Exact graph by blocked matrix products (BLAS): O(n^2 d) work, O(block * n) memory. For
// samples (maps, tests) and small lakes. `rows` are n vectors of `dim` floats, `stride` floats
// apart. threads == 0: all cores.
KnnGraph exact_knn_graph(const float* rows, int64_t n, int dim, int64_t stride, int k,
                         int threads = 0);

}  // namespace pixlake
