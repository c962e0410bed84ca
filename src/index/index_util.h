// Small helpers shared by the index implementations.
#pragma once

#include <cstdint>
#include <functional>

#include "pixlake/status.h"

namespace pixlake {

// Scales v to unit L2 norm (a zero vector stays zero).
void normalise(float* v, int dim);
// Refuses NaN / Inf, naming the first bad row and dimension.
Status check_finite(const float* x, int64_t n, int dim);
// k results of label -1 at distance +inf: what a search reports when it finds fewer than k.
void fill_missing(int k, float* distances, int64_t* labels);
// 0 means every hardware thread.
int resolve_threads(int threads);
// Calls body(i) for i in [0, n) on `threads` threads (work handed out one index at a time).
void parallel_for(int64_t n, int threads, const std::function<void(int64_t)>& body);

}  // namespace pixlake
