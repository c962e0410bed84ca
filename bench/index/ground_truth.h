// Exact nearest neighbours by brute force, and recall@k of an approximate result against them.
#pragma once

#include <cstdint>
#include <vector>

#include "datasets.h"

namespace pixlake::bench {

struct GroundTruth {
  int k = 0;
  std::vector<int64_t> labels;  // n_queries x k, closest first
  // Distance of each query's k-th true neighbour, computed in double. A result at this
  // distance or closer counts as a true neighbour, so ties at the boundary are not misses.
  std::vector<double> kth_distance;
};

// Scores every (query, base) pair with a single-threaded SGEMM per block, queries shared among
// n_threads threads.
GroundTruth exact_top_k(const Dataset& data, int k, int n_threads);

// Mean over queries of (true neighbours among the first k returned labels) / k. labels holds
// n_queries x k entries; -1 and repeated labels count as misses.
double recall_at_k(const Dataset& data, const GroundTruth& truth, const int64_t* labels);

}  // namespace pixlake::bench
