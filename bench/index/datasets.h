// The two data sets of the index benchmark: Fashion-MNIST (real, L2 on raw pixels) and a
// synthetic clustered set of unit vectors (cosine, the lake's case at scale).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pixlake/status.h"

namespace pixlake::bench {

// kInnerProduct is only used on unit vectors, where it ranks exactly as cosine does.
enum class Distance { kL2, kInnerProduct };

const char* distance_name(Distance distance);

struct Dataset {
  std::string name;
  Distance distance = Distance::kL2;
  int dim = 0;
  int64_t n_base = 0;
  int64_t n_queries = 0;
  std::vector<float> base;     // n_base x dim, row-major
  std::vector<float> queries;  // n_queries x dim
};

// Train images as the base set, t10k images as queries, pixels 0..255 as floats (the
// ann-benchmarks "fashion-mnist-784-euclidean" convention). Limits of 0 keep everything.
Result<Dataset> load_fashion_mnist(const std::string& dir, int64_t base_limit, int64_t query_limit);

struct SyntheticSpec {
  int64_t n_base = 1000000;
  int64_t n_queries = 10000;
  int dim = 512;
  int n_clusters = 1000;
  float spread = 0.5f;  // noise standard deviation relative to the centres' (1.0)
  uint64_t seed = 42;
};

// Gaussian clusters, every vector L2-normalised. Queries come from the same clusters but are
// not in the base set. Deterministic for a given spec, whatever the thread count.
Dataset make_synthetic(const SyntheticSpec& spec, int n_threads);

}  // namespace pixlake::bench
