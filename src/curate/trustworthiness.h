// Trustworthiness of a 2-D layout (Venna & Kaski 2001; sklearn.manifold.trustworthiness): how
// far, in the original space, are the points a layout shows as close? For each point i, every
// one of its k nearest layout neighbours that is not among its k nearest original neighbours
// costs (its rank among i's original neighbours) - k:
//
//   T(k) = 1 - 2 / (m k (2n - 3k - 1)) * sum_i sum_{j in U_i} (r(i, j) - k)
//
// 1 means every layout neighbourhood is an original one; a random layout scores ~0.5.
// Distances are Euclidean in both spaces (for L2-normalised embeddings this orders neighbours
// as cosine similarity does). Ties are broken by smaller index.
#pragma once

#include <cstdint>

#include "pixlake/status.h"

namespace pixlake {

struct TrustworthinessOptions {
  int k = 10;
  // Points i the sum runs over (m above): 0 or >= n means all of them, which is exactly
  // sklearn's figure; fewer are drawn uniformly with `seed`, each still ranked against all n
  // points, so the estimate is unbiased and costs O(m n dim).
  int64_t sample = 0;
  uint64_t seed = 1;
  int threads = 0;  // for the BLAS distance products; 0: all cores
};

// `high`: n rows of dim floats, `stride` apart. `layout`: n (x, y) pairs. InvalidArgument when
// k < 1 or k >= n / 2 (sklearn's limit: too few points for k).
Result<double> trustworthiness(const float* high, int64_t n, int dim, int64_t stride,
                               const float* layout, const TrustworthinessOptions& options = {});

}  // namespace pixlake
