// k-means for row-major float matrices: k-means++ seeding, Lloyd iterations whose assignment
// step is one BLAS product per block of rows (||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2), and a
// silhouette score on a sample to compare values of k.
//
// Used for clustering a lake's embeddings (`pixlake cluster`) and for training the Bag of
// Visual Words vocabulary on local descriptors (`pixlake bovw train`).
//
// Determinism: with the same seed, input and options the result is the same whatever the
// thread count. Blocks of rows are fixed-size and every reduction runs in row order.
#pragma once

#include <cstdint>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

struct KMeansOptions {
  int k = 8;
  int max_iterations = 25;
  // Stop when no row changes cluster, or when the inertia improves by less than this fraction.
  double tolerance = 1e-4;
  uint64_t seed = 1;
  // Independent runs (seeding + Lloyd) from different seeds; the one with the lowest inertia
  // on the training rows wins. k-means only finds a local optimum: on small sets one unlucky
  // seeding can merge two obvious clusters and split a third.
  int restarts = 1;
  int threads = 0;  // 0: all cores
  // Train on at most this many rows drawn at random (0: all), then assign every row. k-means
  // on 100k rows finds the same centroids as on millions, at a fraction of the cost.
  int64_t sample = 0;
  // Spherical k-means, for L2-normalised rows (embeddings): centroids are re-normalised to unit
  // length after each update, so clusters follow the cosine similarity the lake searches with.
  bool spherical = false;
};

struct KMeansResult {
  int k = 0;  // min(options.k, rows): a cluster needs at least one row
  int dim = 0;
  std::vector<float> centroids;  // k * dim, row-major
  std::vector<int32_t> labels;   // one per input row, in [0, k)
  std::vector<float> distances;  // squared Euclidean distance of each row to its centroid
  std::vector<int64_t> sizes;    // rows per cluster; 0 only with fewer distinct rows than k
  double inertia = 0;            // sum of distances
  int iterations = 0;            // Lloyd iterations of the winning run
};

// Clusters n rows of `dim` floats, `stride` floats apart (stride >= dim). InvalidArgument for
// n == 0, dim < 1, k < 1 or stride < dim. Rows must be finite.
//
// Empty clusters (a centroid that lost all its rows) are re-seeded with the row farthest from
// its centroid, taken from the largest cluster; with fewer distinct rows than k some clusters
// stay empty (size 0) rather than duplicating a row.
Result<KMeansResult> kmeans(const float* rows, int64_t n, int dim, int64_t stride,
                            const KMeansOptions& options);

// Nearest of k centroids (k * dim, row-major) for each of n rows: labels[row] and the squared
// distance distances[row] (either may be null). threads == 0: all cores.
void assign_to_centroids(const float* rows, int64_t n, int dim, int64_t stride,
                         const float* centroids, int k, int32_t* labels, float* distances,
                         int threads = 0);

// Mean silhouette coefficient (Euclidean distance) of a labelling, computed on at most
// `sample` rows drawn with `seed` (0: all rows; the cost is O(sample^2 dim)). In [-1, 1];
// higher means tighter, better separated clusters. A row alone in its cluster scores 0, as in
// scikit-learn. Fewer than two clusters among the sampled rows gives 0.
double silhouette(const float* rows, int64_t n, int dim, int64_t stride, const int32_t* labels,
                  int64_t sample = 2000, uint64_t seed = 1, int threads = 0);

}  // namespace pixlake
