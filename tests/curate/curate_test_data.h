// Synthetic data for the curate tests: Gaussian blobs, L2-normalised, with known labels.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace pixlake::testing {

struct Blobs {
  int64_t n = 0;
  int dim = 0;
  std::vector<float> rows;  // n x dim, L2-normalised
  std::vector<int> label;
};

// `clusters` blobs of `per_cluster` points in `dim` dimensions: centres at random unit
// directions, points spread `spread` around them, then normalised.
inline Blobs make_blobs(int clusters, int per_cluster, int dim, float spread, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> centres(static_cast<size_t>(clusters) * dim);
  for (float& c : centres) c = normal(rng);
  Blobs blobs;
  blobs.n = static_cast<int64_t>(clusters) * per_cluster;
  blobs.dim = dim;
  for (int c = 0; c < clusters; ++c) {
    for (int p = 0; p < per_cluster; ++p) {
      float norm = 0;
      std::vector<float> row(dim);
      for (int d = 0; d < dim; ++d) {
        row[d] = centres[c * dim + d] + spread * normal(rng);
        norm += row[d] * row[d];
      }
      for (float& v : row) blobs.rows.push_back(v / std::sqrt(norm));
      blobs.label.push_back(c);
    }
  }
  return blobs;
}

}  // namespace pixlake::testing
